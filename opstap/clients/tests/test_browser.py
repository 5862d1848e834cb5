"""The foundation flow in a real browser: log in, find a client, write a note, switch language."""

import re

import pytest
from playwright.sync_api import expect

from opstap.browser import assert_accessible, axe_violations, login
from opstap.clients.models import JournalNote
from opstap.factories import CareTeamMemberFactory, ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_social_worker_finds_client_writes_note_and_switches_to_french(
    browser_page, live_server, alice, client_record, password
):
    page = browser_page
    other = ClientFactory(centre=client_record.centre, last_name="Peeters", first_name="Jan")
    CareTeamMemberFactory(client=other, user=alice, role="reference")

    login(page, live_server, "alice", password)
    # The pages are styled: every stylesheet and script they link to is served.
    for url in page.eval_on_selector_all(
        "link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)"
    ):
        assert page.request.get(url).ok, url

    page.goto("/clients/")
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.fill("input[name=q]", "Janss")
    page.locator("form.filters button[type=submit]").click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Janssens, Fatima")

    rows.first.get_by_role("link", name="Janssens, Fatima").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client_record.pk}/$"))
    expect(page.locator("h1#client-name")).to_have_text("Fatima Janssens")
    assert_accessible(page)

    page.locator(f"nav.tabs a[href$='/clients/{client_record.pk}/journal/']").click()
    page.fill("input[name=subject]", "Gesprek over de opleiding")
    page.fill("textarea[name=text]", "Fatima wil in september de opleiding verzorgende starten.")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("article.note").first).to_contain_text("Gesprek over de opleiding")
    note = JournalNote.objects.get(client=client_record)
    assert note.author == alice and note.subject == "Gesprek over de opleiding"
    assert_accessible(page)

    page.goto(f"/clients/{client_record.pk}/")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Gesprek over de opleiding")
    expect(timeline).to_contain_text("verzorgende starten")

    page.locator("form.langswitch button[value=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("form.langswitch button[value=fr]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page).to_have_url(re.compile(rf"/clients/{client_record.pk}/$"))
    expect(timeline).to_contain_text("Gesprek over de opleiding")


def test_the_accessibility_check_catches_a_broken_page(browser_page):
    # Guards the guard: a page with an unlabelled field and an image without text must fail.
    browser_page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    ids = {v["id"] for v in axe_violations(browser_page)}
    assert {"image-alt", "label"} <= ids
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(browser_page)
