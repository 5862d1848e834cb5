"""Nothing lost, in real browsers: two people edit the same record at the same time.

Each test opens the same edit form in two separate browser contexts (two people, each logged
in). The first saves; the second, working on what they loaded earlier, types something of their
own and saves. That second save must be refused with a clear message, the second person's input
must still be on their screen, and the database must still hold the first person's save.
Then the second person re-applies their change and it is saved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from opstap.activation.models import MonthlyHours, Placement, Status
from opstap.balance import services as balance_services
from opstap.balance.models import Balance
from opstap.browser import TIMEOUT_MS, login
from opstap.factories import CareTeamMemberFactory, ClientFactory, UserFactory
from opstap.gpmi import services as gpmi_services
from opstap.gpmi.models import Gpmi, GpmiGoal, LifeDomain, Priority
from opstap.network.models import PartnerContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser_page, live_server):
    """A second person's page: its own browser context, so its own cookies and session."""
    context = browser_page.context.browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def log_in(page, live_server, user, password) -> None:
    """Log `user` in, reading English (the strings below are the source strings)."""
    user.language = "en"
    user.save(update_fields=["language"])
    login(page, live_server, user.username, password)


def refusal(page):
    """The error summary at the top of the form, once it is shown."""
    alert = page.locator(".error-summary[role=alert]")
    alert.wait_for()
    return alert.inner_text()


# --- GPMI ---------------------------------------------------------------------------------------


@pytest.fixture
def counsellor_bob(bob, client_record):
    """Bob, trajectory counsellor, on the client's care team: he may edit the GPMI too."""
    CareTeamMemberFactory(client=client_record, user=bob, role="counsellor")
    return bob


@pytest.fixture
def draft_gpmi(alice, client_record):
    gpmi_services.ensure_default_life_domains(client_record.centre)
    priorities = list(Priority.objects.filter(domain__centre=client_record.centre)[:1])
    gpmi = gpmi_services.gpmi_create(actor=alice, client=client_record, priorities=priorities)
    return gpmi_services.gpmi_update(
        actor=alice,
        gpmi=gpmi,
        expected_version=gpmi.version,
        start_date=datetime.date.today(),
        client_commitments="Naar de taalles gaan",
        centre_commitments="Taalcursus zoeken",
    )


def test_gpmi_contract_second_save_is_refused_and_input_kept(
    live_server,
    browser_page,
    second_page,
    alice,
    counsellor_bob,
    client_record,
    draft_gpmi,
    password,
):
    url = f"/gpmi/clients/{client_record.pk}/{draft_gpmi.pk}/edit/"
    first, second = browser_page, second_page
    log_in(first, live_server, alice, password)
    log_in(second, live_server, counsellor_bob, password)
    first.goto(url)
    second.goto(url)

    first.get_by_label("commitments of the centre").fill("Budgetbegeleiding regelen (Alice)")
    first.get_by_role("button", name="Save").click()
    first.get_by_text("Contract saved.").wait_for()

    bobs_text = "Elke dinsdag naar de jobclub (Bob)"
    second.get_by_label("commitments of the client").fill(bobs_text)
    second.get_by_role("button", name="Save").click()
    assert "Someone else saved this contract while you were editing it" in refusal(second)
    # Bob's input is still in the form, not replaced by what is saved.
    assert second.get_by_label("commitments of the client").input_value() == bobs_text
    saved = Gpmi.objects.get(pk=draft_gpmi.pk)
    assert saved.centre_commitments == "Budgetbegeleiding regelen (Alice)"
    assert saved.client_commitments == "Naar de taalles gaan"

    # As the message says: reload the contract, which now shows Alice's change, and save again.
    second.goto(url)
    centre_field = second.get_by_label("commitments of the centre")
    assert centre_field.input_value() == "Budgetbegeleiding regelen (Alice)"
    second.get_by_label("commitments of the client").fill(bobs_text)
    second.get_by_role("button", name="Save").click()
    second.get_by_text("Contract saved.").wait_for()
    saved.refresh_from_db()
    assert saved.client_commitments == bobs_text
    assert saved.centre_commitments == "Budgetbegeleiding regelen (Alice)"


def test_gpmi_goal_added_on_a_stale_contract_is_refused_and_input_kept(
    live_server,
    browser_page,
    second_page,
    alice,
    counsellor_bob,
    client_record,
    draft_gpmi,
    password,
):
    url = f"/gpmi/clients/{client_record.pk}/{draft_gpmi.pk}/goals/new/"
    domain = LifeDomain.objects.filter(centre=client_record.centre, active=True).first()
    first, second = browser_page, second_page
    log_in(first, live_server, alice, password)
    log_in(second, live_server, counsellor_bob, password)
    first.goto(url)
    second.goto(url)

    first.get_by_label("life domain").select_option(str(domain.pk))
    first.get_by_role("textbox", name="Goal", exact=True).fill("Rijbewijs B halen (Alice)")
    first.get_by_role("button", name="Save").click()
    first.get_by_text("Goal added.").wait_for()

    bobs_goal = "Een stageplaats in de zorg vinden (Bob)"
    second.get_by_label("life domain").select_option(str(domain.pk))
    second.get_by_role("textbox", name="Goal", exact=True).fill(bobs_goal)
    second.get_by_role("button", name="Save").click()
    assert "Someone else saved this contract while you were editing it" in refusal(second)
    assert second.get_by_role("textbox", name="Goal", exact=True).input_value() == bobs_goal
    assert second.get_by_label("life domain").input_value() == str(domain.pk)
    texts = set(GpmiGoal.objects.filter(gpmi=draft_gpmi).values_list("text", flat=True))
    assert "Rijbewijs B halen (Alice)" in texts and bobs_goal not in texts

    second.goto(url)
    second.get_by_label("life domain").select_option(str(domain.pk))
    second.get_by_role("textbox", name="Goal", exact=True).fill(bobs_goal)
    second.get_by_role("button", name="Save").click()
    second.get_by_text("Goal added.").wait_for()
    texts = set(GpmiGoal.objects.filter(gpmi=draft_gpmi).values_list("text", flat=True))
    assert {"Rijbewijs B halen (Alice)", bobs_goal} <= texts


