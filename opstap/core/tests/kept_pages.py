"""For tests of pages kept between reads (opstap.core.stored): a page read as kept must be the
page drawn afresh, apart from what differs in every answer."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The page's CSRF token is masked anew in every answer.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*')
# A message (a save's "saved") is shown once, by the next page.
MESSAGES = re.compile(r'<div class="messages" role="status">.*?</div>', re.S)


def read_page(client, settings, path: str, *, kept: bool) -> tuple[str, int]:
    """The page with its token and messages left out and its spacing evened, and how many
    queries it ran; `kept` turns keeping on or off for this read."""
    settings.STORED_FIGURES = kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    page = CSRF.sub(r"\1", response.content.decode())
    return " ".join(MESSAGES.sub("", page).split()), len(queries)


def kept_as_fresh(client, settings, path: str) -> str:
    """The page as kept, which must equal the page drawn afresh; the kept one is read twice."""
    kept, _ = read_page(client, settings, path, kept=True)
    again, _ = read_page(client, settings, path, kept=True)
    fresh, _ = read_page(client, settings, path, kept=False)
    assert kept == fresh
    assert again == fresh
    settings.STORED_FIGURES = True
    return fresh


def kept_in_language(client, settings, path: str, language: str) -> str:
    """The page kept in `language` after it was kept in another one, which must equal the
    page drawn afresh in `language`."""
    client.cookies["django_language"] = "nl" if language != "nl" else "fr"
    read_page(client, settings, path, kept=True)  # kept in another language first
    client.cookies["django_language"] = language
    kept, _ = read_page(client, settings, path, kept=True)
    fresh, _ = read_page(client, settings, path, kept=False)
    assert kept == fresh
    return kept
