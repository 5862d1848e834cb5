"""Who sees which dashboard."""

from __future__ import annotations

from django.http import Http404

from opstap.accounts.roles import CASEWORK_ROLES, Role

# Flow analytics and the yearly report: figures over the whole centre.
FLOW_ROLES = frozenset({Role.HEAD, Role.MANAGEMENT, Role.ADMIN})
YEARLY_ROLES = FLOW_ROLES
KEY_FIGURE_ROLES = FLOW_ROLES


def can_see_flow(user) -> bool:
    return bool(user.is_authenticated and user.centre_id and user.role_set & FLOW_ROLES)


def can_see_key_figures(user) -> bool:
    return bool(user.is_authenticated and user.centre_id and user.role_set & KEY_FIGURE_ROLES)


def can_list_clients(user) -> bool:
    """Whether figures link to the clients behind them (management sees counts, no names)."""
    return bool(user.is_authenticated and user.centre_id and user.role_set & CASEWORK_ROLES)


def head_required(user) -> None:
    """The team view is for a head of service; anyone else gets the same 404 as an outsider."""
    if not (user.is_authenticated and user.centre_id and user.has_role(Role.HEAD)):
        raise Http404
