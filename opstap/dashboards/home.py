"""The start page's content per role (the view lives in opstap.core.views.home)."""

from __future__ import annotations

from opstap.accounts.roles import CASEWORK_ROLES, Role

from .access import KEY_FIGURE_ROLES


def start_page_context(request) -> dict:
    """The worker's day, the head's team table and management's key figures, by role."""
    from .keyfigures import key_figures
    from .start import worker_day
    from .team import team_caseload

    user = request.user
    context: dict = {"is_caseworker": bool(user.role_set & CASEWORK_ROLES)}
    if context["is_caseworker"]:
        context.update(worker_day(user))
    if user.has_role(Role.HEAD):
        context["team_loads"] = team_caseload(user)
        context["show_team"] = True
    if user.role_set & KEY_FIGURE_ROLES and request.centre is not None:
        context["key_figures"] = key_figures(request.centre, user)
    return context
