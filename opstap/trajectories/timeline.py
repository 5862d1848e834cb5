"""Timeline events and the header fact of trajectories and the activation ladder."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opstap.core.links import pk_url
from opstap.core.timeline import TimelineEvent, register

from .selectors import current_position, ladder_positions_of, trajectory_rows_of


@register
def trajectory_events(client, user):
    url = pk_url("trajectories:list", client.pk)
    for t in trajectory_rows_of(client):
        yield TimelineEvent(
            t.start_date,
            "trajectory",
            _("%(type)s starts") % {"type": t.type.label},
            detail=t.note,
            url=url,
            author=str(t.responsible or ""),
        )
        if t.end_date:
            outcome = t.outcome.label if t.outcome else "—"
            yield TimelineEvent(
                t.end_date,
                "trajectory",
                _("%(type)s ends: %(outcome)s") % {"type": t.type.label, "outcome": outcome},
                url=url,
            )


@register
def ladder_events(client, user):
    url = pk_url("trajectories:ladder", client.pk)
    for position in ladder_positions_of(client):
        yield TimelineEvent(
            position.since,
            "ladder",
            _("On the activation ladder: %(rung)s") % {"rung": position.get_rung_display()},
            detail=position.reason,
            url=url,
            author=str(position.recorded_by or ""),
        )


def current_rung_fact(client) -> list[tuple]:
    position = current_position(client)
    value = f"{position.level}. {position.get_rung_display()}" if position else "—"
    return [(gettext_lazy("Activation ladder"), value)]
