import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from opstap.core.changes import versions
from opstap.core.dates import add_months
from opstap.factories import CareTeamMemberFactory
from opstap.reports.registry import run
from opstap.reports.scope import percent
from opstap.reports.selectors import lower_median
from opstap.trajectories.models import LadderPosition

pytestmark = pytest.mark.django_db

D = datetime.date
TYPES = [
    "instap",
    "welzijn",
    "taal",
    "sociale_activering",
    "activering",
    "extern",
    "studie",
    "werk",
]


# ---- shared definitions ---------------------------------------------------------------------


def test_four_months_after_clips_to_month_end():
    assert add_months(D(2023, 10, 31), 4) == D(2024, 2, 29)
    assert add_months(D(2022, 10, 31), 4) == D(2023, 2, 28)
    assert add_months(D(2024, 1, 15), 4) == D(2024, 5, 15)
    assert add_months(D(2024, 9, 30), 4) == D(2025, 1, 30)
    assert add_months(D(2024, 8, 31), 4) == D(2024, 12, 31)


def test_lower_median():
    assert lower_median([]) is None
    assert lower_median([5]) == 5
    assert lower_median([40, 10, 30, 20]) == 20
    assert lower_median([3, 1, 2]) == 2


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(1, 16) == 6.3  # 6.25: a float round() would give 6.2
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 0) == 0.0


# ---- trajectory-dossiers --------------------------------------------------------------------


@pytest.fixture
def dossiers_data(build, alice):
    c1 = build.client("C1")
    build.trajectory(c1, "taal", D(2024, 1, 1), D(2024, 2, 1))
    build.trajectory(c1, "taal", D(2024, 3, 1))  # a second taal trajectory: still one dossier
    build.trajectory(c1, "welzijn", D(2024, 2, 1))
    c2 = build.client("C2")
    build.trajectory(c2, "taal", D(2024, 5, 1))
    build.trajectory(c2, "activering", D(2024, 7, 1))  # after the date
    c3 = build.client("C3")
    build.trajectory(c3, "activering", D(2024, 6, 30))  # on the date
    build.client("C4")
    CareTeamMemberFactory(client=c1, user=alice)
    return [c1, c2, c3]


def _counts(result, key):
    return {row["type"]: row[key] for row in result["rows"]}


def test_trajectory_dossiers_counts_distinct_clients(centre, dossiers_data):
    result = run("trajectory-dossiers", centre=centre, user=None, raw_params={"date": "2024-06-30"})
    assert result["report"] == "trajectory-dossiers"
    assert result["params"] == {"date": "2024-06-30"}
    assert [row["type"] for row in result["rows"]] == TYPES
    assert _counts(result, "dossiers") == {
        "instap": 0,
        "welzijn": 1,
        "taal": 2,
        "sociale_activering": 0,
        "activering": 1,
        "extern": 0,
        "studie": 0,
        "werk": 0,
    }
    assert result["total"] == {"dossiers": 3}
    assert result["rows"][2]["label"] == "Language trajectory / language activation"


def test_trajectory_dossiers_only_counts_what_the_user_may_see(
    centre, dossiers_data, alice, maria, carol, dave
):
    params = {"date": "2024-06-30"}
    mine = run("trajectory-dossiers", centre=centre, user=alice, raw_params=params)
    assert _counts(mine, "dossiers")["taal"] == 1 and mine["total"] == {"dossiers": 1}
    assert run("trajectory-dossiers", centre=centre, user=dave, raw_params=params)["total"] == {
        "dossiers": 0
    }
    for user in (maria, carol):
        result = run("trajectory-dossiers", centre=centre, user=user, raw_params=params)
        assert result["total"] == {"dossiers": 3}


def test_outsider_counts_nothing_of_another_centre(dossiers_data, oscar):
    result = run(
        "trajectory-dossiers", centre=oscar.centre, user=oscar, raw_params={"date": "2024-06-30"}
    )
    assert result["total"] == {"dossiers": 0}


def test_catalogue_order_and_added_types(centre, dossiers_data, build):
    from opstap.trajectories.models import TrajectoryType

    TrajectoryType.objects.create(
        centre=centre, code="jobcoaching", label_nl="Jobcoaching", position=15
    )
    result = run("trajectory-dossiers", centre=centre, user=None, raw_params={"date": "2024-06-30"})
    assert [row["type"] for row in result["rows"]][:3] == ["instap", "jobcoaching", "welzijn"]


# ---- activation-status ----------------------------------------------------------------------


