"""The hours grid's rows written in Python are the HTML the row template wrote."""

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from opstap.activation.grid import grid_body_html, grid_row_html
from opstap.activation.models import HoursStatus, MonthlyHours

# The row as partner_hours.html wrote it before the rows moved to opstap/activation/grid.py.
ROW_TEMPLATE = Template((Path(__file__).parent / "hours_row_reference.html").read_text())

RECORDS = [
    None,
    dict(hours=Decimal("31.50"), transport_eur=Decimal("12.25"), clothing_eur=None),
    dict(hours=Decimal("0"), transport_eur=None, clothing_eur=Decimal("25")),
]
ERRORS = [
    {},
    {"hours": "Enter a number <= 744."},
    {"transport_eur": "Not a number", "clothing_eur": "Too much & more"},
]


def _rows(placement, record, errors, locked, posted):
    if record is not None:
        record = MonthlyHours(placement=placement, status=HoursStatus.SUBMITTED, **record)
    values = (
        {"hours": "3,5<", "transport_eur": "", "clothing_eur": "x"}
        if posted
        else {
            "hours": record.hours if record else "",
            "transport_eur": record.transport_eur if record and record.transport_eur else "",
            "clothing_eur": record.clothing_eur if record and record.clothing_eur else "",
        }
    )
    name = f"{placement.client.first_name} & <{placement.client.last_name}>"
    return {
        "p": placement,
        "name": name,
        "labels": {f: f"{f} of {name}" for f in values},
        "record": record,
        "locked": locked,
        "errors": {f: errors.get(f) for f in values},
        **values,
    }


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_html_as_the_row_template(placement, language):
    with translation.override(language):
        for record, errors, locked, posted, stale in itertools.product(
            RECORDS, ERRORS, (False, True), (False, True), (False, True)
        ):
            row = _rows(placement, record, errors, locked, posted)
            expected = ROW_TEMPLATE.render(Context({"rows": [row], "stale": stale}))
            assert f"  <tbody>{grid_row_html(row, stale=stale)}\n  </tbody>" == expected


def test_decimals_in_the_language_and_names_escaped(placement):
    row = _rows(placement, RECORDS[1], {}, False, False)
    with translation.override("nl"):
        html = grid_row_html(row, stale=True)
    assert 'value="31,50"' in html and "12,25" in html
    assert "&amp; &lt;" in html and "<" + placement.client.last_name not in html


# The table's body as partner_hours.html wrote it while each row was kept on its own.
BODY_TEMPLATE = Template("<tbody>{% for row in rows %}{{ row.html }}{% endfor %}</tbody>")


@pytest.mark.parametrize("stale", [False, True])
def test_the_body_is_every_row_in_order_as_the_loop_wrote_it(placement, stale):
    rows = [
        _rows(placement, record, errors, locked, posted)
        for record, errors, locked, posted in itertools.product(
            RECORDS, ERRORS, (False, True), (False, True)
        )
    ]
    with translation.override("fr"):
        each = [{"html": grid_row_html(row, stale=stale)} for row in rows]
        body = grid_body_html(rows, stale=stale)
        assert f"<tbody>{body}</tbody>" == BODY_TEMPLATE.render(Context({"rows": each}))
    assert len(rows) == 36 and body.count("<tr>") == 36
    assert grid_body_html([], stale=stale) == ""


# The list of evaluation forms due, as partner_hours.html wrote it before grid.py did.
DUE_TEMPLATE = Template(
    "{% load i18n links %}{% for p, day in due %}<li><a href=\"{{ p.pk|pk_url:'activation:partner-"
    'evaluation\' }}">{{ p.client.full_name }}</a> — {% blocktranslate with d=day|date:"d/m/Y" '
    "%}due {{ d }}{% endblocktranslate %}</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_due_evaluations_as_the_template_wrote_them(language):
    import datetime
    from types import SimpleNamespace

    from opstap.activation.grid import due_evaluations_html

    saba = SimpleNamespace(pk=7, client=SimpleNamespace(full_name="Saba Berhane"))
    other = SimpleNamespace(pk=123, client=SimpleNamespace(full_name="D'Hondt & <Co>"))
    due = [
        (saba, datetime.date(2026, 11, 27)),
        (saba, datetime.date(2027, 1, 3)),
        (other, datetime.date(2026, 2, 9)),
    ]
    with translation.override(language):
        expected = DUE_TEMPLATE.render(Context({"due": due}))
        written = due_evaluations_html(due)
    assert written == expected
    assert "D&#x27;Hondt &amp; &lt;Co&gt;" in written and "03/01/2027" in written
    assert due_evaluations_html([]) == ""
