"""In a real browser: a trainer fills in an attendance register from the keyboard and saves."""

import datetime

import pytest

from opstap.browser import assert_accessible, login
from opstap.courses import services

from .conftest import START


@pytest.mark.browser
def test_register_from_the_keyboard(
    browser_page, live_server, alice, scheduled, newcomers, password
):
    today = START - datetime.timedelta(days=7)
    group = [
        services.enrolment_propose(actor=alice, edition=scheduled, client=c, today=today)
        for c in newcomers[:2]
    ]
    session = scheduled.sessions.order_by("date").first()
    page = browser_page
    login(page, live_server, "alice", password)
    page.goto(f"/modules/sessions/{session.pk}/register/")
    assert_accessible(page)
    page.focus(f"#s{group[0].pk}-present")
    page.keyboard.press("a")  # Amal: absent with a reason -> the focus goes to the reason
    assert page.evaluate("document.activeElement.id") == f"r{group[0].pk}"
    page.keyboard.press("ArrowDown")  # Illness
    page.keyboard.press("Tab")
    page.keyboard.press("u")  # Bilal: absent without reason -> the focus goes to Save
    assert page.evaluate("document.activeElement.id") == "save-register"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/modules/editions/{scheduled.pk}/**")
    records = {a.enrolment_id: (a.status, a.reason) for a in session.attendance.all()}
    assert records == {group[0].pk: ("excused", "illness"), group[1].pk: ("unexcused", "")}
    assert page.inner_text(f"[data-rate='{group[0].pk}']") == "0,0%"  # alice reads Dutch
    assert_accessible(page)

    # Next session: both present, from the keyboard only.
    second = scheduled.sessions.order_by("date")[1]
    page.goto(f"/modules/sessions/{second.pk}/register/")
    page.focus(f"#s{group[0].pk}-present")
    page.keyboard.press("p")
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/modules/editions/{scheduled.pk}/**")
    assert page.inner_text(f"[data-rate='{group[0].pk}']") == "50,0%"
    assert page.inner_text(f"[data-rate='{group[1].pk}']") == "50,0%"