# --- socio-professional balance -----------------------------------------------------------------


def test_balance_second_save_is_refused_and_input_kept(
    live_server, browser_page, second_page, alice, counsellor_bob, client_record, password
):
    balance = balance_services.balance_create(actor=counsellor_bob, client=client_record)
    url = f"/balance/clients/{client_record.pk}/{balance.pk}/phase/1/"
    first, second = browser_page, second_page
    log_in(first, live_server, counsellor_bob, password)
    log_in(second, live_server, alice, password)
    first.goto(url)
    second.goto(url)

    first.get_by_label("the client's expectations").fill("Werken in de zorg (Bob)")
    first.get_by_role("button", name="Save", exact=True).click()
    first.get_by_text("The balance was saved.").wait_for()

    alices_text = "Eerst Nederlands leren, dan een opleiding (Alice)"
    second.get_by_label("the client's expectations").fill(alices_text)
    second.get_by_role("button", name="Save", exact=True).click()
    assert "Someone else saved this balance after you opened it" in refusal(second)
    assert second.get_by_label("the client's expectations").input_value() == alices_text
    assert Balance.objects.get(pk=balance.pk).expectations == "Werken in de zorg (Bob)"

    # The refused form now carries the current version: saving again overwrites knowingly.
    second.get_by_role("button", name="Save", exact=True).click()
    second.get_by_text("The balance was saved.").wait_for()
    assert Balance.objects.get(pk=balance.pk).expectations == alices_text


# --- social activation: the partner's monthly hours grid ----------------------------------------

MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def partner_contacts(pete, centre, organisation):
    """Two contacts of the same partner organisation, who both fill in its monthly grid."""
    petra = UserFactory(username="petra", centre=centre, role_list=["partner"])
    PartnerContact.objects.create(user=pete, organisation=organisation)
    PartnerContact.objects.create(user=petra, organisation=organisation)
    return pete, petra


@pytest.fixture
def placements(centre, office, organisation):
    start = MONTH - datetime.timedelta(days=120)
    made = []
    for ref, last_name in (("PL-1", "Aerts"), ("PL-2", "Peeters")):
        person = ClientFactory(centre=centre, office=office, last_name=last_name)
        made.append(
            Placement.objects.create(
                centre=centre,
                client=person,
                organisation=organisation,
                ref=ref,
                kind="volunteering",
                track="finaliteit",
                start=start,
                status=Status.ACTIVE,
                weekly_hours=Decimal("8"),
            )
        )
    return made


def test_monthly_hours_second_save_is_refused_and_input_kept(
    live_server, browser_page, second_page, partner_contacts, placements, password
):
    pete, petra = partner_contacts
    one, two = placements
    url = f"/activation/partner/hours/?month={MONTH:%Y-%m}"
    first, second = browser_page, second_page
    log_in(first, live_server, pete, password)
    log_in(second, live_server, petra, password)
    first.goto(url)
    second.goto(url)
    name1, name2 = one.client.full_name, two.client.full_name

    first.get_by_label(f"Hours of {name1}").fill("20")
    first.get_by_label(f"Public transport of {name1}").fill("12.50")
    first.get_by_role("button", name="Save as draft").click()
    first.get_by_text("The hours were saved as a draft.").wait_for()

    # Petra loaded the empty grid before Pete saved; her save would blank out his transport.
    second.get_by_label(f"Hours of {name1}").fill("35")
    second.get_by_label(f"Hours of {name2}").fill("7,5")
    second.get_by_role("button", name="Save as draft").click()
    assert "Someone else saved the hours of this month" in refusal(second)
    assert second.get_by_label(f"Hours of {name1}").input_value() == "35"
    assert second.get_by_label(f"Hours of {name2}").input_value() == "7,5"
    # What is saved now is shown next to her input, so she can compare.
    assert "20" in second.get_by_role("row", name=name1).inner_text()
    records = {r.placement_id: r for r in MonthlyHours.objects.all()}
    assert set(records) == {one.pk}
    assert records[one.pk].hours == Decimal("20")
    assert records[one.pk].transport_eur == Decimal("12.50")

    # Saving again from the refused grid overwrites knowingly, as the message says.
    second.get_by_role("button", name="Save as draft").click()
    second.get_by_text("The hours were saved as a draft.").wait_for()
    records = {r.placement_id: r for r in MonthlyHours.objects.all()}
    assert records[one.pk].hours == Decimal("35")
    assert records[two.pk].hours == Decimal("7.5")
