"""Module events on the client's timeline: proposals, enrolments, endings and absences.

Two queries whatever the number of enrolments and registers.
"""

from django.utils.translation import gettext as _

from opstap.core.links import pk_url
from opstap.core.prepared import PreparedRead
from opstap.core.timeline import TimelineEvent, register

from .models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus, SessionStatus

_ENROLMENTS = PreparedRead(
    lambda client_id: Enrolment.objects.filter(client_id=client_id).select_related(
        "edition__module", "proposed_by"
    )
)
_ABSENCES = PreparedRead(
    lambda client_id: (
        Attendance.objects.filter(
            enrolment__client_id=client_id,
            status__in=[AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED],
            session__status=SessionStatus.PLANNED,
        )
        .select_related("session__edition__module")
        .order_by("session__date")
    )
)


@register
def module_events(client, user):
    enrolments = _ENROLMENTS.list(client.pk)
    for e in enrolments:
        module = e.edition.module.name
        url = pk_url("courses:enrolment-detail", e.pk)
        if e.enrolled_on:
            yield TimelineEvent(
                e.enrolled_on,
                "module",
                _("Enrolled in %(module)s") % {"module": module},
                detail=e.override_reason,
                url=url,
                author=str(e.proposed_by or ""),
            )
        elif e.status in (EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED):
            yield TimelineEvent(
                e.proposed_on,
                "module",
                _("On the waiting list of %(module)s") % {"module": module},
                url=url,
                author=str(e.proposed_by or ""),
            )
        if e.left_on and e.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED):
            title = (
                _("Completed %(module)s")
                if e.status == EnrolmentStatus.COMPLETED
                else _("Dropped out of %(module)s")
            )
            yield TimelineEvent(e.left_on, "module", title % {"module": module}, e.reason, url)
    for a in _ABSENCES.list(client.pk):
        yield TimelineEvent(
            a.session.date,
            "module",
            _("Absent from %(module)s") % {"module": a.session.edition.module.name},
            detail=a.get_reason_display() if a.reason else a.get_status_display(),
            url=pk_url("courses:enrolment-detail", a.enrolment_id),
        )
