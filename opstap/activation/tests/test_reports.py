"""The reports against a dataset whose figures were computed by hand (see the comments)."""

import datetime as dt
from decimal import Decimal

import pytest

from opstap.activation.models import MonthlyHours, Placement
from opstap.factories import ClientFactory
from opstap.interchange.engine import export_files, import_files
from opstap.reports.registry import run

from .conftest import make_placement


@pytest.fixture
def dataset(centre, organisation, other_organisation):
    c1, c2, c3, c4 = (ClientFactory(centre=centre, ref=f"C{i}") for i in range(1, 5))
    # C1: volunteering at ANA, mutation to the zoo on 1/3, step up on 30/6 (one spell from
    # 1/10/2022); work-care from 1/7/2023, open.
    p1 = make_placement(
        c1,
        organisation,
        ref="P1",
        start=dt.date(2022, 10, 1),
        end=dt.date(2023, 2, 28),
        end_reason="mutation",
        track="mogelijke_opstap",
    )
    make_placement(
        c1,
        other_organisation,
        ref="P2",
        start=dt.date(2023, 3, 1),
        end=dt.date(2023, 6, 30),
        end_reason="step_up",
        track="opstap",
        previous=p1,
    )
    make_placement(
        c1, organisation, ref="P7", kind="arbeidszorg", track="opstap", start=dt.date(2023, 7, 1)
    )
    # C2: volunteering from 15/5/2023, open.
    make_placement(c2, organisation, ref="P3", start=dt.date(2023, 5, 15), track="finaliteit")
    # C3: two spells in 2023 with a gap: dropout on 31/3, then 1/6–31/8 completed.
    make_placement(
        c3,
        organisation,
        ref="P4",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 3, 31),
        end_reason="dropout",
        track="mogelijke_opstap",
    )
    make_placement(
        c3,
        other_organisation,
        ref="P5",
        start=dt.date(2023, 6, 1),
        end=dt.date(2023, 8, 31),
        end_reason="completed",
        track="finaliteit",
    )
    # C4: all of 2021–2022, and a referral that never started (no start: never counted).
    make_placement(
        c4,
        organisation,
        ref="P6",
        start=dt.date(2021, 1, 1),
        end=dt.date(2022, 12, 31),
        end_reason="completed",
    )
    Placement.objects.create(
        centre=centre,
        client=c4,
        organisation=organisation,
        ref="P8",
        kind="volunteering",
        track="opstap",
        status="referral",
    )
    return centre


def test_social_activation_year(dataset):
    result = run("social-activation", centre=dataset, user=None, raw_params={"year": "2023"})
    vol, az = result["rows"]
    assert vol == {
        "kind": "volunteering",
        "active": 3,  # C1, C2, C3
        "by_track": {  # by the overlapping placement that started last: P2, P3, P5
            "opstap": {"clients": 1, "percent": 33.3},
            "mogelijke_opstap": {"clients": 0, "percent": 0.0},
            "finaliteit": {"clients": 2, "percent": 66.7},
        },
        "started": 2,  # C2, C3 (C1's spell started in 2022 and continued through the mutation)
        "stopped": 2,  # C1 on 30/6, C3 (twice: counted once)
        "stopped_step_up": 1,  # C1
        # clients per month Jan..Dec: 2 2 2 1 2 3 2 2 1 1 1 1 = 20 / 12
        "avg_clients_per_month": 1.7,
    }
    assert az == {
        "kind": "arbeidszorg",
        "active": 1,
        "by_track": {
            "opstap": {"clients": 1, "percent": 100.0},
            "mogelijke_opstap": {"clients": 0, "percent": 0.0},
            "finaliteit": {"clients": 0, "percent": 0.0},
        },
        "started": 1,
        "stopped": 0,
        "stopped_step_up": 0,
        "avg_clients_per_month": 0.5,  # 6 months with 1 client / 12
    }
    assert result["params"]["from"] == "2023-01-01" and result["params"]["to"] == "2023-12-31"


def test_social_activation_trend(dataset):
    result = run(
        "social-activation-trend",
        centre=dataset,
        user=None,
        raw_params={"from": "2022-07-01", "to": "2023-06-30"},
    )
    assert result["rows"] == [
        # Jul–Sep: C4; Oct–Dec: C4 and C1 -> 1 1 1 2 2 2 = 9 / 6
        {"year": 2022, "months": 6, "volunteering": 1.5, "arbeidszorg": 0.0},
        # Jan–Jun: 2 2 2 1 2 3 = 12 / 6
        {"year": 2023, "months": 6, "volunteering": 2.0, "arbeidszorg": 0.0},
    ]


