"""A report page's parameters, table head, total row and totals, written in Python and kept
with the page's other parts, are what report.html's template loops wrote."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from opstap.core.form_fields import form_fields_html
from opstap.factories import ClientFactory
from opstap.reports import views
from opstap.reports.params import ReportParamsForm, parse_params
from opstap.reports.registry import all_reports, figures
from opstap.reports.tests.test_kept_figures import _raw_params
from opstap.reports.views import (
    _shown_params,
    _table,
    _total_row,
    _totals,
    shown_params_html,
    table_head_html,
    total_row_html,
    totals_html,
)

# The loops of reports/report.html before they were written in Python, "|" between them.
REFERENCE = Template(
    "{% load i18n %}"
    "{% for label, value in shown_params %}<span>{{ label }}"
    '{% translate ":" context "label separator" %} <strong>{{ value }}</strong></span>'
    "{% if not forloop.last %} · {% endif %}{% endfor %}"
    '|{% for key, label in columns %}<th scope="col">{{ label }}</th>{% endfor %}'
    "|{% if total_row %}{% for value in total_row %}"
    '<th scope="{% if forloop.first %}row{% else %}col{% endif %}">'
    '{% if forloop.first %}{% translate "Total" %}{% else %}{{ value }}{% endif %}</th>'
    "{% endfor %}{% endif %}"
    "|{% for label, value in totals %}<div><dt>{{ label }}</dt><dd>{{ value }}</dd></div>"
    "{% endfor %}"
)


def _written(shown, columns, total_row, totals, head) -> str:
    foot = total_row_html(total_row) if total_row else ""
    return f"{shown_params_html(shown)}|{head}|{foot}|{totals_html(totals)}"


def _reference(shown, columns, total_row, totals) -> str:
    context = {"shown_params": shown, "columns": columns, "total_row": total_row, "totals": totals}
    return REFERENCE.render(Context(context))


@pytest.fixture
def data(build):
    day = datetime.date.today() - datetime.timedelta(days=200)
    for n, code in enumerate(["taal", "taal", "werk"]):
        person = build.client(f"H{n}", (day, None))
        build.trajectory(person, code, day + datetime.timedelta(days=10))
    ClientFactory(centre=build.centre)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_every_report_writes_what_the_template_wrote(centre, maria, data, language):
    seen = {"foot": 0, "totals": 0}
    with translation.override(language):
        for report in all_reports():
            result = figures(report, centre, maria, parse_params(report, _raw_params(report)))
            shown, totals = _shown_params(result["params"]), _totals(report, result)
            total_row = _total_row(report, result)
            table = _table(report, result)
            written = _written(shown, report.columns, total_row, totals, table["head"])
            assert table["head"] == table_head_html(report.columns)
            assert written == _reference(shown, report.columns, total_row, totals), report.name
            assert table["foot"] == (total_row_html(total_row) if total_row else "")
            seen["foot"] += bool(total_row)
            seen["totals"] += bool(totals)
    assert seen["foot"] and seen["totals"]  # the data gives both somewhere


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_escapes_and_localises_as_the_template_did(language):
    shown = [("Da'te <x>", "01/02/2024"), ("n", 2.5), ("k", 3)]
    columns = [("a", "A & B"), ("b", "l'été")]
    total_row = ["total", 1234.5, "", 7]
    totals = [("Fee & <cost>", "1.234,50"), ("none", "—"), ("ratio", 0.25)]
    head = "".join(
        f'<th scope="col">{label}</th>' for _key, label in columns
    )  # no escaping needed? no:
    head = head.replace("&", "&amp;").replace("'", "&#x27;")
    with translation.override(language):
        written = _written(shown, columns, total_row, totals, head)
        assert written == _reference(shown, columns, total_row, totals)
    assert "Da&#x27;te &lt;x&gt;" in written and "l&#x27;été" in written
    if language in ("nl", "fr"):
        assert "1234,5" in written and "2,5" in written


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_visit_without_parameters_shows_the_fields_a_new_form_shows(
    client, maria, monkeypatch, language
):
    monkeypatch.setattr(views, "_DEFAULT_VISITS", {})
    client.force_login(maria)
    built = []
    original = ReportParamsForm.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    for report in all_reports():
        url = reverse("reports:report", args=[report.name])
        other = "fr" if language == "nl" else "nl"
        client.get(url, HTTP_ACCEPT_LANGUAGE=other)  # each language has its own
        client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # works the fields out once
        monkeypatch.setattr(ReportParamsForm, "__init__", counted)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        monkeypatch.setattr(ReportParamsForm, "__init__", original)
        with translation.override(language):
            params = parse_params(report, {})
            fields = form_fields_html(ReportParamsForm(report.params, initial=params))
        assert fields in page, report.name
        for value in params.values():  # the defaults shown, dates as the screen writes them
            if isinstance(value, datetime.date):
                assert f'value="{value:%d/%m/%Y}"' in fields, report.name
    assert built == []  # the second visit of each built no form


def test_the_kept_parameters_are_each_visits_own(monkeypatch):
    monkeypatch.setattr(views, "_DEFAULT_VISITS", {})
    report = all_reports()[0]
    first, _html = views.default_visit(report)
    first.clear()
    second, html = views.default_visit(report)
    assert second == parse_params(report, {}) and html


def test_parameters_given_still_go_through_the_form(client, maria):
    client.force_login(maria)
    url = reverse("reports:report", args=["activation-speed"])
    page = client.get(url, {"from": "01/05/2024", "to": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "to" in page.context["form"].errors
    assert 'value="nope"' in page.content.decode()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_ladder_page_without_parameters_shows_the_fields_a_new_form_shows(
    client, carol, monkeypatch, language
):
    monkeypatch.setattr(views, "_DEFAULT_VISITS", {})
    client.force_login(carol)
    url = reverse("reports:ladder-transitions")
    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    built = []
    original = ReportParamsForm.__init__
    monkeypatch.setattr(
        ReportParamsForm,
        "__init__",
        lambda self, *a, **k: built.append(1) or original(self, *a, **k),
    )
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    monkeypatch.setattr(ReportParamsForm, "__init__", original)
    today = datetime.date.today()
    params = {"from": datetime.date(today.year, 1, 1), "to": today}
    with translation.override(language):
        fields = form_fields_html(ReportParamsForm(("from", "to"), initial=params))
    assert fields in page.content.decode()
    assert f'value="{today:%d/%m/%Y}"' in fields
    assert page.context["result"]["clients"] == 0 and built == []


# The loops of reports/ladder_transitions.html before they were written in Python.
LADDER_REFERENCE = Template(
    '{% for h in headings %}<th scope="col" class="num">{{ h }}</th>{% endfor %}|'
    '{% for row in grid %}<tr><th scope="row">{{ row.label }}</th>'
    '{% for n in row.cells %}<td class="num">{{ n }}</td>{% endfor %}</tr>{% endfor %}'
)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_ladder_table_is_what_its_template_loops_wrote(language, monkeypatch):
    from opstap.reports.views import ladder_table_html
    from opstap.trajectories.models import Rung

    keys = [*list(Rung.values), "none"]
    matrix = {a: {b: (i * 997 + j * 13) for j, b in enumerate(keys)} for i, a in enumerate(keys)}
    # A label with markup must come out escaped, as the template did.
    choices = [(keys[0], "<b>&"), *Rung.choices[1:]]
    monkeypatch.setattr(views, "Rung", SimpleNamespace(choices=choices))
    with translation.override(language):
        labels = dict(choices)
        names = [labels.get(k, views._("No position")) for k in keys]
        grid = [
            {"label": names[i], "cells": [matrix[a][b] for b in keys]} for i, a in enumerate(keys)
        ]
        expected = LADDER_REFERENCE.render(Context({"headings": names, "grid": grid}))
        head, body = ladder_table_html(keys, matrix)
    assert f"{head}|{body}" == expected
    assert "&lt;b&gt;&amp;" in head and "<b>" not in body
    assert len(keys) ** 2 == body.count('<td class="num">')