@pytest.fixture
def status_data(build):
    c1 = build.client("S1", (D(2024, 1, 1), None))
    build.trajectory(c1, "taal", D(2024, 1, 1))
    build.trajectory(c1, "welzijn", D(2024, 3, 1), D(2024, 12, 31))  # latest start wins
    c2 = build.client("S2", (D(2024, 1, 1), D(2024, 6, 30)))  # right ends on the date
    build.trajectory(c2, "activering", D(2024, 5, 1))
    build.trajectory(c2, "taal", D(2024, 5, 1))  # same start: taal is earlier in the catalogue
    c3 = build.client("S3", (D(2023, 1, 1), None))
    build.trajectory(c3, "activering", D(2023, 1, 1), D(2024, 6, 29))  # ended the day before
    c4 = build.client("S4", (D(2023, 1, 1), D(2024, 6, 29)))  # right ended: not counted
    build.trajectory(c4, "taal", D(2024, 1, 1))
    c5 = build.client("S5")  # no right at all: not counted
    build.trajectory(c5, "taal", D(2024, 1, 1))
    c6 = build.client("S6", (D(2024, 6, 30), None))
    build.trajectory(c6, "werk", D(2024, 7, 1))  # starts after the date
    c7 = build.client("S7", (D(2022, 1, 1), D(2022, 12, 31)), (D(2024, 6, 1), None))
    build.trajectory(c7, "studie", D(2024, 6, 30), D(2024, 6, 30))  # one day, on the date
    return [c1, c2, c3, c4, c5, c6, c7]


def test_activation_status_on_a_date(centre, status_data):
    result = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-06-30"})
    assert [row["type"] for row in result["rows"]] == [*TYPES, "none"]
    assert _counts(result, "clients") == {
        "instap": 0,
        "welzijn": 1,
        "taal": 1,
        "sociale_activering": 0,
        "activering": 0,
        "extern": 0,
        "studie": 1,
        "werk": 0,
        "none": 2,
    }
    assert _counts(result, "percent")["taal"] == 20.0
    assert _counts(result, "percent")["none"] == 40.0
    assert result["total"] == {"clients": 5}
    assert result["rows"][-1]["label"] == "No trajectory"


def test_activation_status_percent_half_up(centre, build):
    # 1 of 16 = 6.25 % -> 6.3; 15 of 16 = 93.75 % -> 93.8
    for i in range(16):
        person = build.client(f"H{i}", (D(2024, 1, 1), None))
        if i == 0:
            build.trajectory(person, "taal", D(2024, 1, 1))
    result = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-01-01"})
    assert _counts(result, "percent")["taal"] == 6.3
    assert _counts(result, "percent")["none"] == 93.8


def test_activation_status_empty_population(centre):
    result = run("activation-status", centre=centre, user=None, raw_params={"date": "2024-01-01"})
    assert result["total"] == {"clients": 0}
    assert all(row["clients"] == 0 and row["percent"] == 0.0 for row in result["rows"])


# ---- activation-speed -----------------------------------------------------------------------


@pytest.fixture
def speed_data(build):
    a1 = build.client("A1", (D(2023, 10, 31), D(2023, 12, 31)), (D(2024, 2, 1), None))
    build.trajectory(a1, "taal", D(2024, 2, 5))  # first right before the period: not in cohort
    a2 = build.client("A2", (D(2024, 1, 15), None))
    build.trajectory(a2, "instap", D(2024, 1, 16))  # does not count as activation
    build.trajectory(a2, "taal", D(2024, 3, 1))  # 46 days
    build.trajectory(a2, "activering", D(2024, 4, 1))  # later: the first activation counts
    a3 = build.client("A3", (D(2024, 3, 31), None))
    build.trajectory(a3, "activering", D(2024, 7, 31))  # exactly 4 months: 122 days
    a4 = build.client("A4", (D(2024, 2, 10), None))
    build.trajectory(a4, "instap", D(2024, 2, 11))
    build.trajectory(a4, "welzijn", D(2024, 6, 11))  # one day too late
    build.client("A5", (D(2024, 3, 15), None))  # never activated
    a6 = build.client("A6", (D(2024, 4, 1), None))  # right starts after the period
    build.trajectory(a6, "taal", D(2024, 4, 2))
    a7 = build.client("A7")  # no right
    build.trajectory(a7, "taal", D(2024, 2, 1))


