"""A report result as a flat table, CSV or XLSX: the same numbers as the JSON."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from opstap.clients.utils import neutralise_cell


def _flatten(row: dict, prefix: str = "") -> dict:
    """Nested values become dotted columns: {"by_track": {"opstap": 1}} -> by_track.opstap."""
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def table(result: dict) -> tuple[list[str], list[list]]:
    """Header and rows; a last row "total" puts each total under the column of the same name."""
    rows = [_flatten(row) for row in result["rows"]]
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    total = _flatten(result.get("total") or {})
    header += [key for key in total if key not in header]
    body = [[row.get(key) for key in header] for row in rows]
    if total and header:
        body.append(["total" if i == 0 else total.get(key) for i, key in enumerate(header)])
    return header, body


def to_csv(result: dict) -> str:
    header, body = table(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in body:
        writer.writerow(["" if v is None else neutralise_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(result: dict) -> bytes:
    header, body = table(result)
    book = Workbook()
    sheet = book.active
    sheet.title = result["report"][:31]
    sheet.append(header)
    for row in body:
        sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
    params = book.create_sheet("params")
    for key, value in result["params"].items():
        params.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
