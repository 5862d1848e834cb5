"""The yearly report for a centre's board: every registered standard report for a year, next
to the year before, with a short generated commentary of the changes.

Everything a reader sees is made here in the report's language: the reports' own column
headings, labels for the codes and totals the reports keep as keys, numbers with the
language's decimal separator and dates as on screen. The XLSX sheets keep the raw results.
"""

from __future__ import annotations

import datetime
import io

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from opstap.clients.utils import neutralise_cell
from opstap.reports.exports import table
from opstap.reports.params import param_label
from opstap.reports.registry import all_reports, run

# Reports with more rows than this are lists of dossiers or records: the board gets the totals.
MAX_ROWS = 20

# Totals some reports count beside their columns; the registry only names the columns.
TOTAL_LABELS = {
    "rows": gettext_lazy("Total"),
    "gpmi_missing": gettext_lazy("No signed GPMI"),
    "evaluation_overdue": gettext_lazy("Evaluation overdue"),
    "participants": gettext_lazy("Participants"),
    "cost_eur": gettext_lazy("Cost (€)"),
    "cost_per_participant_eur": gettext_lazy("Cost per participant (€)"),
}


def params_for(report, year: int, today: datetime.date | None = None) -> dict:
    """Sensible parameters for a report over a calendar year."""
    today = today or datetime.date.today()
    last_day = min(datetime.date(year, 12, 31), max(today, datetime.date(year, 1, 1)))
    raw: dict = {}
    if "date" in report.params:
        raw["date"] = last_day.isoformat()
    if "year" in report.params:
        raw["year"] = str(year)
    elif "from" in report.params:
        raw["from"] = f"{year}-01-01"
        raw["to"] = f"{year}-12-31"
    if "month" in report.params:
        raw["month"] = f"{last_day:%Y-%m}"
    return raw


# --- numbers, codes and dates as the reader reads them -------------------------------------------


def _numeric(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value) -> str:
    """A count or an amount in the active language (84,6 in Dutch and French)."""
    return formats.number_format(value)


