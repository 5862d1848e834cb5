"""A worker drafts a GPMI from a balance, proposes, signs, evaluates and amends it."""

import datetime

import pytest
from django.utils import timezone

from opstap.balance.models import Balance, BalanceBarrier
from opstap.browser import assert_accessible, login
from opstap.gpmi.models import Gpmi, GpmiStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_drafts_signs_evaluates_and_amends(
    live_server, browser_page, alice, client_record, password
):
    from opstap.gpmi.services import ensure_default_life_domains

    ensure_default_life_domains(client_record.centre)
    now = timezone.now()
    today = datetime.date.today()
    Balance.objects.create(
        centre=client_record.centre,
        client=client_record,
        started_on=today - datetime.timedelta(days=60),
        started_by=alice,
        conclusions="Eerst Nederlands, dan werk in de zorg.",
        proposed_rung="taal",
        phase1_completed_at=now,
        phase2_completed_at=now,
        phase3_completed_at=now,
    )
    BalanceBarrier.objects.create(balance=Balance.objects.get(), code="debts")
    day = today.strftime("%d/%m/%Y")
    page = browser_page
    login(page, live_server, "alice", password)
    page.click(".langswitch button[value=en]")

    page.goto(f"{live_server.url}/clients/{client_record.pk}/")
    page.get_by_role("navigation", name="Dossier sections").get_by_role("link", name="GPMI").click()
    page.get_by_role("link", name="Draft a GPMI from the balance").click()
    assert page.get_by_label("Learn Dutch").is_checked()
    assert page.get_by_label("Overview of the debts").is_checked()
    assert "Eerst Nederlands" in page.get_by_label("Needs analysis").input_value()
    assert_accessible(page)
    page.get_by_role("button", name="Draft the contract").click()

    # The contract's text and duration
    page.get_by_label("start date").fill(day)
    page.get_by_label("commitments of the client").fill("Naar de les gaan")
    page.get_by_label("commitments of the centre").fill("Budgetbegeleiding regelen")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Contract saved.").wait_for()
    page.get_by_role("link", name="Add a step").first.click()
    page.get_by_label("step").fill("Inschrijven bij het CVO")
    page.get_by_label("due date").fill(day)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Step added.").wait_for()
    assert_accessible(page)

    # Propose, then sign the same day with a recorded reason
    page.get_by_role("link", name="Propose to the client").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The client has 5 calendar days to reflect").first.wait_for()
    page.get_by_role("link", name="Record the signatures").click()
    page.get_by_label("Signed by the client on").fill(day)
    page.get_by_label("Signed by the centre on").fill(day)
    page.get_by_label("Date of the special committee's decision").fill(day)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("To sign earlier, record the reason").first.wait_for()
    page.get_by_label("Reason to sign before the end of the reflection period").fill(
        "The language course starts tomorrow"
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Contract signed.").wait_for()
    page.get_by_role("button", name="Start the contract").click()
    page.get_by_text("The contract is running.").wait_for()

    # Evaluate
    page.get_by_role("link", name="Evaluate").click()
    page.get_by_label("Agreed changes").fill("Goed gestart")
    page.get_by_label("Progress: Learn Dutch").fill("Eerste les gevolgd")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Evaluation recorded.").wait_for()

    # Amend: the signed version stays readable, with what changed
    page.get_by_role("link", name="Amend").click()
    page.get_by_label("Reason for the amendment").fill("Ook werk zoeken")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The signed version is kept").wait_for()
    page.get_by_role("link", name="Edit the contract").click()
    page.get_by_label("commitments of the client").fill("Naar de les gaan en solliciteren")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Contract saved.").wait_for()
    page.get_by_role("button", name="Finish the amendment").click()
    page.get_by_text("Amendment finished.").wait_for()
    page.get_by_role("link", name="Version 0").click()
    assert "Naar de les gaan en solliciteren" in page.content()
    assert "Ook werk zoeken" in page.content()
    assert_accessible(page)

    gpmi = Gpmi.objects.get(client=client_record)
    assert gpmi.status == GpmiStatus.ACTIVE and gpmi.revision == 1 and not gpmi.amending
    assert gpmi.evaluations.get().progress.count() == 1
    assert gpmi.early_signature_reason == "The language course starts tomorrow"
