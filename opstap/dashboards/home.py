"""The start page's content per role (the view lives in opstap.core.views.home)."""

from __future__ import annotations

from opstap.accounts.roles import CASEWORK_ROLES, Role

from .access import can_see_key_figures


def start_page_context(request) -> dict:
    """The worker's day, the head's team table and management's key figures, by role."""
    from .start import worker_day
    from .team import team_caseload

    user = request.user
    context: dict = {"is_caseworker": bool(user.role_set & CASEWORK_ROLES)}
    if context["is_caseworker"]:
        context.update(worker_day(user))
    if user.has_role(Role.HEAD):
        context["team_loads"] = team_caseload(user)
        context["show_team"] = True
    # The key figures count every client of the centre (two reports' work, a few hundred
    # milliseconds in a city centre): the page asks for them once it is shown
    # (dashboards:key-figures), so a head's day and team table do not wait for them.
    context["show_key_figures"] = can_see_key_figures(user)
    return context
