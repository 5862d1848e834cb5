import datetime
from decimal import Decimal

import pytest

from opstap.activation.models import MonthlyHours
from opstap.browser import assert_accessible, login

pytestmark = pytest.mark.browser

MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_partner_fills_month_and_staff_approves(
    browser_page, live_server, pete_contact, lien, placement, second_placement, password
):
    page = browser_page
    login(page, live_server, "pete", password)
    page.goto(f"{live_server.url}/network/partner/")
    page.get_by_role("link", name="Monthly hours and evaluations").click()
    page.wait_for_url("**/activation/partner/hours/**")
    name1, name2 = placement.client.full_name, second_placement.client.full_name
    page.get_by_label(f"Hours of {name1}").fill("20")
    page.get_by_label(f"Public transport of {name1}").fill("12.50")
    page.get_by_label(f"Hours of {name2}").fill("31,5")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("The hours were saved as a draft.").wait_for()
    assert set(MonthlyHours.objects.values_list("status", flat=True)) == {"draft"}
    assert_accessible(page)
    page.get_by_label(f"Hours of {name1}").fill("900")
    page.get_by_role("button", name="Submit to the centre").click()
    page.get_by_text("hours: must be between 0 and 744").first.wait_for()
    page.get_by_label(f"Hours of {name1}").fill("22")
    page.get_by_role("button", name="Submit to the centre").click()
    page.get_by_text("The hours were submitted to the centre.").wait_for()
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("22")

    page.context.clear_cookies()
    login(page, live_server, "lien", password)
    page.goto(f"{live_server.url}/activation/")
    page.get_by_role("link", name=f"vzw ANA · {MONTH:%m/%Y}").click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved and locked.").wait_for()
    assert set(MonthlyHours.objects.values_list("status", flat=True)) == {"approved"}
