"""Placement events on the client's timeline (a fixed number of queries)."""

from django.utils.translation import gettext as _

from opstap.core.links import pk_url
from opstap.core.prepared import PreparedRead
from opstap.core.timeline import TimelineEvent, register

from .models import EndReason, Evaluation, MonthlyHours
from .selectors import placements_of

_EVALUATIONS = PreparedRead(
    lambda client_id: Evaluation.objects.filter(
        placement__client_id=client_id, held_on__isnull=False
    )
)
_APPROVED_HOURS = PreparedRead(
    lambda client_id: MonthlyHours.objects.filter(placement__client_id=client_id, status="approved")
)


@register
def placement_events(client, user):
    # Only what the events say: every relation of placements_for_client cost PostgreSQL more
    # time to plan (7 ms, eight joins) than to run.
    placements = placements_of(client)
    for p in placements:
        url = pk_url("activation:placement-detail", p.pk)
        what = {"kind": p.get_kind_display(), "org": p.organisation.name}
        if p.start:
            title = (
                _("Moved to %(org)s (%(kind)s)")
                if p.previous_id
                else _("Started %(kind)s at %(org)s")
            )
            yield TimelineEvent(
                p.start, "placement", title % what, detail=p.get_track_display(), url=url
            )
        if p.end and p.end_reason != EndReason.MUTATION:
            yield TimelineEvent(
                p.end,
                "placement",
                _("Ended %(kind)s at %(org)s") % what,
                detail=p.get_end_reason_display(),
                url=url,
            )
        note = getattr(p, "agreement", None)
        if note is not None and note.signed_on:
            yield TimelineEvent(note.signed_on, "placement", _("Agreement note signed"), url=url)
    for ev in _EVALUATIONS.list(client.pk) if placements else ():
        yield TimelineEvent(
            ev.held_on,
            "placement",
            _("Placement evaluation"),
            detail=ev.conclusion,
            url=pk_url("activation:placement-detail", ev.placement_id),
        )
    for h in _APPROVED_HOURS.list(client.pk) if placements else ():
        yield TimelineEvent(
            h.month,
            "placement",
            _("%(hours)s hours registered for %(month)s")
            % {"hours": h.hours, "month": f"{h.month:%m/%Y}"},
            url=pk_url("activation:placement-detail", h.placement_id),
        )
