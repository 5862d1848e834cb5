"""The report table's body written in Python is what the template loop wrote."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

from opstap.reports.table import table_rows_html

# The loop of reports/report.html before the body moved to opstap/reports/table.py.
REFERENCE = Template(
    '{% for row in rows %}<tr>{% for cell in row %}<td{% if cell.num %} class="num"{% endif %}>'
    "{% if cell.value is None %}—{% else %}{{ cell.value }}{% endif %}</td>{% endfor %}</tr>"
    "{% endfor %}"
)
VALUES = [
    None,
    0,
    12,
    1234567,
    3.5,
    -0.25,
    Decimal("2.50"),
    "",
    "D'Hondt & <Co>",
    "09/03/2024",
    gettext_lazy("Volunteering"),
    True,
    datetime.date(2024, 3, 9),
]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_html_as_the_template_loop(language):
    rows = [
        [{"value": value, "num": isinstance(value, int | float)} for value in VALUES],
        [{"value": value, "num": False} for value in reversed(VALUES)],
        [],
    ]
    with translation.override(language):
        expected = REFERENCE.render(Context({"rows": rows}))
        written = table_rows_html(rows)
    assert written == expected
    assert "D&#x27;Hondt &amp; &lt;Co&gt;" in written
    assert table_rows_html([]) == ""
