"""The start page's content per role (the view lives in opstap.core.views.home)."""

from __future__ import annotations

from functools import cache

from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.core.escaping import escaped
from opstap.core.links import drawn_for, pk_url

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
    if context["show_key_figures"]:
        context["start_parts"] = start_parts()
    return context


def start_parts() -> dict[str, str]:
    """The key figures' card and management's shortcuts in the active language, as HTML."""
    return _start_parts(*drawn_for())


@cache
def _start_parts(language: str, prefix: str, urlconf) -> dict[str, str]:
    """Written once per process, language, script prefix and URL configuration: about a dozen
    template tags (translations and links) that were the same on every visit."""
    figures = escaped(pk_url("dashboards:key-figures"))
    title = escaped(gettext("Key figures"))
    show = escaped(gettext("Show the key figures"))
    later = escaped(
        gettext(
            "They count every client of the centre, so they come a moment after the rest of "
            "this page."
        )
    )
    key_figures = (
        '<section class="card" id="key-figures" aria-labelledby="figures-title" aria-busy="true"\n'
        f'  hx-get="{figures}" hx-trigger="load" hx-swap="outerHTML">\n'
        f'  <h2 id="figures-title">{title}</h2>\n'
        f'  <p class="muted"><a href="{figures}">{show}</a> · {later}</p>\n'
        "</section>"
    )
    shortcuts = "\n    ".join(
        f'<li><a href="{escaped(pk_url(name))}">{escaped(gettext(label))}</a></li>'
        for name, label in (
            ("dashboards:flow", gettext_noop("Flow analytics")),
            ("reports:index", gettext_noop("Reports")),
            ("dashboards:yearly", gettext_noop("Yearly report")),
        )
    )
    return {"key_figures": mark_safe(key_figures), "figure_shortcuts": mark_safe(shortcuts)}
