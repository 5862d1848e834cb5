"""A report's table body, written in Python.

The GPMI deadlines of a city centre are a table of some 1,800 rows and 5,000 cells; the
template loop that wrote them took a large part of the page. This writes the same HTML: a
cell's value localised and escaped as `{{ value }}` does, "—" for no value, numbers marked
for right alignment. A test renders the template loop it replaced beside it.
"""

from __future__ import annotations

from opstap.core.escaping import shown


def _cell(cell: dict) -> str:
    value = cell["value"]
    text = "—" if value is None else shown(value)
    return f'<td class="num">{text}</td>' if cell["num"] else f"<td>{text}</td>"


def table_rows_html(rows: list[list[dict]]) -> str:
    """The <tr> rows of the table's body, for the cells `reports.views._table` gives."""
    return "".join(f"<tr>{''.join(_cell(cell) for cell in row)}</tr>" for row in rows)
