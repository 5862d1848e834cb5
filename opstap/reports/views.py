import datetime
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from opstap.core.escaping import escaped
from opstap.core.escaping import shown as shown_value
from opstap.core.form_fields import form_fields_html
from opstap.core.links import drawn_for
from opstap.trajectories.models import Rung

from . import exports, selectors
from .charts import bar_chart
from .params import ReportParamsForm, param_label, parse_params
from .registry import all_reports, centre_figure, figures, get_report
from .scope import TRANSITION_ROLES, can_see_reports
from .table import table_rows_html


class IndexEntry(NamedTuple):
    url: str
    title: str
    description: str


@cache
def _index_entries(language: str, prefix: str, urlconf) -> tuple[IndexEntry, ...]:
    """The reports index's links in one language (called with that language active).

    The registry is complete once the apps are ready, so the titles and descriptions are
    translated and the links reversed once per process, language, script prefix and URL
    configuration instead of on every visit (they were most of the index's own time).
    """
    return tuple(
        IndexEntry(
            reverse("reports:report", args=[report.name]),
            str(report.title),
            str(report.description) if report.description else "",
        )
        for report in all_reports()
    )


def index_entries() -> tuple[IndexEntry, ...]:
    return _index_entries(*drawn_for())


@cache
def _index_html(language: str, prefix: str, urlconf) -> str:
    """The index's list items in one language, written once like its links (a template loop
    over a dozen links took a tenth of a millisecond on every visit)."""
    return "".join(
        f'<li><a href="{escaped(entry.url)}">{escaped(entry.title)}</a>'
        + (
            f'<br><small class="muted">{escaped(entry.description)}</small>'
            if entry.description
            else ""
        )
        + "</li>"
        for entry in _index_entries(language, prefix, urlconf)
    )


def index_html() -> str:
    """The reports index's list items (<li>) in the active language, as HTML."""
    return mark_safe(_index_html(*drawn_for()))


def _reports_required(request: HttpRequest) -> None:
    if not can_see_reports(request.user):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _reports_required(request)
    return render(
        request,
        "reports/index.html",
        {
            "reports_html": index_html(),
            "show_transitions": bool(request.user.role_set & TRANSITION_ROLES),
        },
    )


class ResultOnDemand(Mapping):
    """A report's result, read only when something asks for it.

    The page draws its kept parts, not the result: a city's GPMI deadlines are 1,700 rows,
    which a page need not copy out of the kept figures again. The result stays at hand in the
    page's context for whoever needs it, and is then read (kept too) once.
    """

    def __init__(self, read):
        self._read = read
        self._value = None

    def _result(self) -> dict:
        if self._value is None:
            self._value = self._read()
        return self._value

    def __getitem__(self, key):
        return self._result()[key]

    def __iter__(self):
        return iter(self._result())

    def __len__(self) -> int:
        return len(self._result())


@login_required
def report_page(request: HttpRequest, name: str) -> HttpResponse:
    """One report: its parameters, a chart, the table, and CSV / XLSX downloads."""
    _reports_required(request)
    report = get_report(name)
    raw = {key: value for key, value in request.GET.items() if key in report.params and value}
    form = form_html = None
    if raw:
        try:
            params = parse_params(report, raw)
        except ValidationError:
            params = None
        form = ReportParamsForm(report.params, raw)
        form.is_valid()  # the same form parse_params used: puts its errors at the fields
    else:
        params, form_html = default_visit(report)
    download = request.GET.get("format")
    if params is not None and download in ("csv", "xlsx"):
        result = figures(report, request.centre, request.user, params)
        if download == "csv":
            response = HttpResponse(exports.to_csv(result), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(result),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{download}"'
        return response
    parts = page_parts(report, request.centre, request.user, params) if params else None
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "report": report,
        "form": form,
        "form_html": form_html,
        "result": ResultOnDemand(lambda: figures(report, request.centre, request.user, params))
        if parts
        else None,
        "table": parts["table"] if parts else None,
        "totals": parts["totals"] if parts else "",
        "chart": parts["chart"] if parts else None,
        "query": query.urlencode(),
        "shown_params": parts["shown_params"] if parts else "",
    }
    return render(request, "reports/report.html", context)


