"""gpmi*.csv of the interchange format, the REST API and the daily deadline notifications."""

import datetime

import pytest
import time_machine

from opstap.core.models import Notification
from opstap.factories import CareTeamMemberFactory
from opstap.gpmi import services
from opstap.gpmi.models import Gpmi, GpmiEvaluation, GpmiGoal, GpmiStatus, GpmiStep
from opstap.gpmi.tasks import gpmi_deadlines_notify
from opstap.interchange.engine import export_files, import_files

D = datetime.date

FILES = {
    "clients.csv": "client_ref,last_name,first_name,birth_date\n"
    "C1,Peeters,Ann,1990-01-01\nC2,Diallo,Moussa,1985-05-05\n",
    "rights.csv": "client_ref,kind,start_date,end_date\nC1,leefloon,2024-01-01,\n",
    "gpmi.csv": "gpmi_ref,client_ref,kind,drafted_on,signed_on,start_date,end_date,exemption\n"
    "G1,C1,student,2024-02-01,2024-02-10,2024-02-15,2024-12-31,\n"
    'X1,C2,standard,,,,,"Ziek, langdurig"\n',
    "gpmi_goals.csv": "goal_ref,gpmi_ref,life_domain,text,status\n"
    "GG1,G1,education,Bachelor verpleegkunde,open\nGG2,G1,language,Nederlands B2,achieved\n",
    "gpmi_steps.csv": "step_ref,goal_ref,text,owner,due_date,done_on\n"
    "S1,GG1,Examenresultaten bezorgen,client,2024-07-15,2024-07-10\n"
    "S2,GG2,Inschrijving CVO,centre,,\n",
    "gpmi_evaluations.csv": "evaluation_ref,gpmi_ref,date,in_person,summary\n"
    "E1,G1,2024-05-01,true,Goed\nE2,G1,2024-09-01,false,\n",
}


def _files(**changes):
    data = {**FILES, **changes}
    return {name: text.encode() for name, text in data.items()}


@time_machine.travel(D(2025, 3, 1), tick=False)
def test_import_creates_idempotent_and_round_trips(centre, other_centre):
    result = import_files(files=_files(), centre=centre)
    assert not result.errors, [str(e) for e in result.errors]
    g1 = Gpmi.objects.get(centre=centre, ref="G1")
    assert g1.kind == "student" and g1.status == GpmiStatus.ENDED
    x1 = Gpmi.objects.get(centre=centre, ref="X1")
    assert x1.status == GpmiStatus.EXEMPTED and x1.exemption_reason == "Ziek, langdurig"
    assert GpmiGoal.objects.get(ref="GG2").domain.code == "language"
    assert GpmiStep.objects.get(ref="S2").owner == "centre"
    assert GpmiEvaluation.objects.filter(gpmi=g1).count() == 2
    again = import_files(files=_files(), centre=centre)
    for name in ("gpmi.csv", "gpmi_goals.csv", "gpmi_steps.csv", "gpmi_evaluations.csv"):
        assert again.counts[name].as_dict()["created"] == 0, name
        assert again.counts[name].as_dict()["updated"] == 0, name
    exported = export_files(centre=centre)
    assert not import_files(files=exported, centre=other_centre).errors
    second = export_files(centre=other_centre)
    for name in ("gpmi.csv", "gpmi_goals.csv", "gpmi_steps.csv", "gpmi_evaluations.csv"):
        assert second[name] == exported[name], name
    text = exported["gpmi.csv"].decode("utf-8-sig").replace("\r\n", "\n")
    assert text.startswith(
        "gpmi_ref,client_ref,kind,drafted_on,signed_on,start_date,end_date,exemption\n"
    )
    assert "G1,C1,student,2024-02-01,2024-02-10,2024-02-15,2024-12-31,\n" in text
    assert 'X1,C2,standard,,,,,"Ziek, langdurig"\n' in text


def test_import_lists_every_error_and_writes_nothing(centre):
    result = import_files(
        files=_files(
            **{
                "gpmi.csv": "gpmi_ref,client_ref,kind,signed_on,start_date,end_date,exemption\n"
                "G1,NOPE,standard,,2024-02-01,2024-01-01,\n"
                "G2,C1,bogus,2024-01-01,,,Ziek\n"
                "G1,C1,standard,,,,\n",
                "gpmi_goals.csv": "goal_ref,gpmi_ref,life_domain,text\nGG1,G9,astrology,x\n",
            }
        ),
        centre=centre,
    )
    found = {(e.file, e.line, e.column) for e in result.errors}
    assert {
        ("gpmi.csv", 2, "client_ref"),
        ("gpmi.csv", 2, "end_date"),
        ("gpmi.csv", 3, "kind"),
        ("gpmi.csv", 3, "signed_on"),
        ("gpmi.csv", 4, "gpmi_ref"),
        ("gpmi_goals.csv", 2, "gpmi_ref"),
        ("gpmi_goals.csv", 2, "life_domain"),
    } <= found, found
    assert not Gpmi.objects.exists()


