"""In a real browser: a worker finds a place and refers a client; the partner accepts."""

import pytest

from opstap.browser import assert_accessible, login
from opstap.network.models import Referral


@pytest.mark.browser
def test_worker_refers_and_partner_accepts(
    browser_page, live_server, alice, pete, pete_contact, client_record, place, password
):
    page = browser_page
    login(page, live_server, "alice", password)
    page.goto(f"/network/clients/{client_record.pk}/referrals/")
    page.fill("input[name=q]", "fiets")
    page.click("form[role=search] button[type=submit]")
    page.click(f"a[href$='?place={place.pk}']")
    page.fill("textarea[name=reason]", "Wil met fietsen werken")
    page.check("input[name=shared_info][value=name]")
    assert_accessible(page)
    page.click(".dossier-body form[method=post] button.primary")
    page.wait_for_url(f"**/network/clients/{client_record.pk}/referrals/")
    assert "Wil met fietsen werken" in page.content()
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.status == "requested" and referral.shared_info == ["name"]

    page.click("form[action$='/accounts/logout/'] button")
    login(page, live_server, "pete", password)
    page.wait_for_url("**/network/partner/")
    assert "Fatima Janssens" in page.content()
    assert_accessible(page)
    page.fill(f"#note-{referral.pk}", "Welkom maandag")
    page.click("button[name=status][value=accepted]")
    page.wait_for_url("**/network/partner/")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.answer_note == "Welkom maandag"
