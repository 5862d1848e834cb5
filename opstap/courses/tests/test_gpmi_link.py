"""Carrying a participant's step plan into the client's GPMI in one action."""

import datetime

import pytest
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.courses import services
from opstap.gpmi import services as gpmi_services
from opstap.gpmi.models import Gpmi, GpmiGoal, GpmiStatus, GpmiStep, GpmiVersion

from .conftest import START

TODAY = START - datetime.timedelta(days=14)


@pytest.fixture
def enrolment(alice, scheduled, newcomer):
    gpmi_services.ensure_default_life_domains(scheduled.centre)
    enrolment = services.enrolment_propose(
        actor=alice, edition=scheduled, client=newcomer, today=TODAY
    )
    services.plan_step_add(
        actor=alice,
        enrolment=enrolment,
        text="Taalles B1 volgen",
        owner="client",
        due_date=datetime.date(2030, 9, 1),
    )
    services.plan_step_add(
        actor=alice, enrolment=enrolment, text="Vacatures zoeken", owner="centre"
    )
    return enrolment


def _contract(client, status, **extra):
    return Gpmi.objects.create(centre=client.centre, client=client, status=status, **extra)


def _carry(http, enrolment):
    url = reverse("courses:enrolment-detail", args=[enrolment.pk])
    return http.post(url, {"action": "carry"}, follow=True)


def test_steps_land_in_the_draft_under_one_goal(client, alice, enrolment):
    draft = _contract(enrolment.client, GpmiStatus.DRAFT)
    client.force_login(alice)
    page = _carry(client, enrolment)
    html = page.content.decode()
    goal = GpmiGoal.objects.get(gpmi=draft)
    assert goal.domain.code == "education"
    assert goal.text == "Step plan of module Ta(a)lent (04/02/2030 – 07/06/2030)"
    assert sorted(goal.steps.values_list("text", "owner", "due_date")) == [
        ("Taalles B1 volgen", "client", datetime.date(2030, 9, 1)),
        ("Vacatures zoeken", "centre", None),
    ]
    assert "2 steps are added to the GPMI" in html
    assert reverse("gpmi:detail", args=[enrolment.client_id, draft.pk]) in html
    assert "All steps are in the GPMI." in html  # the button is gone
    assert not enrolment.steps.filter(carried_on__isnull=True).exists()
    draft.refresh_from_db()
    assert draft.version == 2
    entry = AuditEntry.objects.get(action="gpmi.steps_carried")
    assert entry.client_id == enrolment.client_id and entry.actor == alice

    again = _carry(client, enrolment)
    assert "All steps are already in the GPMI." in again.content.decode()
    assert GpmiGoal.objects.filter(gpmi=draft).count() == 1
    assert GpmiStep.objects.count() == 2


def test_a_new_step_is_carried_later_without_repeating_the_others(client, alice, enrolment):
    draft = _contract(enrolment.client, GpmiStatus.DRAFT)
    client.force_login(alice)
    _carry(client, enrolment)
    services.plan_step_add(actor=alice, enrolment=enrolment, text="Sollicitatietraining")
    _carry(client, enrolment)
    assert sorted(GpmiStep.objects.filter(goal__gpmi=draft).values_list("text", flat=True)) == [
        "Sollicitatietraining",
        "Taalles B1 volgen",
        "Vacatures zoeken",
    ]


def test_signed_contract_gets_a_recorded_amendment(client, alice, enrolment):
    _contract(enrolment.client, GpmiStatus.DRAFT)  # a newer draft does not win over the running one
    active = _contract(
        enrolment.client,
        GpmiStatus.ACTIVE,
        signed_on=datetime.date(2029, 6, 1),
        start_date=datetime.date(2029, 6, 1),
    )
    client.force_login(alice)
    _carry(client, enrolment)
    active.refresh_from_db()
    assert active.revision == 1 and not active.amending
    version = GpmiVersion.objects.get(gpmi=active)
    assert version.content["goals"] == []  # the content before the step plan is kept
    assert version.reason.startswith("Step plan of module Ta(a)lent")
    assert active.goals.get().steps.count() == 2
    actions = list(
        AuditEntry.objects.filter(action__startswith="gpmi.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["gpmi.amendment.started", "gpmi.steps_carried", "gpmi.amendment.finished"]


def test_open_amendment_stays_open_for_whoever_started_it(alice, enrolment):
    active = _contract(enrolment.client, GpmiStatus.ACTIVE, amending=True, revision=1)
    from opstap.courses import gpmi_link

    n, goal = gpmi_link.carry_steps(actor=alice, enrolment=enrolment)
    active.refresh_from_db()
    assert n == 2 and goal.gpmi_id == active.pk
    assert active.amending and active.revision == 1
    assert not GpmiVersion.objects.exists()


def test_no_contract_gives_a_clear_error_and_writes_nothing(client, alice, enrolment):
    _contract(enrolment.client, GpmiStatus.ENDED)
    client.force_login(alice)
    html = _carry(client, enrolment).content.decode()
    assert "has no GPMI to add the steps to: draft a contract on the GPMI tab first" in html
    assert reverse("gpmi:client", args=[enrolment.client_id]) in html
    assert not GpmiGoal.objects.exists()
    assert not enrolment.steps.filter(carried_on__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="gpmi.steps_carried").exists()
    assert "Carry the steps into the GPMI" in html  # still offered once a contract exists


def test_a_proposed_contract_is_left_to_the_client(client, alice, enrolment):
    _contract(enrolment.client, GpmiStatus.PROPOSED)
    client.force_login(alice)
    html = _carry(client, enrolment).content.decode()
    assert "The contract is with the client to reflect on" in html
    assert not GpmiGoal.objects.exists()
    assert not enrolment.steps.filter(carried_on__isnull=False).exists()


def test_module_staff_outside_the_care_team_cannot_change_the_gpmi(client, dave, enrolment):
    _contract(enrolment.client, GpmiStatus.DRAFT)
    client.force_login(dave)
    html = _carry(client, enrolment).content.decode()
    assert "Only the client&#x27;s care team can change their GPMI." in html
    assert not GpmiGoal.objects.exists()


@pytest.mark.parametrize("persona", ["oscar", "pete", "maria"])
def test_outsiders_get_404_and_nothing_is_written(client, enrolment, persona, request):
    _contract(enrolment.client, GpmiStatus.DRAFT)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("courses:enrolment-detail", args=[enrolment.pk]), {"action": "carry"}
    )
    assert response.status_code == 404
    assert not GpmiGoal.objects.exists()
    assert not enrolment.steps.filter(carried_on__isnull=False).exists()