# (page, language, day) -> the parameters and parameter fields of a visit that gives none.
_DEFAULT_VISITS: dict[tuple, tuple[dict, str]] = {}


def _kept_default(page: tuple, work_out) -> tuple[dict, str]:
    """work_out() -> (parameters, form fields' HTML) of a visit without parameters, kept once
    a day per page and language. Their defaults come from the day (today, this year …)."""
    today = datetime.date.today()
    key = (*page, get_language(), today)
    kept = _DEFAULT_VISITS.get(key)
    if kept is None:
        params, html = work_out()
        if datetime.date.today() != today:  # midnight came meanwhile: keep nothing
            return params, mark_safe(html)
        if len(_DEFAULT_VISITS) >= 500:
            _DEFAULT_VISITS.clear()
        kept = _DEFAULT_VISITS[key] = (params, html)
    return dict(kept[0]), mark_safe(kept[1])


def default_visit(report) -> tuple[dict, str]:
    """The parameters of a visit that gives none (their defaults) and the parameter form's
    fields showing them, kept once a day per report and language: the form's fields took
    longer to write than the rest of a kept report's page."""

    def work_out():
        params = parse_params(report, {})
        return params, form_fields_html(ReportParamsForm(report.params, initial=params))

    return _kept_default(("report", report.name), work_out)


def default_ladder_visit() -> tuple[dict, str]:
    """The same for the ladder transitions: from the first of January to today."""

    def work_out():
        today = datetime.date.today()
        params = {"from": datetime.date(today.year, 1, 1), "to": today}
        return params, form_fields_html(ReportParamsForm(("from", "to"), initial=params))

    return _kept_default(("ladder-transitions",), work_out)


def page_parts(report, centre, user, params: dict) -> dict:
    """What a report's page draws of its result: the table's rows and the chart as HTML, the
    totals and the parameters, as plain text in the active language.

    Over the whole centre they are kept (registry.centre_figure), apart from the result: a
    city's GPMI deadlines are 1,500 rows, whose cells took longer to write out than to read
    again, and which a kept page need not copy out of the cache once more. Labels are kept
    as text rather than as lazy translations, which cost more to copy out than the text.
    """

    def draw() -> dict:
        result = figures(report, centre, user, params)
        chart = None
        if report.chart:
            labels = report.value_labels.get(report.chart[0])
            bars = bar_chart(result, *report.chart, labels=labels)
            if bars:
                chart = render_to_string("reports/_chart.html", {"report": report, "chart": bars})
        return {
            "table": _table(report, result),
            "totals": totals_html(_totals(report, result)),
            "chart": chart,
            "shown_params": shown_params_html(_shown_params(result["params"])),
        }

    return centre_figure(centre, user, ("report-page", report.name, sorted(params.items())), draw)


def _shown_params(params: dict) -> list[tuple[str, str]]:
    """The parameters a result was computed with, as (translated label, value) for the page:
    the labels of the parameter form, dates as DD/MM/YYYY (the result keeps ISO dates)."""
    shown = []
    for name, value in params.items():
        if isinstance(value, datetime.date):
            value = value.isoformat()
        shown.append((str(param_label(name)), _screen_date(value)))
    return shown


def shown_params_html(shown: list[tuple[str, str]]) -> str:
    """The parameters above the table, as the page writes them (label: value · label: value)."""
    separator = escaped(pgettext("label separator", ":"))
    return mark_safe(
        " · ".join(
            f"<span>{escaped(label)}{separator} <strong>{shown_value(value)}</strong></span>"
            for label, value in shown
        )
    )


def totals_html(totals: list[tuple[str, str]]) -> str:
    """The totals beside the table, as the items of the page's <dl>."""
    return mark_safe(
        "".join(
            f"<div><dt>{escaped(label)}</dt><dd>{shown_value(value)}</dd></div>"
            for label, value in totals
        )
    )


