"""The registry of standard reports (spec/reports.md).

A report is ONE selector `selector(centre, user_or_None, params) -> dict` returning
`{"report": name, "params": {...}, "rows": [...], "total": {...}}`. The page
(/reports/<name>/), the API (GET /api/v1/reports/<name>) and `manage.py report NAME` all call
`run()`, so the three give the same numbers. Register a report from an AppConfig.ready():

    from opstap.reports.registry import Report, register
    register(Report(name="module-reach", title=_("Module reach"), params=("year",),
                    selector=module_reach, columns=[("module", _("Module")), ...],
                    chart=("module", "enrolled")))

`params` names the accepted parameters among date, from, to, year, month (parsed and given
defaults by opstap.reports.params). `user` is None for the command line (whole centre); use
`opstap.reports.scope.client_scope(centre, user)` to count only what the user may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import get_language

from opstap.core.stored import stored

REPORTS: dict[str, Report] = {}


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    selector: Callable
    params: tuple[str, ...]
    columns: list[tuple[str, str]] = field(default_factory=list)  # (row key, heading)
    chart: tuple[str, str] | None = None  # (row key of the bar label, row key of the value)
    description: str = ""
    order: int = 50
    # Row key -> {code: label}: what the page and its chart show for a code in that column.
    # The API, the command and the CSV keep the codes (they are the contract).
    value_labels: dict[str, dict] = field(default_factory=dict)
    # Totals the report counts beside its columns, (key of "total", label), shown under the
    # table (the columns' own totals go in the table's last row).
    totals: list[tuple[str, str]] = field(default_factory=list)

    def display(self, key: str, value):
        labels = self.value_labels.get(key)
        return labels.get(value, value) if labels and isinstance(value, str) else value


def register(report: Report) -> Report:
    REPORTS[report.name] = report
    return report


def get_report(name: str) -> Report:
    try:
        return REPORTS[name]
    except KeyError:
        raise Http404 from None


def all_reports() -> list[Report]:
    return sorted(REPORTS.values(), key=lambda r: (r.order, r.name))


def run(name: str, *, centre, user, raw_params: Mapping) -> dict:
    """Parse the parameters (ValidationError naming the field) and run the report's selector."""
    from .params import parse_params

    report = get_report(name)
    return figures(report, centre, user, parse_params(report, raw_params))


def figures(report: Report, centre, user, params: dict) -> dict:
    """The report's result for parsed parameters.

    Figures over the whole centre are the same for everyone who may see them, and are kept
    between reads while no table they count has been written (opstap.core.stored). A case
    worker's figures count her own dossiers and are counted each time.
    """
    key = ("report", report.name, sorted(params.items()))
    return centre_figure(centre, user, key, lambda: report.selector(centre, user, params))


def centre_figure(centre, user, key: tuple, compute):
    """compute(), kept between reads (opstap.core.stored) when it counts the whole centre.

    Such a figure is the same for everyone who may see it; a case worker's counts her own
    dossiers and is computed each time. `key` names the figure and its parameters; the active
    language and the day are added to it.
    """
    from .scope import counts_whole_centre

    if not counts_whole_centre(user):
        return compute()
    return stored(centre.pk, repr((*key, get_language(), datetime.date.today())), compute)
