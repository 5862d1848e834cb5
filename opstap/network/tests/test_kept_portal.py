"""The partner portal's lists, kept between reads while nothing they show changes (fix 81)."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from opstap.core.models import KeptFigure
from opstap.core.tests.kept_pages import kept_as_fresh, kept_in_language, read_page
from opstap.network import services
from opstap.network.models import REFERRAL_ANSWER_DAYS, Referral
from opstap.network.rows import CSRF_SLOT, NEXT_SLOT, fill_slots

from .test_referrals import _refer_to_place

pytestmark = pytest.mark.django_db

HOME = reverse("network:partner-home")


def _page(client, settings, *, kept: bool, path: str = HOME) -> tuple[str, int]:
    return read_page(client, settings, path, kept=kept)


def _both(client, settings, path: str = HOME) -> str:
    return kept_as_fresh(client, settings, path)


def test_a_kept_portal_follows_every_write(client, settings, pete, pete_contact, alice, place):
    waiting = _refer_to_place(alice, place, "Wacht op antwoord", shared_info=["name"])
    running = _refer_to_place(alice, place, "Loopt al", status="started", shared_info=["name"])
    client.force_login(pete)
    seen = [_both(client, settings)]

    def changed() -> str:
        page = _both(client, settings)
        assert page != seen[-1]
        seen.append(page)
        return page

    # The centre refers someone else.
    _refer_to_place(alice, place, "Nieuwe vraag", shared_info=["name"])
    assert "Nieuwe vraag" in changed()
    # The partner accepts the one waiting: it moves to the running list.
    services.referral_set_status(actor=pete, referral=waiting, status="accepted", note="")
    assert changed().count("Mark as") < seen[-2].count("Mark as")
    # A client's name changes.
    person = running.client
    person.last_name = "Vandenbroucke"
    person.save()
    assert "Vandenbroucke" in changed()
    # The client no longer shares the name.
    Referral.objects.filter(pk=running.pk).update(shared_info=[])
    assert "Vandenbroucke" not in changed()
    # A place is renamed.
    place.title = "Fietsatelier Noord"
    place.save()
    assert "Fietsatelier Noord" in changed()
    # The running referral ends: it is an earlier one now.
    Referral.objects.filter(pk=running.pk).update(status="ended")
    changed()
    # A referral is deleted.
    Referral.objects.filter(pk=waiting.pk).delete()
    assert escape(waiting.client.full_name) not in changed()


def test_a_kept_portal_follows_the_day(client, settings, pete, pete_contact, alice, place):
    """A referral becomes overdue overnight, with nothing written."""
    _refer_to_place(alice, place, "Bijna te laat", days_ago=REFERRAL_ANSWER_DAYS - 1)
    client.force_login(pete)
    today = _both(client, settings)
    assert "badge warn" not in today
    with time_machine.travel(datetime.date.today() + datetime.timedelta(days=1)):
        client.force_login(pete)  # the session would have expired overnight
        tomorrow = _both(client, settings)
    assert "badge warn" in tomorrow


def test_a_kept_portal_reads_less(client, settings, pete, pete_contact, alice, place):
    for status in ("requested", "accepted", "ended"):
        _refer_to_place(alice, place, status, status=status, shared_info=["name"])
    client.force_login(pete)
    first, first_queries = _page(client, settings, kept=True)
    again, kept_queries = _page(client, settings, kept=True)
    assert again == first
    # The sizes and the three lists are not read again.
    assert kept_queries <= first_queries - 4


def test_an_answer_from_a_kept_portal_carries_this_requests_token_and_address(
    settings, pete, pete_contact, alice, place
):
    first = _refer_to_place(alice, place, "Eerste", shared_info=["name"])
    second = _refer_to_place(alice, place, "Tweede", shared_info=["name"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pete)
    settings.STORED_FIGURES = True
    browser.get(HOME)  # drawn and kept
    page = browser.get(HOME + "?running=1").content.decode()  # another address, same lists
    assert CSRF_SLOT not in page and NEXT_SLOT not in page
    form = re.search(
        rf'<form method="post" action="{reverse("network:referral-status", args=[first.pk])}".*?'
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*'
        r'<input type="hidden" name="next" value="([^"]+)">',
        page,
        re.S,
    )
    token, next_path = form.groups()
    assert next_path == HOME + "?running=1"
    response = browser.post(
        reverse("network:referral-status", args=[first.pk]),
        {"csrfmiddlewaretoken": token, "next": next_path, "status": "accepted", "note": ""},
    )
    assert response.status_code == 302 and response["Location"] == next_path
    first.refresh_from_db()
    assert first.status == "accepted"
    # Without a token, refused as before.
    response = browser.post(
        reverse("network:referral-status", args=[second.pk]), {"status": "accepted"}
    )
    assert response.status_code == 403
    second.refresh_from_db()
    assert second.status == "requested"


def test_slots_are_filled_with_escaped_values():
    html = f'value="{CSRF_SLOT}"><input value="{NEXT_SLOT}">'
    filled = fill_slots(html, csrf_token="abc", next_path='/p/?a=1&b="2"')
    assert filled == 'value="abc"><input value="/p/?a=1&amp;b=&quot;2&quot;">'
    assert fill_slots("<li>no form</li>", csrf_token="abc", next_path="/") == "<li>no form</li>"


def test_each_page_of_a_list_is_kept_apart(client, settings, pete, pete_contact, alice, place):
    from opstap.network.views import PARTNER_HISTORY_PAGE

    for i in range(PARTNER_HISTORY_PAGE + 3):
        _refer_to_place(alice, place, f"closed {i}", status="refused", shared_info=["name"])
    client.force_login(pete)
    first = _both(client, settings)
    second = _both(client, settings, HOME + "?page=2")
    assert first != second
    assert "Page 2 of 2" in second and "Page 1 of 2" in first
    # What Paginator.get_page makes of a wrong number, kept or not.
    assert _both(client, settings, HOME + "?page=x").replace("?page=x", "") == first
    assert "Page 2 of 2" in _both(client, settings, HOME + "?page=99")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_kept_portal_is_drawn_in_each_language(
    client, settings, pete, pete_contact, alice, place, language
):
    _refer_to_place(alice, place, "Taal", shared_info=["name"])
    client.force_login(pete)
    kept = kept_in_language(client, settings, HOME, language)
    assert {"nl": "Markeren als", "fr": "Marquer comme", "en": "Mark as"}[language] in kept


def test_a_kept_portal_leaves_no_name_in_the_shared_copies(
    client, settings, pete, pete_contact, alice, place
):
    referral = _refer_to_place(alice, place, "Gedeeld", shared_info=["name"])
    client.force_login(pete)
    _page(client, settings, kept=True)
    _page(client, settings, kept=True)
    name = referral.client.last_name.encode()
    assert not [k for k in KeptFigure.objects.all() if name in bytes(k.entry)]