def test_activation_speed_cohort_and_lower_median(centre, speed_data):
    result = run(
        "activation-speed",
        centre=centre,
        user=None,
        raw_params={"from": "2024-01-01", "to": "2024-03-31"},
    )
    assert result["params"] == {"from": "2024-01-01", "to": "2024-03-31"}
    assert result["rows"] == [{"cohort": 4, "activated": 2, "percent": 50.0, "median_days": 46}]


def test_activation_speed_31_october_plus_4_months_is_29_february(centre, build):
    on_time = build.client("B1", (D(2023, 10, 31), None))
    build.trajectory(on_time, "taal", D(2024, 2, 29))
    late = build.client("B2", (D(2023, 10, 31), None))
    build.trajectory(late, "taal", D(2024, 3, 1))
    result = run(
        "activation-speed",
        centre=centre,
        user=None,
        raw_params={"from": "2023-10-01", "to": "2023-10-31"},
    )
    assert result["rows"] == [{"cohort": 2, "activated": 1, "percent": 50.0, "median_days": 121}]


def test_activation_speed_median_is_null_without_activations(centre, build):
    build.client("N1", (D(2024, 1, 1), None))
    result = run(
        "activation-speed",
        centre=centre,
        user=None,
        raw_params={"from": "2024-01-01", "to": "2024-12-31"},
    )
    assert result["rows"] == [{"cohort": 1, "activated": 0, "percent": 0.0, "median_days": None}]
    empty = run(
        "activation-speed",
        centre=centre,
        user=None,
        raw_params={"from": "2020-01-01", "to": "2020-12-31"},
    )
    assert empty["rows"] == [{"cohort": 0, "activated": 0, "percent": 0.0, "median_days": None}]


def test_activation_speed_even_count_takes_lower_median(centre, build):
    for ref, days in [("E1", 10), ("E2", 20), ("E3", 30), ("E4", 40)]:
        person = build.client(ref, (D(2024, 1, 1), None))
        build.trajectory(person, "taal", D(2024, 1, 1) + datetime.timedelta(days=days))
    result = run(
        "activation-speed",
        centre=centre,
        user=None,
        raw_params={"from": "2024-01-01", "to": "2024-01-31"},
    )
    assert result["rows"][0]["median_days"] == 20


def test_bad_parameters_name_the_field(centre):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        run(
            "activation-speed",
            centre=centre,
            user=None,
            raw_params={"from": "2024-05-01", "to": "2024-01-01"},
        )
    assert "to" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        run("activation-status", centre=centre, user=None, raw_params={"date": "31-02-2024"})
    assert "date" in exc.value.message_dict


# ---- three ways, same numbers ---------------------------------------------------------------

CASES = [
    ("trajectory-dossiers", {"date": "2024-06-30"}),
    ("activation-status", {"date": "2024-06-30"}),
    ("activation-speed", {"from": "2024-01-01", "to": "2024-03-31"}),
]


@pytest.mark.parametrize("name,params", CASES)
def test_page_api_and_command_give_the_same_numbers(
    client, centre, maria, dossiers_data, status_data, speed_data, name, params
):
    expected = run(name, centre=centre, user=None, raw_params=params)
    client.force_login(maria)
    page = client.get(reverse("reports:report", args=[name]), params)
    assert page.status_code == 200
    assert page.context["result"] == expected
    api = client.get(f"/api/v1/reports/{name}", params)
    assert api.status_code == 200, api.content
    assert api.json() == expected
    out = io.StringIO()
    args = [f"--{key}={value}" for key, value in params.items()]
    call_command("report", name, "--centre", centre.code, *args, stdout=out)
    assert json.loads(out.getvalue()) == expected