def _screen_date(value):
    """An ISO date of a result (2024-03-09) as the screen writes dates (09/03/2024)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def _totals(report, result: dict) -> list[tuple[str, str]]:
    """The report's totals beside its columns, as (label, value as the reader writes it)."""
    total = result.get("total") or {}
    shown = []
    for key, label in report.totals:
        if key not in total:
            continue
        value = total[key]
        if value is None:
            value = "—"
        elif key.endswith("_eur"):
            value = number_format(value, 2, force_grouping=True)
        elif isinstance(value, int | float):
            value = number_format(value, force_grouping=True)
        shown.append((str(label), value))
    return shown


def _table(report, result: dict) -> dict:
    """The table's rows as HTML, and its total row (None when it has none)."""
    keys = [key for key, _label in report.columns]
    rows = [
        [
            {
                "value": _screen_date(report.display(key, row.get(key))),
                "num": isinstance(row.get(key), int | float),
            }
            for key in keys
        ]
        for row in result["rows"]
    ]
    total_row = _total_row(report, result)
    return {
        "head": table_head_html(report.columns),
        "html": mark_safe(table_rows_html(rows)),
        "foot": total_row_html(total_row) if total_row else "",
    }


def table_head_html(columns) -> str:
    """The cells of the table's head: each column's label."""
    return mark_safe("".join(f'<th scope="col">{escaped(label)}</th>' for _key, label in columns))


def _total_row(report, result: dict) -> list | None:
    """The values of the table's total row, one per column, or None when it has none."""
    keys = [key for key, _label in report.columns]
    total = result.get("total") or {}
    if len(result["rows"]) > 1 and any(key in total for key in keys):
        return [total.get(key, "") for key in keys]
    return None


def total_row_html(total_row: list) -> str:
    """The cells of the table's total row: "Total", then each column's total."""
    cells = [f'<th scope="row">{escaped(_("Total"))}</th>']
    cells += [f'<th scope="col">{shown_value(value)}</th>' for value in total_row[1:]]
    return mark_safe("".join(cells))


def ladder_figures(centre, user, first: datetime.date, second: datetime.date) -> dict:
    """The ladder transitions, kept between reads as the reports are (registry.centre_figure)."""
    return centre_figure(
        centre,
        user,
        ("ladder-transitions", first, second),
        lambda: selectors.ladder_transitions(centre, user, first, second),
    )


def ladder_table_html(keys, matrix) -> tuple[str, str]:
    """The transitions table's heading cells (a rung per column) and its rows (a rung per row,
    the count of clients per pair), as HTML: 64 cells were a template loop's longest work."""
    labels = dict(Rung.choices)
    names = {key: escaped(labels.get(key, _("No position"))) for key in keys}
    head = "".join(f'<th scope="col" class="num">{names[b]}</th>' for b in keys)
    body = "".join(
        f'<tr><th scope="row">{names[a]}</th>'
        + "".join(f'<td class="num">{shown_value(matrix[a][b])}</td>' for b in keys)
        + "</tr>"
        for a in keys
    )
    return mark_safe(head), mark_safe(body)


@login_required
def ladder_transitions(request: HttpRequest) -> HttpResponse:
    """Head of service: where clients stood on the ladder on one date, and on another."""
    if not request.user.role_set & TRANSITION_ROLES:
        raise PermissionDenied
    form = form_html = result = None
    if request.GET:
        form = ReportParamsForm(("from", "to"), request.GET)
        if form.is_valid():
            first, second = form.cleaned_data["from"], form.cleaned_data["to"]
            result = ladder_figures(request.centre, request.user, first, second)
    else:
        params, form_html = default_ladder_visit()
        result = ladder_figures(request.centre, request.user, params["from"], params["to"])
    if result:
        result["head_html"], result["body_html"] = ladder_table_html(
            result["keys"], result["matrix"]
        )
    return render(
        request,
        "reports/ladder_transitions.html",
        {"form": form, "form_html": form_html, "result": result},
    )
