"""The contract's goal, step and third-party pages: saved, refused on a stale version with the
input kept, and the buttons without fields."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from opstap.gpmi import services
from opstap.gpmi.models import GpmiStatus, Priority

D = datetime.date
TODAY = D(2025, 3, 20)
STALE = "Someone else saved this contract while you were editing it."


@pytest.fixture
def draft(client_record, alice, domains):
    priorities = list(Priority.objects.filter(domain__centre=client_record.centre)[:1])
    return services.gpmi_create(
        actor=alice, client=client_record, priorities=priorities, drafted_on=D(2025, 2, 1)
    )


def _url(name, gpmi, *extra):
    return reverse(f"gpmi:{name}", args=[gpmi.client_id, gpmi.pk, *extra])


def _messages(response) -> list[str]:
    """The messages the response leaves; following its redirect shows and so clears them."""
    found = [str(m) for m in get_messages(response.wsgi_request)]
    if response.status_code == 302:
        response.client.get(response.url)
    return found


def _goal_data(gpmi, version, text):
    goal = gpmi.goals.first()
    return {"version": version, "domain": goal.domain_id, "text": text, "status": "open"}


def test_goal_add_saves_and_returns_to_the_contract(as_alice, draft):
    response = as_alice.post(_url("goal-add", draft), _goal_data(draft, draft.version, "Rijbewijs"))
    assert response.status_code == 302 and response.url == _url("detail", draft)
    assert _messages(response) == ["Goal added."]
    assert draft.goals.filter(text="Rijbewijs").exists()


def test_goal_edit_on_a_stale_version_keeps_the_input(as_alice, draft):
    goal = draft.goals.first()
    data = _goal_data(draft, draft.version - 1, "Mijn nieuwe tekst")
    page = as_alice.post(_url("goal-edit", draft, goal.pk), data)
    html = page.content.decode()
    assert page.status_code == 200 and STALE in html and "Mijn nieuwe tekst" in html
    assert page.context["title"] == "Change a goal" and page.context["gpmi"] == draft
    goal.refresh_from_db()
    assert goal.text != "Mijn nieuwe tekst"


def test_goal_edit_shows_the_form_on_get(as_alice, draft):
    goal = draft.goals.first()
    page = as_alice.get(_url("goal-edit", draft, goal.pk))
    assert page.status_code == 200 and page.context["form"]["version"].value() == draft.version


def test_step_add_and_edit(as_alice, draft):
    goal = draft.goals.first()
    data = {"version": draft.version, "text": "Inschrijven", "owner": "client"}
    response = as_alice.post(_url("step-add", draft, goal.pk), data)
    assert response.status_code == 302 and _messages(response) == ["Step added."]
    step = goal.steps.get()
    draft.refresh_from_db()
    data = {"version": draft.version, "text": "Inschrijven bij CVO", "owner": "centre"}
    response = as_alice.post(_url("step-edit", draft, step.pk), data)
    assert response.status_code == 302 and _messages(response) == ["Step saved."]
    step.refresh_from_db()
    assert step.text == "Inschrijven bij CVO" and step.owner == "centre"


@time_machine.travel(TODAY, tick=False)
def test_a_running_contract_only_marks_steps_done(as_alice, alice, draft):
    goal = draft.goals.first()
    step = services.step_create(
        actor=alice,
        goal=goal,
        expected_version=draft.version,
        text="Inschrijven",
        owner="client",
    )
    draft.refresh_from_db()
    draft.status = GpmiStatus.ACTIVE
    draft.save(update_fields=["status"])
    future = {"version": draft.version, "done_on": "21/03/2025"}
    page = as_alice.post(_url("step-edit", draft, step.pk), future)
    assert page.status_code == 200 and "A step cannot be done in the future." in (
        page.content.decode()
    )
    done = {"version": draft.version, "done_on": "19/03/2025"}
    response = as_alice.post(_url("step-edit", draft, step.pk), done)
    assert response.status_code == 302 and _messages(response) == ["Step saved."]
    step.refresh_from_db()
    assert step.done_on == D(2025, 3, 19)


def test_delete_buttons(as_alice, draft):
    goal = draft.goals.first()
    stale = as_alice.post(_url("goal-delete", draft, goal.pk), {"version": draft.version - 1})
    assert stale.status_code == 302 and stale.url == _url("detail", draft)
    assert [m[: len(STALE)] for m in _messages(stale)] == [STALE]
    assert as_alice.get(_url("goal-delete", draft, goal.pk)).status_code == 404
    assert as_alice.post(_url("goal-delete", draft, goal.pk), {}).status_code == 404
    response = as_alice.post(_url("goal-delete", draft, goal.pk), {"version": draft.version})
    assert response.status_code == 302 and _messages(response) == ["Goal removed."]
    assert not draft.goals.exists()
    assert as_alice.post(_url("goal-delete", draft, goal.pk), {"version": 1}).status_code == 404


def test_third_parties_join_and_leave_without_a_message(as_alice, draft):
    data = {"version": draft.version, "name": "Jan Peeters", "role": "budget mentor"}
    response = as_alice.post(_url("third-party-add", draft), data)
    assert response.status_code == 302 and _messages(response) == ["Third party added."]
    party = draft.third_parties.get()
    draft.refresh_from_db()
    response = as_alice.post(
        _url("third-party-remove", draft, party.pk), {"version": draft.version}
    )
    assert response.status_code == 302 and _messages(response) == []
    assert not draft.third_parties.exists()


def test_deleting_a_draft_returns_to_the_gpmi_section(as_alice, draft):
    response = as_alice.post(_url("delete", draft), {"version": draft.version})
    assert response.url == reverse("gpmi:client", args=[draft.client_id])
    assert _messages(response) == ["Draft deleted."]
    assert as_alice.get(_url("delete", draft)).status_code == 404
