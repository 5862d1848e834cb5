"""The caseload a worker opens with no filter: its size and first page are prepared reads, and
they give what the filtered list's queryset gives."""

import datetime
import re

import pytest

from opstap.clients.models import CareRole, CareTeamMember
from opstap.clients.rows import caseload_row_html
from opstap.clients.selectors import (
    caseload_for,
    own_caseload_count,
    own_caseload_first_page,
    with_caseload_facts,
)
from opstap.factories import ClientFactory, OfficeFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def worlds(centre, other_centre, alice, bob):
    """Alice follows 31 clients today (shared surnames, so the order needs first name and key),
    besides memberships that ended, that start tomorrow, and one on another centre's client."""
    office = OfficeFactory(centre=centre, name="Zuid")
    surnames = ["Peeters", "Janssens", "Maes", "Peeters", "De Smet"]
    for n in range(31):
        client = ClientFactory(
            centre=centre,
            office=office if n % 3 else None,
            last_name=surnames[n % len(surnames)],
            first_name=["An", "Bart", "An"][n % 3],
        )
        CareTeamMember.objects.create(
            client=client, user=alice, role=CareRole.REFERENCE, start_date=TODAY - 30 * DAY
        )
    ended = ClientFactory(centre=centre, last_name="Aalst")
    CareTeamMember.objects.create(
        client=ended,
        user=alice,
        role=CareRole.REFERENCE,
        start_date=TODAY - 30 * DAY,
        end_date=TODAY - DAY,
    )
    later = ClientFactory(centre=centre, last_name="Aarts")
    CareTeamMember.objects.create(
        client=later, user=alice, role=CareRole.REFERENCE, start_date=TODAY + DAY
    )
    elsewhere = ClientFactory(centre=other_centre, last_name="Abeel")
    CareTeamMember.objects.create(
        client=elsewhere, user=alice, role=CareRole.REFERENCE, start_date=TODAY - DAY
    )
    bobs = ClientFactory(centre=centre, last_name="Adams")
    CareTeamMember.objects.create(
        client=bobs, user=bob, role=CareRole.REFERENCE, start_date=TODAY - DAY
    )


def test_size_and_first_page_are_the_querysets(alice, worlds):
    listed = caseload_for(alice, facts=False).order_by("last_name", "first_name", "id")
    assert own_caseload_count(alice) == listed.count() == 31
    first = own_caseload_first_page(alice)
    assert [c.pk for c in first] == [c.pk for c in listed[:25]]
    assert [c.office for c in first] == [c.office for c in listed[:25]]


def test_a_worker_without_clients_counts_none(bob, centre):
    assert own_caseload_count(bob) == 0
    assert own_caseload_first_page(bob) == []


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], re.S)


def test_the_page_is_the_filtered_lists_first_page(client, alice, password, worlds):
    client.login(username=alice.username, password=password)
    plain = client.get("/clients/").content.decode()
    # The same list by the filtered path: an explicit sort by name, an empty search.
    sorted_by_name = client.get("/clients/?q=&sort=name").content.decode()
    first = with_caseload_facts(
        list(caseload_for(alice, facts=False).order_by("last_name", "first_name", "id")[:25])
    )
    assert _rows(plain) == _rows(sorted_by_name) == [caseload_row_html(c).strip() for c in first]
    assert "31 clients" in plain or "31 cliënten" in plain
    assert _rows(client.get("/clients/?page=1").content.decode()) == _rows(plain)
    second = _rows(client.get("/clients/?page=2").content.decode())
    assert len(second) == 6


def test_a_head_starts_on_the_teams_list(client, carol, alice, password, worlds):
    client.login(username=carol.username, password=password)
    html = client.get("/clients/").content.decode()
    assert len(_rows(html)) == 25  # alice's clients, through the team; carol follows none
    assert own_caseload_count(carol) == 0


def test_the_office_filter_offers_what_its_queryset_holds(centre, other_centre):
    from opstap.clients.forms import CaseloadFilterForm

    for name in ["Zuid", "Noord & <Oost>", "Centrum"]:
        OfficeFactory(centre=centre, name=name)
    OfficeFactory(centre=other_centre, name="Brugge")
    form = CaseloadFilterForm(centre=centre)
    prepared = str(form["office"])
    form.fields["office"].listed = None  # the options read from the queryset, as before
    assert prepared == str(form["office"])
    assert [label for _value, label in form.fields["office"].choices][1:] == [
        "Centrum",
        "Noord & <Oost>",
        "Zuid",
    ]
    assert "Noord &amp; &lt;Oost&gt;" in prepared and "Brugge" not in prepared
