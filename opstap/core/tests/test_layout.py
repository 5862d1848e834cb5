"""The top of the page written in Python (opstap.core.layout) is what base.html's template
wrote: rendered beside the old template (kept as base_reference.html) for signed-in users of
every kind, a visitor, each language, with and without unread notifications."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from opstap.core.notifications import notify

REFERENCE = Path(__file__).parent / "base_reference.html"
CHILD = (
    "{% extends base %}{% block title %}T{% endblock %}{% block content %}<p>x</p>{% endblock %}"
)
TOKEN = re.compile(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}"')


def _render(base, user, path: str) -> str:
    request = RequestFactory().get(path)
    request.user = user
    request.centre = getattr(user, "centre", None)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    engine = engines["django"]
    html = engine.from_string(CHILD).render({"base": base}, request)
    return TOKEN.sub(r'\1TOKEN"', html)  # each render masks the CSRF token anew


def _both(user, path):
    engine = engines["django"]
    old = engine.from_string(REFERENCE.read_text()).template
    new = engine.get_template("base.html").template
    return _render(old, user, path), _render(new, user, path)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("persona", ["alice", "carol", "maria", "adam", "pete", "visitor"])
def test_the_top_is_what_the_template_wrote(request, language, persona, centre):
    user = AnonymousUser() if persona == "visitor" else request.getfixturevalue(persona)
    path = "/clients/?q=D'Hondt & <Co>&page=2"
    with translation.override(language):
        old, new = _both(user, path)
    assert new == old
    assert "q=D&#x27;Hondt" in new  # the address for the language switch, escaped
    if persona != "visitor":
        assert "OCMW Gent" in new
    if persona in ("alice", "carol"):  # on the caseload, its entry is the current one
        assert 'href="/clients/" aria-current="page"' in new


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("unread", [1, 3])
def test_the_unread_badge(alice, language, unread):
    alice.first_name = "Ali <ce>"
    for n in range(unread):
        notify(user=alice, kind="info", message="m", key=f"k{n}", email=False)
    with translation.override(language):
        old, new = _both(alice, "/")
    assert new == old
    assert f'<span class="badge warn" aria-label="{unread} ' in new
    assert "Ali &lt;ce&gt; Aerts" in new


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_page_drawn_without_a_request(language):
    """The 500 page is drawn with no request: no user, no address, no CSRF token."""
    engine = engines["django"]
    old = engine.from_string(REFERENCE.read_text()).template
    new = engine.get_template("base.html").template
    with translation.override(language):
        written = [engine.from_string(CHILD).render({"base": base}) for base in (old, new)]
    assert written[1] == written[0]
    assert "csrfmiddlewaretoken" not in written[1]
    assert engine.get_template("500.html").render()  # and the page itself still renders
