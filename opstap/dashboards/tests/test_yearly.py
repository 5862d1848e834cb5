import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from opstap.dashboards.yearly import _section, change_text, params_for, yearly_report
from opstap.reports.registry import REPORTS, Report, get_report

from .test_flow import World

URL = reverse("dashboards:yearly")


@pytest.fixture
def world(centre, office, alice, dave):
    return World(centre, office, alice, dave)


def test_change_text():
    assert (
        change_text("Language trajectories", 274, 301) == "Language trajectories: 274 → 301 (+10%)"
    )
    assert change_text("Work", 10, 5) == "Work: 10 → 5 (-50%)"
    assert change_text("New", 0, 3) == "New: 0 → 3 (new)"


def test_change_text_reads_in_the_language():
    with translation.override("fr"):
        assert change_text("Cohorte", 0, 3) == "Cohorte : 0 → 3 (nouveau)"
        assert change_text("Heures", 516.0, 1431.0) == "Heures : 516 → 1431 (+177 %)"
        assert change_text("Volontariat", 20.3, 26.0) == "Volontariat : 20,3 → 26,0 (+28 %)"
        assert (
            change_text("Pourcentage", 89.1, 84.6, percent=True)
            == "Pourcentage : 89,1 → 84,6 (-4,5 points)"
        )
    with translation.override("nl"):
        assert change_text("Cohort", 0, 3) == "Cohort: 0 → 3 (nieuw)"
        assert change_text("Percentage", 50.0, 51.0, percent=True) == (
            "Percentage: 50 → 51 (+1 procentpunt)"
        )
    assert change_text("Percent", 50.0, 51.5, percent=True) == (
        "Percent: 50,0 → 51,5 (+1,5 percentage points)"
    )
    assert change_text("Percent", 50.0, 51.0, percent=True) == (
        "Percent: 50 → 51 (+1 percentage point)"
    )


SOCIAL = Report(
    name="social",
    title="Social activation",
    selector=None,
    params=("from", "to"),
    columns=[("kind", "Kind"), ("active", "Active"), ("percent", "Percent")],
    chart=("kind", "active"),
)


def _result(rows, total, start="2024-01-01"):
    return {"params": {"from": start, "to": start[:4] + "-12-31"}, "rows": rows, "total": total}


def test_section_shows_labels_and_localised_numbers_not_keys():
    rows = [
        {"kind": "volunteering", "active": 3, "percent": 12.5},
        {"kind": "arbeidszorg", "active": 2, "percent": 87.5},
    ]
    before = [{"kind": "volunteering", "active": 2, "percent": 10.0}]
    with translation.override("fr"):
        section = _section(
            SOCIAL,
            _result(rows, {"active": 5, "rows": 2}),
            _result(before, {}, "2023-01-01"),
            2024,
        )
    assert section["params"] == [("Du", "01/01/2024"), ("Au", "31/12/2024")]
    assert [c["value"] for c in section["rows"][0]] == ["Volontariat", "3", "12,5"]
    assert [c["num"] for c in section["rows"][0]] == [False, True, True]
    assert [c["value"] for c in section["total_row"]] == ["", "5", ""]
    assert section["totals"] == [("Total", "2")]  # a total beside the columns, labelled
    assert section["commentary"] == [
        "Volontariat : 2 → 3 (+50 %)",
        "Travail encadré (arbeidszorg) : 0 → 2 (nouveau)",
    ]


def test_a_report_by_year_compares_this_year_with_last_year():
    trend = Report(
        name="trend",
        title="Trend",
        selector=None,
        params=("from", "to"),
        columns=[("year", "Year"), ("volunteering", "Volunteering")],
        chart=("year", "volunteering"),
    )
    current = _result([{"year": 2024, "volunteering": 26.0}], {})
    previous = _result([{"year": 2023, "volunteering": 20.3}], {}, "2023-01-01")
    assert _section(trend, current, previous, 2024)["commentary"] == [
        "Volunteering: 20,3 → 26,0 (+28%)"
    ]


def test_params_for_a_year():
    today = datetime.date(2026, 6, 1)
    assert params_for(get_report("activation-status"), 2024, today) == {"date": "2024-12-31"}
    assert params_for(get_report("activation-speed"), 2024, today) == {
        "from": "2024-01-01",
        "to": "2024-12-31",
    }
    assert params_for(get_report("social-activation"), 2024, today) == {"year": "2024"}
    assert params_for(get_report("allowances"), 2024, today) == {"month": "2024-12"}
    assert params_for(get_report("activation-status"), 2026, today) == {"date": "2026-06-01"}


def test_every_registered_report_with_commentary(world, centre, maria):
    data = yearly_report(centre, maria, 2024, "en")
    assert [s["name"] for s in data["sections"]] == [
        r.name for r in sorted(REPORTS.values(), key=lambda r: (r.order, r.name))
    ]
    dossiers = next(s for s in data["sections"] if s["name"] == "trajectory-dossiers")
    # taal: 0 at the end of 2023 -> 1 (ann); instap: 0 -> 2 (ann and chris)
    assert "Language trajectory / language activation: 0 → 1 (new)" in dossiers["commentary"]
    assert "Work and aftercare: 1 → 1 (unchanged)" in dossiers["commentary"]
    speed = next(s for s in data["sections"] if s["name"] == "activation-speed")
    assert "Cohort: 0 → 4 (new)" in speed["commentary"]


def test_yearly_pdf_renders(client, world, maria, tmp_path):
    maria.language = "en"
    maria.save()
    client.force_login(maria)
    response = client.get(URL, {"year": 2024, "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "yearly.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Yearly report 2024" in text
    assert "Unique dossiers per trajectory type" in text
    assert "Cohort: 0 → 4 (new)" in text


def test_yearly_pdf_in_the_users_language(client, world, maria, tmp_path):
    maria.language = "fr"
    maria.save()
    client.force_login(maria)
    response = client.get(URL, {"year": 2024, "format": "pdf"})
    pdf = tmp_path / "yearly.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Trajet linguistique / activation linguistique : 0 → 1 (nouveau)" in text
    assert "Du : 01/01/2024 · Au : 31/12/2024" in text
    assert "Pourcentage" in text and "50,0" in text  # activation-speed: 2 of 4
    # no parameter names, ISO dates or total keys of the reports
    for raw in ("from:", "2024-12-31", "gpmi_missing", "rows:", "by_track", "cost_eur"):
        assert raw not in text, raw


def test_yearly_xlsx_opens(client, world, carol):
    client.force_login(carol)
    response = client.get(URL, {"year": 2024, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] in ("Summary", "Samenvatting", "Résumé")
    assert "activation-status" in book.sheetnames
    status = book["activation-status"]
    header = [c.value for c in status[1]]
    assert header[:3] == ["type", "label", "clients"]
    total = [c.value for c in status[status.max_row]]
    assert total[0] == "total" and total[header.index("clients")] == 5  # all five have a right


@pytest.mark.parametrize("name", ["alice", "pete", "oscar"])
def test_yearly_is_for_head_management_admin(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(URL).status_code == 404


def test_yearly_page_and_bad_year(client, adam):
    client.force_login(adam)
    assert client.get(URL).status_code == 200
    response = client.get(URL, {"year": "abc", "format": "pdf"})
    assert response.status_code == 200 and "Enter a whole number" in response.content.decode()
