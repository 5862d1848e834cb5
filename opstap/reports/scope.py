"""Who sees which figures: only count what the asking user may see."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.clients.models import Client
from opstap.clients.selectors import client_queryset_for

# Figures over the whole centre (management sees figures, never dossier content).
CENTRE_FIGURE_ROLES = frozenset({Role.HEAD, Role.MANAGEMENT, Role.ADMIN})
REPORT_ROLES = CENTRE_FIGURE_ROLES | frozenset(CASEWORK_ROLES)
TRANSITION_ROLES = CENTRE_FIGURE_ROLES


def can_see_reports(user) -> bool:
    return bool(user.is_authenticated and user.centre_id and user.role_set & REPORT_ROLES)


def counts_whole_centre(user) -> bool:
    """Whether the user's figures count every client of the centre (no user: the command)."""
    return user is None or bool(user.role_set & CENTRE_FIGURE_ROLES)


def client_scope(centre, user) -> QuerySet[Client]:
    """The clients a report may count: the whole centre, or the dossiers the user may open."""
    if counts_whole_centre(user):
        return Client.objects.filter(centre=centre)
    return client_queryset_for(user).filter(centre=centre)


def narrowed_to_user(queryset: QuerySet, centre, user, client: str = "client") -> QuerySet:
    """Records of the centre (`queryset` filters on their own centre column) that the user's
    figures count: all of them for whole-centre figures, else those of the user's clients."""
    if counts_whole_centre(user):
        return queryset
    return queryset.filter(**{f"{client}__in": client_scope(centre, user)})


def percent(part: int, whole: int) -> float:
    """part of whole in percent, rounded half up to one decimal (0.0 when whole is 0)."""
    if not whole:
        return 0.0
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)