def test_centre_domain_codes_are_accepted(centre):
    services.ensure_default_life_domains(centre)
    from opstap.gpmi.models import LifeDomain

    LifeDomain.objects.create(centre=centre, code="spirituality", label_nl="Zingeving")
    goals = "goal_ref,gpmi_ref,life_domain,text\nGG1,G1,spirituality,Zin vinden\nGG2,G1,work,Werk\n"
    result = import_files(files=_files(**{"gpmi_goals.csv": goals}), centre=centre)
    assert not result.errors, [str(e) for e in result.errors]


# --- API ----------------------------------------------------------------------------------------


@time_machine.travel(D(2025, 3, 20), tick=False)
def test_api_contract_goal_step_evaluation(client, alice, client_record, domains):
    client.force_login(alice)
    base = f"/api/v1/gpmi/clients/{client_record.pk}/contracts"
    created = client.post(base, {"kind": "student"}, content_type="application/json")
    assert created.status_code == 201, created.content
    contract = created.json()
    url = f"/api/v1/gpmi/contracts/{contract['id']}"
    patched = client.patch(
        url,
        {"version": contract["version"], "start_date": "2025-03-01"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["start_date"] == "2025-03-01"
    stale = client.patch(
        url,
        {"version": contract["version"], "end_date": "2025-12-31"},
        content_type="application/json",
    )
    assert stale.status_code == 422
    version = patched.json()["version"]
    goal = client.post(
        url + "/goals",
        {"version": version, "life_domain": "education", "text": "Diploma"},
        content_type="application/json",
    )
    assert goal.status_code == 201, goal.content
    bad = client.post(
        url + "/goals",
        {"version": version + 1, "life_domain": "nowhere", "text": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "life_domain"
    step = client.post(
        f"/api/v1/gpmi/goals/{goal.json()['id']}/steps",
        {"version": version + 1, "text": "Inschrijven", "owner": "client"},
        content_type="application/json",
    )
    assert step.status_code == 201, step.content
    detail = client.get(url).json()
    assert detail["goals"][0]["steps"][0]["text"] == "Inschrijven"
    not_signed = client.post(
        url + "/evaluations",
        {"date": "2025-03-20", "in_person": True},
        content_type="application/json",
    )
    assert not_signed.status_code == 422
    assert client.get(base).json()[0]["id"] == contract["id"]


@pytest.mark.parametrize("persona", ["oscar", "pete", "maria", "dave"])
def test_api_outsiders_get_404(client, alice, client_record, domains, persona, request):
    gpmi = services.gpmi_create(actor=alice, client=client_record)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/gpmi/contracts/{gpmi.pk}").status_code == 404
    listing = client.get(f"/api/v1/gpmi/clients/{client_record.pk}/contracts")
    assert listing.status_code == 404


# --- daily notifications ------------------------------------------------------------------------


@time_machine.travel(D(2025, 6, 10), tick=False)
def test_daily_task_notifies_reference_worker_once_in_her_language(centre, build, alice, dave):
    alice.language = "en"
    alice.save()
    late = build.client("LATE", (D(2025, 1, 1), None))
    CareTeamMemberFactory(client=late, user=alice)
    CareTeamMemberFactory(client=late, user=dave, role="counsellor")  # not the reference worker
    build.client("NOBODY", (D(2025, 1, 1), None))
    assert gpmi_deadlines_notify.func() == 1
    note = Notification.objects.get()
    assert note.user == alice and note.client_id == late.pk
    assert "has no signed GPMI; it was due on 01/04/2025" in note.message
    assert gpmi_deadlines_notify.func() == 0
    assert Notification.objects.count() == 1


@time_machine.travel(D(2025, 6, 10), tick=False)
def test_daily_task_writes_dutch_for_a_dutch_worker(centre, build, alice):
    late = build.client("LATE", (D(2025, 1, 1), None))
    CareTeamMemberFactory(client=late, user=alice)
    gpmi_deadlines_notify.func()
    message = Notification.objects.get().message
    from django.utils import translation

    with translation.override("nl"):
        from opstap.gpmi.tasks import _message

        expected = _message("gpmi_missing", late.full_name, D(2025, 4, 1))
    assert message == expected


def test_task_is_registered_daily():
    from opstap.core.scheduling import registered

    assert any(path.endswith("gpmi_deadlines_notify") for path in registered())
