import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from opstap.courses import services
from opstap.courses.models import Edition, Enrolment, Module
from opstap.interchange.engine import export_files, import_files
from opstap.reports.registry import run

from .conftest import START, make_client

CLIENTS = (
    "client_ref,last_name,first_name,birth_date,gender,language,dutch_level\n"
    "C1,Haddad,Amal,1990-05-01,F,ar,A2\n"
    "C2,Peeters,Jan,2004-02-03,M,nl,C2\n"
    "C3,Diallo,Awa,1985-11-30,F,fr,A1\n"
)
ORGS = "org_ref,name\nINTRO,Groep INTRO vzw\nVP,Vormingplus\n"
MODULES = (
    "module_ref,name,target_group,partner,description\n"
    'TAALENT,Ta(a)lent,"Anderstaligen, beperkte taalkennis",INTRO,18 weken\n'
    "UIT,Uitstraling,Meerderjarige dames,VP,\n"
)
EDITIONS = (
    "edition_ref,module_ref,start_date,end_date,capacity,cost_eur\n"
    "T1,TAALENT,2024-02-05,2024-06-07,12,9000.00\n"
    "T2,TAALENT,2024-09-02,2025-01-10,12,9000.00\n"
    "U1,UIT,2024-09-09,2024-11-22,,6500.50\n"
    "U0,UIT,2023-09-04,2023-11-17,10,6000.00\n"
)
ENROLMENTS = (
    "edition_ref,client_ref,enrolled_on,status,left_on,reason\n"
    "T1,C1,2024-01-20,completed,2024-06-07,\n"
    "T1,C3,2024-01-22,dropped,2024-03-01,Werk gevonden\n"
    "T2,C3,2024-08-20,completed,2025-01-10,\n"
    "U1,C1,2024-08-30,enrolled,,\n"
    "U1,C3,2024-08-30,completed,2024-11-22,\n"
    "U0,C2,2023-08-30,completed,2023-11-17,\n"
)


def _files(**override):
    files = {
        "clients.csv": CLIENTS,
        "organisations.csv": ORGS,
        "modules.csv": MODULES,
        "editions.csv": EDITIONS,
        "enrolments.csv": ENROLMENTS,
    }
    files.update(override)
    return {name: text.encode() for name, text in files.items() if text is not None}


def test_import_is_idempotent_and_round_trips_byte_identical(centre, other_centre):
    result = import_files(files=_files(), centre=centre)
    assert not result.errors, [str(e) for e in result.errors]
    assert result.counts["enrolments.csv"].created == 6
    taalent = Module.objects.get(centre=centre, ref="TAALENT")
    assert taalent.name_nl == "Ta(a)lent" and [o.ref for o in taalent.partners.all()] == ["INTRO"]
    again = import_files(files=_files(), centre=centre)
    for name in ("modules.csv", "editions.csv", "enrolments.csv"):
        assert again.counts[name].as_dict()["created"] == 0
        assert again.counts[name].as_dict()["updated"] == 0, name
    first = export_files(centre=centre)
    assert not import_files(files=first, centre=other_centre).errors
    second = export_files(centre=other_centre)
    for name in ("modules.csv", "editions.csv", "enrolments.csv"):
        assert first[name] == second[name], name
    text = first["editions.csv"].decode("utf-8-sig").replace("\r\n", "\n")
    assert "U1,UIT,2024-09-09,2024-11-22,,6500.50\n" in text


def test_import_lists_every_error_and_writes_nothing(centre):
    files = _files(
        editions=None,
        **{
            "modules.csv": "module_ref,name,partner\nM,Modu,NOPE\nM,Twice,\n",
            "editions.csv": (
                "edition_ref,module_ref,start_date,end_date,capacity,cost_eur\n"
                "E1,GHOST,2024-02-05,2024-01-01,0,12.345\n"
            ),
            "enrolments.csv": (
                "edition_ref,client_ref,enrolled_on,status,left_on,reason\n"
                "E9,C9,2024-01-20,waiting,,\n"
                "T1,C1,2024-01-20,enrolled,2024-01-10,\n"
            ),
        },
    )
    result = import_files(files=files, centre=centre)
    found = {(e.file, e.line, e.column) for e in result.errors}
    assert {
        ("modules.csv", 2, "partner"),
        ("modules.csv", 3, "module_ref"),
        ("editions.csv", 2, "module_ref"),
        ("editions.csv", 2, "end_date"),
        ("editions.csv", 2, "capacity"),
        ("editions.csv", 2, "cost_eur"),
        ("enrolments.csv", 2, "edition_ref"),
        ("enrolments.csv", 2, "client_ref"),
        ("enrolments.csv", 2, "status"),
        ("enrolments.csv", 3, "edition_ref"),
        ("enrolments.csv", 3, "left_on"),
    } <= found
    assert not Module.objects.exists() and not Edition.objects.exists()


def test_waiting_list_is_not_exported(centre, alice, edition, newcomers):
    today = START - datetime.timedelta(days=3)
    for c in newcomers:
        services.enrolment_propose(actor=alice, edition=edition, client=c, today=today)
    text = export_files(centre=centre)["enrolments.csv"].decode("utf-8-sig")
    assert text.count("\n") == 3  # header + the two enrolled; the waiting client is left out
    assert ",waiting," not in text


