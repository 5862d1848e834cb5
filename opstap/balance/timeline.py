"""Timeline events and the dossier header fact of the balance (one query each)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from opstap.core.timeline import TimelineEvent, register

from .models import Phase
from .selectors import balances_of


@register
def balance_events(client, user):
    for balance in balances_of(client):
        url = reverse("balance:phase", args=[client.pk, balance.pk, Phase.INTAKE])
        yield TimelineEvent(balance.started_on, "balance", _("Balance started"), url=url)
        for phase in Phase:
            done = balance.completed_at(phase.value)
            if done is None:
                continue
            yield TimelineEvent(
                done,
                "balance",
                _("Balance phase completed: %(phase)s") % {"phase": phase.label},
                url=reverse("balance:phase", args=[client.pk, balance.pk, phase.value]),
            )
        if balance.is_done(Phase.SYNTHESIS) and balance.conclusions_agreed_on:
            yield TimelineEvent(
                balance.conclusions_agreed_on,
                "balance",
                _("Balance synthesis agreed with the client"),
                detail=balance.conclusions[:300],
                url=reverse("balance:phase", args=[client.pk, balance.pk, Phase.SYNTHESIS]),
            )


def balance_header_fact(client) -> list[tuple]:
    balances = balances_of(client)
    if not balances:
        return []
    balance = balances[0]
    if balance.finished:
        return [(_("Balance"), _("finished"))]
    return [
        (
            _("Balance"),
            _("phase %(n)s of %(total)s") % {"n": balance.current_phase, "total": len(Phase)},
        )
    ]
