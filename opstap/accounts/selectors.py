"""Reads for the administration area, always within the administrator's own centre."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opstap.core.models import AuditEntry, Office, Team

from .models import User


def user_list_for(*, admin: User, search: str = "", role: str = "") -> QuerySet[User]:
    qs = User.objects.filter(centre_id=admin.centre_id).prefetch_related("teams")
    for word in search.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
        )
    if role:
        qs = qs.filter(roles__contains=f",{role},")
    return qs


def user_get_for(*, admin: User, pk: int) -> User:
    """A user of the administrator's centre; any other answers 404."""
    return get_object_or_404(User, pk=pk, centre_id=admin.centre_id)


def office_list_for(*, admin: User) -> QuerySet[Office]:
    return Office.objects.filter(centre_id=admin.centre_id)


def office_get_for(*, admin: User, pk: int) -> Office:
    return get_object_or_404(Office, pk=pk, centre_id=admin.centre_id)


def team_list_for(*, admin: User) -> QuerySet[Team]:
    return Team.objects.filter(centre_id=admin.centre_id).select_related("office")


def team_get_for(*, admin: User, pk: int) -> Team:
    return get_object_or_404(Team, pk=pk, centre_id=admin.centre_id)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_list_for(
    *,
    user: User,
    actor: User | None = None,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    client_ids: list[int] | None = None,
) -> QuerySet[AuditEntry]:
    """The audit entries of the user's centre, newest first, filtered."""
    qs = AuditEntry.objects.filter(centre_id=user.centre_id).select_related("actor")
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if client_ids is not None:
        qs = qs.filter(client_id__in=client_ids)
    return qs.order_by("-at", "-id")


def audit_actions_for(*, user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(centre_id=user.centre_id)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