def test_report_counts_only_what_the_user_may_see(dataset, alice):
    result = run("social-activation", centre=dataset, user=alice, raw_params={"year": "2023"})
    assert result["rows"][0]["active"] == 0


def test_report_page_and_api(client, dataset, carol):
    client.force_login(carol)
    page = client.get("/reports/social-activation/?year=2023")
    assert page.status_code == 200
    # The page names the kinds; the API keeps the codes of the contract.
    cells = page.context["table"]["html"]
    assert "<td>Volunteering</td>" in cells and "<td>volunteering</td>" not in cells
    client.cookies["django_language"] = "nl"
    assert "Vrijwilligerswerk" in client.get("/reports/social-activation/?year=2023").text
    data = client.get("/api/v1/reports/social-activation?year=2023").json()
    assert data["rows"][0]["kind"] == "volunteering"
    assert data["rows"][0]["avg_clients_per_month"] == 1.7
    data = client.get("/api/v1/reports/allowances?month=2023-05").json()
    assert data["rows"] == []


def test_interchange_round_trip(dataset, other_centre):
    MonthlyHours.objects.create(
        placement=Placement.objects.get(ref="P3"),
        month=dt.date(2023, 6, 1),
        hours=Decimal("12.5"),
        transport_eur=Decimal("4.20"),
        status="approved",
    )
    files = export_files(centre=dataset)
    assert (
        b"P1,C1,ANA,volunteering,mogelijke_opstap,2022-10-01,2023-02-28,mutation,8.0"
        in (files["placements.csv"])
    )
    assert b"P3,2023-06,12.50,4.20," in files["hours.csv"]
    assert b"P8" not in files["placements.csv"]
    result = import_files(files=files, centre=other_centre)
    assert result.ok, result.errors
    again = export_files(centre=other_centre)
    assert again["placements.csv"] == files["placements.csv"]
    assert again["hours.csv"] == files["hours.csv"]
    assert import_files(files=files, centre=other_centre).summary()["hours.csv"]["unchanged"] == 1


def test_interchange_reports_every_error(dataset, other_centre):
    files = export_files(centre=dataset)
    files["placements.csv"] += b"P9,C1,ANA,arbeidszorg,,2023-01-01,,,\n"
    files["hours.csv"] = (
        b"placement_ref,month,hours,transport_eur,clothing_eur\n"
        b"P3,2023-06,745,,\nP4,2023-05,3,,\nP1,2023-01,3,,\n"
    )
    result = import_files(files=files, centre=other_centre)
    problems = {(p.file, p.line, p.column) for p in result.errors}
    assert ("placements.csv", 9, "track") in problems or any(
        p.column == "track" for p in result.errors
    )
    assert ("hours.csv", 2, "hours") in problems
    assert ("hours.csv", 3, "month") in problems  # P4 ended on 31/3
    assert not Placement.objects.filter(centre=other_centre).exists()


def test_clients_per_month_counts_what_overlaps_each_month():
    """The one-pass count against the definition, month by month, on placements of every
    shape: before, across, inside and after the months, open-ended, a day long."""
    import random

    from opstap.activation.reports import CLIENT, END, START, clients_per_month, months_between

    def overlaps(p, a, b):
        return p[START] <= b and (p[END] is None or p[END] >= a)

    rng = random.Random(20261204)
    base = dt.date(2022, 1, 1)
    placements = []
    for n in range(400):
        start = base + dt.timedelta(days=rng.randrange(0, 4 * 365))
        end = rng.choice([None, start, start + dt.timedelta(days=rng.randrange(0, 700))])
        # A row as the report reads it: id, client, kind, track, start, end, end reason.
        placements.append((n, n % 90, "volunteering", "", start, end, ""))
    for first, last in [
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        (dt.date(2023, 3, 15), dt.date(2024, 2, 3)),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
        (dt.date(2021, 6, 1), dt.date(2021, 8, 31)),  # before every placement
        (dt.date(2024, 7, 9), dt.date(2024, 7, 9)),
    ]:
        months = months_between(first, last)
        expected = [len({p[CLIENT] for p in placements if overlaps(p, a, b)}) for a, b in months]
        assert clients_per_month(placements, months) == expected, (first, last)
    assert clients_per_month(placements, []) == []
