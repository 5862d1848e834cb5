"""The yearly report for a centre's board: every registered standard report for a year, next
to the year before, with a short generated commentary of the changes."""

from __future__ import annotations

import datetime
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from opstap.clients.utils import neutralise_cell
from opstap.reports.exports import table
from opstap.reports.registry import all_reports, run

# Reports with more rows than this are lists of dossiers or records: the board gets the totals.
MAX_ROWS = 20


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


def change_text(label: str, old, new) -> str:
    """ "Language trajectories: 274 → 301 (+10%)" """
    if not old:
        trend = _("new") if new else _("unchanged")
    else:
        pct = round((new - old) * 100 / old)
        trend = f"{pct:+d}%" if pct else _("unchanged")
    return f"{label}: {_number(old)} → {_number(new)} ({trend})"


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _numeric(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _commentary(report, current: dict, previous: dict) -> list[str]:
    lines = []
    headings = {key: str(label) for key, label in report.columns}
    if report.chart and len(current["rows"]) <= MAX_ROWS:
        label_key, value_key = report.chart
        before = {str(r.get(label_key)): r.get(value_key) for r in previous["rows"]}
        for row in current["rows"]:
            label, value = str(row.get(label_key)), row.get(value_key)
            old = before.get(label, 0)
            if _numeric(value) and _numeric(old) and (value or old):
                lines.append(change_text(label, old, value))
    else:
        old_total = previous.get("total") or {}
        for key, value in (current.get("total") or {}).items():
            old = old_total.get(key)
            if _numeric(value) and _numeric(old):
                lines.append(change_text(headings.get(key, key.replace("_", " ")), old, value))
    return lines


def _section(report, current: dict, previous: dict) -> dict:
    header, body = table(current)
    detailed = len(current["rows"]) <= MAX_ROWS
    headings = {key: str(label) for key, label in report.columns}
    return {
        "name": report.name,
        "title": str(report.title),
        "description": str(report.description),
        "params": current["params"],
        "header": [headings.get(h, h) for h in header],
        "rows": body if detailed else body[-1:] if current.get("total") else [],
        "row_count": len(current["rows"]),
        "detailed": detailed,
        "commentary": _commentary(report, current, previous),
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
            sections.append(_section(report, current, previous))
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
