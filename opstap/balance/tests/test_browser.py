"""A counsellor runs a balance end to end in a real browser."""

import pytest

from opstap.balance.models import Balance, InstrumentResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_runs_a_balance(
    live_server, browser_page, counsellor_bob, client_record, password
):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # Work in English whatever the default language.
    page.click(".langswitch button[value=en]")

    page.goto(f"{live_server.url}/clients/{client_record.pk}/")
    page.get_by_role("navigation", name="Dossier sections").get_by_role(
        "link", name="Balance"
    ).click()
    page.get_by_role("button", name="Start a balance").click()

    # Phase 1: intake and acquaintance
    page.get_by_label("date of the intake talk").fill("03/02/2025")
    page.get_by_label("the client's expectations").fill("Werken in de zorg")
    page.get_by_label("the client agrees to take part in the balance").check()
    page.get_by_label("date of agreement").fill("03/02/2025")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The balance was saved.").wait_for()
    page.get_by_role("button", name="Complete phase: Intake and acquaintance").click()
    page.get_by_text("The phase was completed.").wait_for()

    # Phase 2: one instrument, barriers and a strength
    page.get_by_role("link", name="Education and diplomas").click()
    page.get_by_label("Highest diploma obtained").select_option(label="Upper secondary")
    page.get_by_role("group", name="Was the diploma obtained abroad?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save answers").click()
    page.get_by_text("were saved").wait_for()
    assert "Upper secondary" in page.content()
    page.get_by_label("Debts", exact=True).check()
    page.get_by_label("Strengths").fill("Doorzetter")
    page.get_by_role("button", name="Save barriers and strengths").click()
    page.get_by_text("Barriers and strengths were saved.").wait_for()
    page.get_by_role("button", name="Complete phase: Exploration").click()

    # Phase 3: synthesis
    page.get_by_label("conclusions agreed with the client").fill("Eerst Nederlands, dan zorg.")
    page.get_by_label("date the conclusions were agreed").fill("10/03/2025")
    page.get_by_label("proposed rung on the activation ladder").select_option("taal")
    page.get_by_label("Balance conclusions").fill("VDAB")
    page.get_by_label("date of consent to share information").fill("10/03/2025")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The balance was saved.").wait_for()
    page.get_by_role("button", name="Complete phase: Synthesis and trajectory plan").click()
    page.get_by_text("The phase was completed.").wait_for()

    pdf_link = page.get_by_role("link", name="PDF")
    href = pdf_link.get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    balance = Balance.objects.get(client=client_record)
    assert balance.finished and balance.conclusions == "Eerst Nederlands, dan zorg."
    assert InstrumentResponse.objects.filter(balance=balance).count() == 1
    assert balance.barriers.get().code == "debts"
