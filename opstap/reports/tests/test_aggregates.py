"""The reports count in the database: check them against a plain Python reading of the
definition (spec/reports.md) on random small centres, edge cases included."""

import datetime
import random
from collections import Counter

import pytest
from django.urls import reverse

from opstap.clients.models import IncomeRight
from opstap.factories import CareTeamMemberFactory, CentreFactory
from opstap.reports.registry import run
from opstap.reports.selectors import ladder_transitions
from opstap.trajectories.models import LadderPosition, Rung, Trajectory, TrajectoryType

from .conftest import Builder

D = datetime.date
DAYS = [D(2024, 1, 1) + datetime.timedelta(days=n) for n in range(0, 400, 7)]


def _active(start, end, day):
    return start <= day and (end is None or day <= end)


def expected_status(centre, day):
    """activation-status by hand: per client the running trajectory started last (tie: the
    earlier catalogue position), counted per type code; 'none' without one."""
    order = {
        t.pk: (i, t.code)
        for i, t in enumerate(
            TrajectoryType.objects.filter(centre=centre).order_by("position", "code")
        )
    }
    population = {
        r.client_id
        for r in IncomeRight.objects.filter(client__centre=centre)
        if _active(r.start_date, r.end_date, day)
    }
    chosen = {}
    for t in Trajectory.objects.filter(centre=centre):
        if t.client_id in population and _active(t.start_date, t.end_date, day):
            key = (t.start_date, -order[t.type_id][0])
            if t.client_id not in chosen or key > chosen[t.client_id][0]:
                chosen[t.client_id] = (key, order[t.type_id][1])
    counts = Counter(code for _key, code in chosen.values())
    counts["none"] = len(population) - len(chosen)
    return len(population), counts


@pytest.fixture
def random_centre(centre, build):
    rng = random.Random(7)
    codes = list(build.types)
    for n in range(40):
        rights = []
        day = D(2023, 6, 1) + datetime.timedelta(days=rng.randrange(200))
        for _ in range(rng.randrange(3)):
            end = day + datetime.timedelta(days=rng.randrange(200)) if rng.random() < 0.7 else None
            rights.append((day, end))
            if end is None:
                break
            day = end + datetime.timedelta(days=1 + rng.randrange(60))
        person = build.client(f"C{n:03d}", *rights)
        starts = [D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(300)) for _ in range(3)]
        for start in starts[: rng.randrange(4)]:
            end = (
                start + datetime.timedelta(days=rng.randrange(150)) if rng.random() < 0.5 else None
            )
            build.trajectory(person, rng.choice(codes), start, end)
        if rng.random() < 0.2 and starts:  # two types started the same day: catalogue decides
            build.trajectory(person, codes[-1], starts[0])
            build.trajectory(person, codes[0], starts[0])
        sinces = sorted(
            {D(2023, 1, 1) + datetime.timedelta(days=rng.randrange(700)) for _ in range(3)}
        )
        for since in sinces[: rng.randrange(4)]:
            LadderPosition.objects.create(client=person, rung=rng.choice(Rung.values), since=since)
    return centre


def test_activation_status_matches_the_definition_on_many_dates(random_centre):
    for day in DAYS:
        result = run("activation-status", centre=random_centre, user=None, raw_params={"date": day})
        whole, counts = expected_status(random_centre, day)
        assert result["total"]["clients"] == whole, day
        assert {r["type"]: r["clients"] for r in result["rows"]} == {
            r["type"]: counts.get(r["type"], 0) for r in result["rows"]
        }, day


def test_activation_status_same_start_goes_to_the_earlier_catalogue_position(centre, build):
    person = build.client("T", (D(2024, 1, 1), None))
    first, last = build.types["taal"], build.types["werk"]
    first.position, last.position = 99, 1  # catalogue order, not the code, decides
    first.save()
    last.save()
    build.trajectory(person, "taal", D(2024, 2, 1))
    build.trajectory(person, "werk", D(2024, 2, 1))
    rows = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-03-01"})[
        "rows"
    ]
    assert {r["type"]: r["clients"] for r in rows if r["clients"]} == {"werk": 1}


def test_activation_status_counts_a_client_with_two_rights_once(centre, build):
    build.client("R", (D(2024, 1, 1), None), (D(2024, 2, 1), D(2024, 12, 31)))
    result = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-03-01"})
    assert result["total"]["clients"] == 1
    assert result["rows"][-1] == {
        "type": "none",
        "label": "No trajectory",
        "clients": 1,
        "percent": 100.0,
    }