def test_page_shows_table_chart_and_downloads(client, centre, maria, dossiers_data):
    client.force_login(maria)
    client.cookies["django_language"] = "nl"
    url = reverse("reports:report", args=["trajectory-dossiers"])
    page = client.get(url, {"date": "30/06/2024"}).content.decode()
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "Taaltraject / taalactivering: 2" in page  # the chart's text alternative
    csv_response = client.get(url, {"date": "2024-06-30", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "type,label,dossiers"
    assert "taal,Taaltraject / taalactivering,2" in lines
    assert lines[-1] == "total,,3"
    xlsx = client.get(url, {"date": "2024-06-30", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0] == ("type", "label", "dossiers")
    assert ("taal", "Taaltraject / taalactivering", 2) in values
    assert values[-1] == ("total", None, 3)


def test_page_keeps_bad_input_and_names_the_field(client, maria, centre):
    client.force_login(maria)
    response = client.get(
        reverse("reports:report", args=["activation-speed"]), {"from": "01/05/2024", "to": "nope"}
    )
    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    assert response.context["result"] is None
    assert 'value="nope"' in response.content.decode()


def test_api_bad_parameter_is_refused(client, maria, centre):
    client.force_login(maria)
    response = client.get("/api/v1/reports/activation-status", {"date": "yesterday"})
    assert response.status_code in (400, 422)
    assert "date" in response.content.decode()


def test_command_formats_and_output_file(centre, dossiers_data, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "report",
        "trajectory-dossiers",
        "--centre",
        centre.code,
        "--date",
        "2024-06-30",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    values = list(load_workbook(target).active.values)
    assert values[-1] == ("total", None, 3)
    csv_file = tmp_path / "out.csv"
    call_command(
        "report",
        "trajectory-dossiers",
        "--centre",
        centre.code,
        "--date",
        "2024-06-30",
        "--format",
        "csv",
        "--output",
        str(csv_file),
    )
    assert csv_file.read_text().splitlines()[-1] == "total,,3"
    with pytest.raises(CommandError):
        call_command("report", "nope", "--centre", centre.code)
    with pytest.raises(CommandError):
        call_command("report", "trajectory-dossiers", "--centre", "nowhere")
    with pytest.raises(CommandError):
        call_command("report", "trajectory-dossiers", "--centre", centre.code, "--date", "bad")


# ---- access ---------------------------------------------------------------------------------


def test_reports_index_and_navigation(client, centre, maria):
    client.force_login(maria)
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:report", args=["activation-speed"]) in page
    assert reverse("reports:ladder-transitions") in page
    assert f'href="{reverse("reports:index")}"' in client.get("/").content.decode()


def test_partner_sees_no_reports(client, centre, pete):
    client.force_login(pete)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(reverse("reports:report", args=["activation-status"])).status_code == 403
    assert client.get("/api/v1/reports/activation-status").status_code == 403


def test_unknown_report_is_404(client, maria, centre):
    client.force_login(maria)
    assert client.get(reverse("reports:report", args=["nope"])).status_code == 404
    assert client.get("/api/v1/reports/nope").status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert client.get("/api/v1/reports/activation-status").status_code == 401


# ---- bounded queries ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("name,params", CASES)
def test_reports_run_a_bounded_number_of_queries(
    centre, build, alice, size, name, params, django_assert_max_num_queries
):
    for i in range(size):
        person = build.client(f"Q{i}", (D(2024, 1, 1 + i % 28), None))
        build.trajectory(person, "taal", D(2024, 2, 1))
        build.trajectory(person, "werk", D(2024, 2, 1))
        CareTeamMemberFactory(client=person, user=alice)
    versions(centre.pk)  # folds the record of the writes above, as the first reader would
    for user in (None, alice):
        # Whole-centre figures read the centre's table values first, then look for a copy
        # another process kept, and keep theirs for the others (opstap.core.stored).
        with django_assert_max_num_queries(8 if user is None else 5):
            run(name, centre=centre, user=user, raw_params=params)
    with django_assert_max_num_queries(1):  # kept: only the values
        run(name, centre=centre, user=None, raw_params=params)


# ---- ladder transitions ---------------------------------------------------------------------


@pytest.fixture
def ladder_data(build):
    def moves(ref, *positions):
        person = build.client(ref)
        for rung, since in positions:
            LadderPosition.objects.create(client=person, rung=rung, since=since)

    moves("L1", ("zorg", D(2023, 1, 1)), ("taal", D(2024, 3, 1)))  # up
    moves("L2", ("arbeid", D(2023, 5, 1)), ("sociaal", D(2024, 2, 1)))  # down
    moves("L3", ("werk", D(2022, 1, 1)))  # same
    moves("L4", ("taal", D(2024, 5, 1)))  # no position on the first date
    moves("L5", ("zorg", D(2024, 7, 1)))  # after both dates: not counted


def test_ladder_transitions_table(client, centre, carol, ladder_data):
    client.force_login(carol)
    response = client.get(
        reverse("reports:ladder-transitions"), {"from": "01/01/2024", "to": "30/06/2024"}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert (result["up"], result["down"], result["same"], result["clients"]) == (1, 1, 1, 4)
    matrix = result["matrix"]
    assert matrix["zorg"]["taal"] == 1
    assert matrix["arbeid"]["sociaal"] == 1
    assert matrix["werk"]["werk"] == 1
    assert matrix["none"]["taal"] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == 4
    assert "No position" in response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "pete"])
def test_ladder_transitions_only_for_head_and_management(client, request, centre, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:ladder-transitions")).status_code == 403
