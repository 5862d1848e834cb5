"""Reads for the privacy app: the centre's retention policy and the dossiers past it."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from opstap.clients.models import Appointment, CareTeamMember, Client, IncomeRight, JournalNote
from opstap.core.models import Centre

from .models import RetentionPolicy

ANONYMISED_MARK = "("  # anonymised clients carry "(ref)" as last name and no first name


def retention_policy_for(centre: Centre) -> RetentionPolicy:
    policy, _created = RetentionPolicy.objects.get_or_create(centre=centre)
    return policy


def retention_cutoff(years: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def retention_candidates(centre: Centre, *, today: datetime.date | None = None) -> QuerySet[Client]:
    """Dossiers with no active right, care team or activity since the cut-off, not yet blanked."""
    today = today or datetime.date.today()
    cutoff = retention_cutoff(retention_policy_for(centre).years, today)
    recent_right = IncomeRight.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff))
    recent_care = CareTeamMember.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff))
    recent_note = JournalNote.objects.filter(occurred_on__gte=cutoff)
    recent_meeting = Appointment.objects.filter(starts_at__date__gte=cutoff)
    return (
        Client.objects.filter(centre=centre, created_at__date__lt=cutoff)
        .exclude(pk__in=recent_right.values("client_id"))
        .exclude(pk__in=recent_care.values("client_id"))
        .exclude(pk__in=recent_note.values("client_id"))
        .exclude(pk__in=recent_meeting.values("client_id"))
        .exclude(first_name="", last_name__startswith=ANONYMISED_MARK)
        .order_by("last_name", "first_name")
    )
