"""Browser tests: headless Chromium through Playwright, against pytest-django's live server.

The root conftest.py loads this module as a pytest plugin, so in a test module::

    from opstap.browser import assert_accessible, login

    @pytest.mark.browser
    def test_something(browser_page, live_server, alice, password):
        login(browser_page, live_server, "alice", password)
        browser_page.goto("/clients/")
        assert_accessible(browser_page)

`browser_page` needs nothing else: one Chromium is started for the whole run (Debian's
/usr/bin/chromium, or $CHROMIUM_PATH) and every test gets a fresh context (no cookies
shared), whose base URL is the live server's. The live server makes the test transactional,
so data created in the test is visible to the browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; Django's ORM is only used by the
# test itself between browser calls, which is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parent / "tests_assets" / "axe.min.js"
TIMEOUT_MS = 15_000

_running: dict = {}


def _browser(config: pytest.Config):
    """The run's Chromium, started on first use and stopped when pytest ends."""
    if "browser" not in _running:
        from playwright.sync_api import sync_playwright

        if not os.path.exists(CHROMIUM):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium.")
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        _running.update(playwright=playwright, browser=browser)
        config.add_cleanup(_stop)
    return _running["browser"]


def _stop() -> None:
    browser, playwright = _running.pop("browser", None), _running.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture
def browser_page(request, live_server):
    """A fresh page (new context) whose relative URLs go to the live server."""
    context = _browser(request.config).new_context(
        base_url=live_server.url,
        locale="nl-BE",
        viewport={"width": 1280, "height": 900},
        # Only so the axe check can inject its script; the pages themselves run under the CSP.
        bypass_csp=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form, as a person would, and wait for the start page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; the violations with one of `impacts`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await window.axe.run(document, {
            resultTypes: ["violations"],
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "best-practice"]},
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds a serious or critical violation."""
    violations = axe_violations(page)
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'][:200]}")
    assert not violations, f"Accessibility violations on {page.url}:\n" + "\n".join(lines)