def test_activation_status_ignores_other_centres(centre, build):
    elsewhere = Builder(CentreFactory())
    other = elsewhere.client("O", (D(2024, 1, 1), None))
    elsewhere.trajectory(other, "taal", D(2024, 1, 1))
    build.client("M", (D(2024, 1, 1), None))
    result = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-03-01"})
    assert result["total"]["clients"] == 1


def test_activation_status_of_a_worker_counts_her_dossiers_only(centre, build, alice):
    mine = build.client("MINE", (D(2024, 1, 1), None))
    build.trajectory(mine, "taal", D(2024, 1, 1))
    CareTeamMemberFactory(client=mine, user=alice)
    other = build.client("OTHER", (D(2024, 1, 1), None))
    build.trajectory(other, "werk", D(2024, 1, 1))
    result = run("activation-status", centre=centre, user=alice, raw_params={"date": "2024-03-01"})
    assert result["total"]["clients"] == 1
    assert {r["type"]: r["clients"] for r in result["rows"] if r["clients"]} == {"taal": 1}


def expected_transitions(centre, first, second):
    """The rung on each date: the position with the latest since on or before it."""
    at = {}
    for p in LadderPosition.objects.filter(client__centre=centre):
        for which, day in (("a", first), ("b", second)):
            if p.since <= day and (
                (p.client_id, which) not in at or p.since > at[p.client_id, which][0]
            ):
                at[p.client_id, which] = (p.since, p.rung)
    clients = {client for client, _which in at}
    pairs = Counter(
        (at.get((c, "a"), (None, "none"))[1], at.get((c, "b"), (None, "none"))[1]) for c in clients
    )
    return clients, pairs


@pytest.mark.parametrize(
    "first,second",
    [
        (D(2024, 1, 1), D(2024, 6, 30)),
        (D(2023, 3, 1), D(2024, 12, 31)),
        (D(2024, 6, 30), D(2024, 1, 1)),  # dates given the other way round
        (D(2024, 5, 5), D(2024, 5, 5)),
        (D(2020, 1, 1), D(2020, 2, 1)),  # before any position
    ],
)
def test_ladder_transitions_match_the_definition(random_centre, first, second):
    result = ladder_transitions(random_centre, None, first, second)
    clients, pairs = expected_transitions(random_centre, first, second)
    assert result["clients"] == len(clients)
    for a in result["keys"]:
        for b in result["keys"]:
            assert result["matrix"][a][b] == pairs.get((a, b), 0), (a, b)
    level = {r: Rung.level(r) for r in Rung.values}
    up = sum(n for (a, b), n in pairs.items() if "none" not in (a, b) and level[b] > level[a])
    down = sum(n for (a, b), n in pairs.items() if "none" not in (a, b) and level[b] < level[a])
    same = sum(n for (a, b), n in pairs.items() if "none" not in (a, b) and level[b] == level[a])
    assert (result["up"], result["down"], result["same"]) == (up, down, same)


def test_ladder_position_on_the_date_itself_counts(centre, build):
    person = build.client("P")
    LadderPosition.objects.create(client=person, rung="zorg", since=D(2024, 1, 1))
    LadderPosition.objects.create(client=person, rung="werk", since=D(2024, 6, 30))
    result = ladder_transitions(centre, None, D(2024, 1, 1), D(2024, 6, 30))
    assert result["matrix"]["zorg"]["werk"] == 1
    assert (result["up"], result["clients"]) == (1, 1)


def test_report_page_shows_translated_parameters_and_dates(client, centre, maria):
    client.force_login(maria)
    page = client.get(
        reverse("reports:report", args=["activation-speed"]),
        {"from": "01/02/2024", "to": "2024-11-23"},
    ).content.decode()
    assert "From: <strong>01/02/2024</strong>" in page
    assert "To: <strong>23/11/2024</strong>" in page
    assert "from: <strong>" not in page and "<strong>2024-11-23</strong>" not in page
    page = client.get(
        reverse("reports:report", args=["activation-status"]), {"date": "2026-11-23"}
    ).content.decode()
    assert "Date: <strong>23/11/2026</strong>" in page
    client.cookies["django_language"] = "nl"
    page = client.get(
        reverse("reports:report", args=["activation-status"]), {"date": "2026-11-23"}
    ).content.decode()
    assert "Datum: <strong>23/11/2026</strong>" in page
