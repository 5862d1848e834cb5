"""The standard reports over the API: GET /api/v1/reports/<name>?date=…&from=…&to=….

The same selector as the page and the command line; parameters as ISO dates (YYYY-MM-DD),
year as a number, month as YYYY-MM. Bad parameters answer 422 naming the parameter.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from .registry import run
from .scope import can_see_reports

PREFIX = "/reports/"
router = Router(tags=["reports"])


@router.get("{name}", response=dict, summary="Run a standard report")
def report(request: HttpRequest, name: str):
    """{"report", "params", "rows", "total"} as in spec/reports.md, for what the caller may see."""
    user = request.auth if getattr(request, "auth", None) is not None else request.user
    if not can_see_reports(user):
        raise HttpError(403, _("Your role does not give access to reports."))
    return run(name, centre=user.centre, user=user, raw_params=request.GET)