def _plain(value):
    """4.0 as 4: a whole float without its decimal."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _is_percent(key: str) -> bool:
    return key == "percent" or key.endswith("_percent")


def _code_labels() -> dict[str, dict]:
    """Row keys whose values are codes, with their labels (the reports keep the codes)."""
    labels: dict[str, dict] = {}
    for report in all_reports():
        for key, values in report.value_labels.items():
            labels.setdefault(key, {}).update(values)
    return labels


def _cell(value, key: str, codes: dict) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if key in codes:
        return str(codes[key].get(value, value))
    if _numeric(value):
        return formats.number_format(value)
    if isinstance(value, str) and len(value) == 10:
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            pass
    return str(value)


def _param_value(value) -> str:
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":  # a month, 2024-03
        return f"{value[5:]}/{value[:4]}"
    if isinstance(value, int):  # a year: never grouped
        return str(value)
    return _cell(value, "", {})


def _params(params: dict) -> list[tuple[str, str]]:
    """The parameters a result was computed with: (translated label, value as on screen)."""
    return [(str(param_label(name)), _param_value(value)) for name, value in params.items()]


# --- the commentary ------------------------------------------------------------------------------


def _points(change: float) -> str:
    """A change of a percentage, in percentage points."""
    size = abs(change)
    # One count that picks the right form in every language: 1 is singular everywhere, 0
    # (for 0,5 or 1,5) is plural in English and singular in French, as each language wants.
    count = 1 if size == 1 else 0 if size < 2 else int(size)
    return npgettext("trend", "%(p)s percentage point", "%(p)s percentage points", count) % {
        "p": f"{'+' if change > 0 else '-'}{_number(_plain(round(size, 1)))}"
    }


def change_text(label: str, old, new, *, percent: bool = False) -> str:
    """ "Language trajectories: 274 → 301 (+10%)"; a percentage changes in points."""
    if new == old:
        trend = _("unchanged")
    elif percent:
        trend = _points(new - old)
    elif not old:
        trend = pgettext("trend", "new")
    else:
        pct = round((new - old) * 100 / old)
        trend = _("%(p)s%%") % {"p": f"{pct:+d}"} if pct else _("unchanged")
    if all(float(v).is_integer() for v in (old, new)):
        old, new = _plain(old), _plain(new)  # 516.0 → 1431.0 hours reads as 516 → 1431
    return _("%(label)s: %(old)s → %(new)s (%(trend)s)") % {
        "label": label,
        "old": _number(old),
        "new": _number(new),
        "trend": trend,
    }


def _total_label(report, key: str) -> str:
    headings = {k: str(label) for k, label in report.columns}
    return headings.get(key) or str(TOTAL_LABELS.get(key, key.replace("_", " ")))


def _yearly_lines(report, current: dict, previous: dict, year: int) -> list[str]:
    """A report with a row per year: this year's row against last year's, column by column."""
    label_key = report.chart[0]
    now = next((r for r in current["rows"] if r.get(label_key) == year), None)
    before = next((r for r in previous["rows"] if r.get(label_key) == year - 1), None)
    if now is None or before is None:
        return []
    return [
        change_text(str(label), before[key], now[key], percent=_is_percent(key))
        for key, label in report.columns
        if key != label_key and _numeric(now.get(key)) and _numeric(before.get(key))
    ]


def _commentary(report, current: dict, previous: dict, year: int) -> list[str]:
    if report.chart and report.chart[0] == "year":
        return _yearly_lines(report, current, previous, year)
    lines = []
    if report.chart and len(current["rows"]) <= MAX_ROWS:
        label_key, value_key = report.chart
        codes = _code_labels()
        before = {str(r.get(label_key)): r.get(value_key) for r in previous["rows"]}
        for row in current["rows"]:
            value, old = row.get(value_key), before.get(str(row.get(label_key)), 0)
            if _numeric(value) and _numeric(old) and (value or old):
                label = _cell(row.get(label_key), label_key, codes)
                lines.append(change_text(label, old, value, percent=_is_percent(value_key)))
    else:
        old_total = previous.get("total") or {}
        for key, value in (current.get("total") or {}).items():
            old = old_total.get(key)
            if _numeric(value) and _numeric(old):
                label = _total_label(report, key)
                lines.append(change_text(label, old, value, percent=_is_percent(key)))
    return lines


# --- the sections --------------------------------------------------------------------------------


def _section(report, current: dict, previous: dict, year: int) -> dict:
    """One report as the PDF shows it: its own columns, and the totals with their labels."""
    keys = [key for key, _label in report.columns]
    rows = current["rows"]
    detailed = len(rows) <= MAX_ROWS
    codes = _code_labels()
    numeric = [any(_numeric(row.get(key)) for row in rows) and key not in codes for key in keys]

    def cells(values: list) -> list[dict]:
        return [{"value": v, "num": num} for v, num in zip(values, numeric, strict=True)]

    total = current.get("total") or {}
    total_row = None
    if detailed and len(rows) > 1 and any(key in total for key in keys):
        total_row = cells([_cell(total[key], key, codes) if key in total else "" for key in keys])
    # A single row already shows the column totals; a list that is left out does not.
    shown = set(keys) if detailed else set()
    return {
        "name": report.name,
        "title": str(report.title),
        "description": str(report.description),
        "params": _params(current["params"]),
        "header": cells([str(label) for _key, label in report.columns]),
        "rows": [cells([_cell(row.get(key), key, codes) for key in keys]) for row in rows]
        if detailed
        else [],
        "total_row": total_row,
        "totals": [
            (_total_label(report, key), _cell(value, key, codes))
            for key, value in total.items()
            if key not in shown
        ],
        "row_count": len(rows),
        "detailed": detailed,
        "commentary": _commentary(report, current, previous, year),
        "result": current,
    }


def yearly_report(centre, user, year: int, language: str) -> dict:
    """Every registered report for the year and the year before, in the given language."""
    sections = []
    with translation.override(language):
        for report in all_reports():
            current = run(
                report.name, centre=centre, user=user, raw_params=params_for(report, year)
            )
            previous = run(
                report.name, centre=centre, user=user, raw_params=params_for(report, year - 1)
            )
            sections.append(_section(report, current, previous, year))
    return {"year": year, "previous": year - 1, "centre": centre, "sections": sections}


def yearly_xlsx(data: dict, language: str) -> bytes:
    """A summary sheet with the commentary, then one sheet per report."""
    book = Workbook()
    with translation.override(language):
        summary = book.active
        summary.title = _("Summary")[:31]
        summary.append([_("Yearly report %(year)s") % {"year": data["year"]}, str(data["centre"])])
        summary["A1"].font = Font(bold=True, size=14)
        for section in data["sections"]:
            summary.append([])
            summary.append([section["title"]])
            summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
            for line in section["commentary"] or [_("No change to report.")]:
                summary.append([neutralise_cell(line)])
        used = set()
        for section in data["sections"]:
            name = section["name"][:31]
            if name in used:
                continue
            used.add(name)
            sheet = book.create_sheet(name)
            header, body = table(section["result"])
            sheet.append(header)
            for row in body:
                sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