# --- module-reach --------------------------------------------------------------------------

EXPECTED_2024 = {
    "report": "module-reach",
    "params": {"year": 2024},
    "rows": [
        {
            "module_ref": "TAALENT",
            "module": "Ta(a)lent",
            "editions": 2,
            "enrolled": 3,
            "completed": 2,
            "dropped": 1,
            "completion_percent": 66.7,
        },
        {
            "module_ref": "UIT",
            "module": "Uitstraling",
            "editions": 1,
            "enrolled": 2,
            "completed": 1,
            "dropped": 0,
            "completion_percent": 50.0,
        },
    ],
    # C1 and C3 (C2 only took part in 2023); 9000 + 9000 + 6500.50 = 24500.50 over 2.
    "total": {"participants": 2, "cost_eur": 24500.5, "cost_per_participant_eur": 12250.25},
}


@pytest.fixture
def reach_data(centre):
    assert not import_files(files=_files(), centre=centre).errors


def test_module_reach_by_hand(centre, reach_data):
    assert run("module-reach", centre=centre, user=None, raw_params={"year": "2024"}) == (
        EXPECTED_2024
    )
    empty = run("module-reach", centre=centre, user=None, raw_params={"year": "2020"})
    assert empty["rows"] == [] and empty["total"] == {
        "participants": 0,
        "cost_eur": 0.0,
        "cost_per_participant_eur": None,
    }


def test_module_reach_page_api_and_command_agree(client, centre, maria, reach_data):
    client.force_login(maria)
    page = client.get(reverse("reports:report", args=["module-reach"]), {"year": "2024"})
    assert page.status_code == 200 and page.context["result"] == EXPECTED_2024
    # The totals beside the columns are on the page too, numbers written the Belgian way.
    for label, value in [
        ("Participants", "2"),
        ("Cost (€)", "24.500,50"),
        ("Cost per participant (€)", "12.250,25"),
    ]:
        assert f"<div><dt>{label}</dt><dd>{value}</dd></div>" in page.text
    client.cookies["django_language"] = "nl"
    dutch = client.get(reverse("reports:report", args=["module-reach"]), {"year": "2024"})
    assert "Kostprijs per deelnemer (€)" in dutch.text and "12.250,25" in dutch.text
    api = client.get("/api/v1/reports/module-reach", {"year": "2024"})
    assert api.status_code == 200 and api.json() == EXPECTED_2024
    out = io.StringIO()
    call_command("report", "module-reach", "--centre", centre.code, "--year=2024", stdout=out)
    assert json.loads(out.getvalue()) == EXPECTED_2024


def test_module_reach_counts_only_the_workers_clients(client, centre, alice, reach_data):
    from opstap.clients.models import Client
    from opstap.factories import CareTeamMemberFactory

    CareTeamMemberFactory(client=Client.objects.get(centre=centre, ref="C1"), user=alice)
    result = run("module-reach", centre=centre, user=alice, raw_params={"year": "2024"})
    assert [row["enrolled"] for row in result["rows"]] == [1, 1]
    assert result["total"]["participants"] == 1


# --- API -----------------------------------------------------------------------------------


def test_api_lists_editions_proposes_and_registers(client, alice, scheduled, newcomers):
    client.force_login(alice)
    modules = client.get("/api/v1/modules/").json()
    assert [m["ref"] for m in modules] == ["TAALENT"]
    detail = client.get(f"/api/v1/modules/editions/{scheduled.pk}").json()
    assert len(detail["sessions"]) == 51 and len(detail["phases"]) == 6
    url = f"/api/v1/modules/editions/{scheduled.pk}/enrolments"
    created = client.post(url, {"client_id": newcomers[0].pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "enrolled"
    session = scheduled.sessions.first()
    enrolment_id = created.json()["id"]
    bad = client.post(
        f"/api/v1/modules/sessions/{session.pk}/register",
        {"entries": [{"enrolment_id": enrolment_id, "status": "excused"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == f"reason_{enrolment_id}"
    ok = client.post(
        f"/api/v1/modules/sessions/{session.pk}/register",
        {"entries": [{"enrolment_id": enrolment_id, "status": "present"}]},
        content_type="application/json",
    )
    assert ok.json() == {"saved": 1}
    listed = client.get(url).json()
    assert listed[0]["attendance_percent"] == 100.0 and listed[0]["present"] == 1


def test_api_refuses_outsiders_and_override_without_reason(client, centre, alice, oscar, scheduled):
    client.force_login(oscar)
    assert client.get(f"/api/v1/modules/editions/{scheduled.pk}").status_code == 404
    assert client.get("/api/v1/modules/").json() == []
    client.force_login(alice)
    native = make_client(centre, alice, language="nl", dutch_level="C2")
    refused = client.post(
        f"/api/v1/modules/editions/{scheduled.pk}/enrolments",
        {"client_id": native.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "override_reason"
    assert not Enrolment.objects.exists()
