import pytest

from opstap.balance import services
from opstap.factories import CareTeamMemberFactory

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def counsellor_bob(bob, client_record):
    """Bob, trajectory counsellor, on the client's care team (he runs the balance)."""
    CareTeamMemberFactory(client=client_record, user=bob, role="counsellor")
    return bob


@pytest.fixture
def balance(alice, client_record):
    return services.balance_create(actor=alice, client=client_record)


@pytest.fixture
def browser_page():
    """A Playwright page in Debian's headless Chromium; closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="en-GB", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
