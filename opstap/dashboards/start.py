"""What the start page shows per role: a fixed number of flat queries whatever the caseload.

The capabilities of other apps (GPMI, activation, modules) are read only when the app is
installed, through that app's own models and selectors, imported here lazily.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language

from opstap.clients.models import Appointment
from opstap.clients.selectors import CaredForRead, reference_client_ids
from opstap.core.idlist import IdIn
from opstap.core.prepared import PreparedRead

# Steps due within this many days are listed with the overdue ones.
STEP_NOTICE_DAYS = 7
# Absences without reason in the last ... days.
ABSENCE_DAYS = 14
LIST_LIMIT = 15


# The cards' statements are built once per process (opstap.core.prepared): building them anew
# was about half of the start page's time (a worker's cards: 19 ms of Python, 15 of SQL).


_WEEK = CaredForRead(
    lambda clients, user_id, _centre_id, start, end: (
        Appointment.objects.filter(
            worker_id=user_id,
            cancelled=False,
            starts_at__gte=start,
            starts_at__lt=end,
            client__in=clients,
        )
        .select_related("client")
        .order_by("starts_at")[:50]
    ),
    kinds=(datetime.datetime, datetime.datetime),
)


def appointments_for_week(user) -> dict:
    """The user's appointments today and in the six days after (one query)."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + datetime.timedelta(days=7)
    rows = _WEEK.list(user, start, end)
    tomorrow = start + datetime.timedelta(days=1)
    return {
        "today": [a for a in rows if a.starts_at < tomorrow],
        "week": [a for a in rows if a.starts_at >= tomorrow],
    }


@dataclass(frozen=True)
class StepDue:
    client_id: int
    client_name: str
    text: str
    due: datetime.date
    overdue: bool


def _steps_due(client_ids: list[int], until: datetime.date):
    from opstap.gpmi.models import GpmiStatus, GpmiStep

    return (
        GpmiStep.objects.filter(
            IdIn("goal__gpmi__client_id", client_ids),
            done_on__isnull=True,
            due_date__isnull=False,
            due_date__lte=until,
            goal__gpmi__status__in=[GpmiStatus.SIGNED, GpmiStatus.ACTIVE],
        )
        .order_by("due_date", "id")
        .values_list(
            "goal__gpmi__client_id",
            "goal__gpmi__client__first_name",
            "goal__gpmi__client__last_name",
            "text",
            "due_date",
        )[:LIST_LIMIT]
    )


_STEPS_DUE = PreparedRead(_steps_due, kinds=(list, datetime.date))


def steps_due_for(client_ids: list[int], today: datetime.date) -> list[StepDue]:
    """Open GPMI steps of my clients' running contracts, overdue or due within a week."""
    if not apps.is_installed("opstap.gpmi"):
        return []
    rows = _STEPS_DUE.list(client_ids, today + datetime.timedelta(days=STEP_NOTICE_DAYS))
    return [
        StepDue(client_id, f"{first} {last}", text, due, due < today)
        for client_id, first, last, text, due in rows
    ]


@dataclass(frozen=True)
class MissingHours:
    client_id: int
    client_name: str
    organisation: str
    month: datetime.date


def _without_hours(client_ids: list[int], first: datetime.date, last: datetime.date):
    from opstap.activation.models import SOCIAL_KINDS, HoursStatus, MonthlyHours, Placement

    # NOT EXISTS per placement (the month's unique index), not NOT IN over the whole month's
    # hours of every centre (41 ms at 250,000 clients).
    done = MonthlyHours.objects.filter(
        placement=OuterRef("pk"),
        month=first,
        status__in=[HoursStatus.SUBMITTED, HoursStatus.APPROVED],
    )
    return (
        Placement.objects.filter(
            IdIn("client_id", client_ids),
            kind__in=SOCIAL_KINDS,
            start__isnull=False,
            start__lte=last,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .exclude(Exists(done))
        .order_by("client__last_name", "client__first_name", "id")
        .values_list("client_id", "client__first_name", "client__last_name", "organisation__name")[
            :LIST_LIMIT
        ]
    )


_WITHOUT_HOURS = PreparedRead(_without_hours, kinds=(list, datetime.date, datetime.date))


def placements_without_hours_for(client_ids: list[int], today: datetime.date) -> list[MissingHours]:
    """My clients' social placements that ran last month without submitted hours."""
    if not apps.is_installed("opstap.activation"):
        return []
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    last = today.replace(day=1) - datetime.timedelta(days=1)
    rows = _WITHOUT_HOURS.list(client_ids, first, last)
    return [MissingHours(c, f"{f} {n}", org, first) for c, f, n, org in rows]


@dataclass(frozen=True)
class Absence:
    client_id: int
    client_name: str
    module: str
    day: datetime.date


def _absences(client_ids: list[int], since: datetime.date, until: datetime.date):
    from opstap.courses.models import Attendance, AttendanceStatus

    return (
        Attendance.objects.filter(
            IdIn("enrolment__client_id", client_ids),
            status=AttendanceStatus.UNEXCUSED,
            session__date__gte=since,
            session__date__lte=until,
        )
        .order_by("-session__date", "id")
        .values_list(
            "enrolment__client_id",
            "enrolment__client__first_name",
            "enrolment__client__last_name",
            "session__edition__module__name_nl",
            "session__edition__module__name_fr",
            "session__edition__module__name_en",
            "session__date",
        )[:LIST_LIMIT]
    )


_ABSENCES = PreparedRead(_absences, kinds=(list, datetime.date, datetime.date))


def absences_for(client_ids: list[int], today: datetime.date) -> list[Absence]:
    """Absences without reason of my clients at module sessions in the last two weeks."""
    if not apps.is_installed("opstap.courses"):
        return []
    rows = _ABSENCES.list(client_ids, today - datetime.timedelta(days=ABSENCE_DAYS), today)
    lang = (get_language() or "nl")[:2]
    result = []
    for c, f, n, name_nl, name_fr, name_en, day in rows:
        name = {"fr": name_fr, "en": name_en}.get(lang) or name_nl
        result.append(Absence(c, f"{f} {n}", name, day))
    return result


def worker_day(user) -> dict:
    """The social worker's (and counsellor's, activation staff's) own items for the start page."""
    today = datetime.date.today()
    mine = reference_client_ids(user, today)  # read once; every card filters on it
    return {
        "reference_ids": mine,
        "appointments": appointments_for_week(user),
        "steps_due": steps_due_for(mine, today),
        "missing_hours": placements_without_hours_for(mine, today),
        "absences": absences_for(mine, today),
    }
