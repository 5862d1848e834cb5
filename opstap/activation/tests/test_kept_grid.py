"""The partner's hours grid, kept between reads while nothing it shows changes (fix 66)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from opstap.activation import services
from opstap.activation.models import MonthlyHours
from opstap.core.models import KeptFigure
from opstap.core.tests.kept_pages import kept_as_fresh, kept_in_language, read_page

from .conftest import make_placement
from .test_hours import MONTH, grid_url, post_grid


def _page(client, settings, *, kept: bool) -> tuple[str, int]:
    return read_page(client, settings, grid_url(), kept=kept)


def _both(client, settings) -> str:
    return kept_as_fresh(client, settings, grid_url())


def test_a_kept_grid_follows_every_write(
    client, settings, pete_contact, lien, placement, second_placement, second_client
):
    client.force_login(pete_contact.user)
    seen = [_both(client, settings)]

    def changed() -> str:
        client.force_login(pete_contact.user)
        page = _both(client, settings)
        assert page != seen[-1]
        seen.append(page)
        return page

    # The partner saves a draft, then submits.
    post_grid(client, [(placement.pk, "20", "12.50", ""), (second_placement.pk, "7", "", "")])
    assert 'value="20' in changed()
    post_grid(
        client,
        [(placement.pk, "21", "12.50", ""), (second_placement.pk, "7", "", "")],
        action="submit",
    )
    assert 'value="21' in changed()
    # The centre sends the month back, then approves it: the rows lock.
    services.hours_return(actor=lien, organisation=placement.organisation, month=MONTH)
    changed()
    client.force_login(pete_contact.user)
    post_grid(
        client,
        [(placement.pk, "21", "12.50", ""), (second_placement.pk, "7", "", "")],
        action="submit",
    )
    changed()
    services.hours_approve(actor=lien, organisation=placement.organisation, month=MONTH)
    assert "readonly" in changed()
    # A client's name changes.
    second_client.last_name = "Vandenbroucke"
    second_client.save()
    assert "Vandenbroucke" in changed()
    # A placement ends before the month; another starts.
    second_placement.end = MONTH - datetime.timedelta(days=1)
    second_placement.save()
    assert "PL-2" not in changed()
    make_placement(
        second_client,
        placement.organisation,
        ref="PL-3",
        start=MONTH - datetime.timedelta(days=30),
    )
    assert "PL-3" in changed()
    # A month's record is deleted.
    MonthlyHours.objects.filter(placement=placement).delete()
    assert 'value="21' not in changed()


def test_a_kept_grid_reads_less_and_saving_still_checks_the_stamp(
    client, settings, pete_contact, placement, second_placement
):
    client.force_login(pete_contact.user)
    first, first_queries = _page(client, settings, kept=True)
    again, kept_queries = _page(client, settings, kept=True)
    assert again == first
    assert kept_queries < first_queries
    # A save from a kept page carries the stamp of the rows it shows.
    stamp = re.search(r'name="stamp" value="([^"]+)"', first).group(1)
    response = client.post(
        reverse("activation:partner-hours"),
        {
            "month": f"{MONTH:%Y-%m}",
            "action": "draft",
            "stamp": stamp,
            f"hours-{placement.pk}": "12",
            f"hours-{second_placement.pk}": "",
        },
    )
    assert response.status_code == 302
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("12")
    # The old page's stamp is now stale: refused, not overwritten.
    response = client.post(
        reverse("activation:partner-hours"),
        {
            "month": f"{MONTH:%Y-%m}",
            "action": "draft",
            "stamp": stamp,
            f"hours-{placement.pk}": "13",
        },
    )
    assert response.status_code == 400
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("12")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_kept_grid_is_drawn_in_each_language(client, settings, pete_contact, placement, language):
    client.force_login(pete_contact.user)
    _page(client, settings, kept=False)  # the first visit creates the centre's hours settings
    kept = kept_in_language(client, settings, grid_url(), language)
    assert {"nl": "Uren van", "fr": "Heures de", "en": "Hours of"}[language] in kept


def test_a_kept_grid_leaves_no_name_in_the_shared_copies(client, settings, pete_contact, placement):
    client.force_login(pete_contact.user)
    _page(client, settings, kept=True)
    _page(client, settings, kept=True)
    name = placement.client.last_name.encode()
    assert not [k for k in KeptFigure.objects.all() if name in bytes(k.entry)]
