"""Referral events on the client's timeline (one query whatever the number of referrals)."""

from django.utils.translation import gettext as _

from opstap.core.links import pk_url
from opstap.core.timeline import TimelineEvent, register

from .selectors import referral_rows_of


@register
def referral_events(client, user):
    url = pk_url("network:client-referrals", client.pk)
    for r in referral_rows_of(client):
        target = r.target_label
        author = str(r.referred_by)
        yield TimelineEvent(
            r.referred_on,
            "referral",
            _("Referred to %(target)s") % {"target": target},
            detail=r.reason,
            url=url,
            author=author,
        )
        if r.answered_on:
            title = (
                _("Referral to %(target)s accepted")
                if r.status != "refused"
                else _("Referral to %(target)s refused")
            )
            yield TimelineEvent(
                r.answered_on, "referral", title % {"target": target}, detail=r.answer_note, url=url
            )
        if r.started_on:
            yield TimelineEvent(
                r.started_on, "referral", _("Started at %(target)s") % {"target": target}, url=url
            )
        if r.ended_on:
            yield TimelineEvent(
                r.ended_on,
                "referral",
                _("Referral to %(target)s ended") % {"target": target},
                detail=r.outcome,
                url=url,
            )
