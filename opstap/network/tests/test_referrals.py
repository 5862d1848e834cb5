"""Referrals: the worker refers, the partner answers, the dossier follows."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opstap.clients.models import Appointment
from opstap.core.models import AuditEntry
from opstap.core.timeline import events_for
from opstap.factories import CareTeamMemberFactory, ClientFactory, UserFactory
from opstap.network import selectors, services
from opstap.network.models import Referral

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _refer_to_place(alice, place, reason, *, status="requested", days_ago=0, shared_info=()):
    """A referral of a new client of alice's to the place, in the given status."""
    c = ClientFactory(centre=place.organisation.centre)
    CareTeamMemberFactory(client=c, user=alice)
    r = services.referral_create(
        actor=alice,
        client=c,
        place=place,
        reason=reason,
        shared_info=list(shared_info),
        referred_on=TODAY - datetime.timedelta(days=days_ago),
    )
    if status != "requested":
        Referral.objects.filter(pk=r.pk).update(status=status)
    return r


@pytest.fixture
def referral(alice, client_record, place):
    return services.referral_create(
        actor=alice,
        client=client_record,
        place=place,
        reason="Wil graag met fietsen werken",
        shared_info=["name", "language"],
    )


@pytest.fixture
def other_referral(alice, client_record, other_place):
    return services.referral_create(
        actor=alice, client=client_record, place=other_place, reason="Houdt van dieren"
    )


def _status(client, referral, status, note=""):
    return client.post(
        reverse("network:referral-status", args=[referral.pk]), {"status": status, "note": note}
    )


# --- the worker ------------------------------------------------------------------------------


def test_alice_finds_offer_and_place_and_refers(client, alice, client_record, offer, place):
    client.force_login(alice)
    url = reverse("network:client-referrals", args=[client_record.pk])
    page = client.get(url, {"q": "fiets"}).content.decode()
    assert "Fietsherstelling" in page
    assert f"?place={place.pk}" in page
    budget = client.get(url, {"kind": "welfare"}).content.decode()
    assert "Budget management" in budget and "Fietsherstelling" not in budget

    create = reverse("network:referral-create", args=[client_record.pk])
    form = client.get(create, {"place": place.pk})
    assert form.status_code == 200
    response = client.post(
        create,
        {
            "place": place.pk,
            "reason": "Technisch sterk",
            "referred_on": TODAY.strftime("%d/%m/%Y"),
            "shared_info": ["name", "contact"],
        },
    )
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.get()
    assert referral.organisation == place.organisation
    assert referral.referred_by == alice
    assert referral.shared_info == ["name", "contact"]
    assert referral.status == "requested"
    entry = AuditEntry.objects.get(action="network.referral.created")
    assert entry.client_id == client_record.pk and entry.actor == alice
    listing = client.get(url).content.decode()
    assert "Technisch sterk" in listing and "Requested" in listing


def test_refer_to_offer_of_own_service(alice, client_record, offer):
    r = services.referral_create(actor=alice, client=client_record, offer=offer, reason="Budget")
    assert r.organisation is None and r.target_label == "Budget management"


def test_referral_needs_a_reason_and_keeps_input(client, alice, client_record, offer):
    client.force_login(alice)
    create = reverse("network:referral-create", args=[client_record.pk])
    response = client.post(create, {"offer": offer.pk, "reason": "", "referred_on": "31/02/2024"})
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert "field-error" in response.content.decode()


def test_consent_from_balance_prefills_shared_info(
    client, alice, client_record, place, monkeypatch
):
    from opstap.balance import selectors as balance_selectors

    monkeypatch.setattr(
        balance_selectors,
        "consent_for",
        lambda c: {"given_on": TODAY, "balance_id": 1, "categories": {"identity": "vzw ANA"}},
        raising=False,
    )
    client.force_login(alice)
    response = client.get(
        reverse("network:referral-create", args=[client_record.pk]), {"place": place.pk}
    )
    assert response.context["form"].initial["shared_info"] == [
        "name",
        "birth_date",
        "contact",
        "address",
    ]
    assert "vzw ANA" in response.content.decode()


def test_no_consent_means_nothing_ticked(client_record):
    consent = selectors.consent_for_client(client_record)
    assert consent["keys"] == []


def test_referral_on_timeline(alice, client_record, referral):
    services.referral_set_status(actor=alice, referral=referral, status="accepted")
    titles = [e.title for e in events_for(client_record, alice) if e.kind == "referral"]
    assert any("Referred to Fietsherstelling" in t for t in titles)
    assert any("accepted" in t for t in titles)


@pytest.mark.parametrize("persona", ["bob", "dave", "maria", "adam", "pete", "oscar"])
def test_others_get_404_on_client_referrals(client, request, client_record, referral, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in ["network:client-referrals", "network:referral-create", "network:case-overview"]:
        assert client.get(reverse(name, args=[client_record.pk])).status_code == 404, name


@pytest.mark.parametrize("persona", ["dave", "maria", "oscar"])
def test_others_cannot_change_status(client, request, referral, persona):
    client.force_login(request.getfixturevalue(persona))
    assert _status(client, referral, "accepted").status_code == 404
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_client_referrals_runs_bounded_queries(
    client, alice, client_record, place, offer, django_assert_max_num_queries
):
    for i in range(15):
        services.referral_create(actor=alice, client=client_record, place=place, reason=f"R{i}")
        services.referral_create(actor=alice, client=client_record, offer=offer, reason=f"O{i}")
    client.force_login(alice)
    url = reverse("network:client-referrals", args=[client_record.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url, {"q": ""})
    assert len(response.context["referrals"]) == 30


# --- status changes --------------------------------------------------------------------------


def test_full_status_path_is_audited(alice, referral):
    for status, note in [("accepted", "Welkom"), ("started", ""), ("ended", "Stap naar werk")]:
        referral = services.referral_set_status(
            actor=alice, referral=referral, status=status, note=note
        )
    assert referral.status == "ended"
    assert referral.answered_on == referral.started_on == referral.ended_on == TODAY
    assert referral.outcome == "Stap naar werk"
    actions = set(
        AuditEntry.objects.filter(client_id=referral.client_id).values_list("action", flat=True)
    )
    assert {
        "network.referral.accepted",
        "network.referral.started",
        "network.referral.ended",
    } <= actions


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("requested", "ended"),
        ("requested", "started"),
        ("refused", "accepted"),
        ("ended", "started"),
        ("accepted", "requested"),
        ("requested", "bogus"),
    ],
)
def test_invalid_transition_refused(alice, referral, start, target):
    Referral.objects.filter(pk=referral.pk).update(status=start)
    with pytest.raises(ValidationError) as exc:
        services.referral_set_status(actor=alice, referral=referral, status=target)
    assert "status" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == start


def test_ending_needs_an_outcome(alice, referral):
    Referral.objects.filter(pk=referral.pk).update(status="started")
    with pytest.raises(ValidationError) as exc:
        services.referral_set_status(actor=alice, referral=referral, status="ended")
    assert "note" in exc.value.message_dict


def test_invalid_transition_on_page_shows_error(client, alice, referral):
    client.force_login(alice)
    response = _status(client, referral, "ended", "x")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "cannot go from" in page
    referral.refresh_from_db()
    assert referral.status == "requested"


# --- the 14-day flag -------------------------------------------------------------------------


def test_waiting_flag_after_14_days(alice, client_record, place):
    fresh = services.referral_create(
        actor=alice,
        client=client_record,
        place=place,
        reason="a",
        referred_on=TODAY - datetime.timedelta(days=13),
    )
    old = services.referral_create(
        actor=alice,
        client=client_record,
        place=place,
        reason="b",
        referred_on=TODAY - datetime.timedelta(days=14),
    )
    assert list(selectors.referrals_waiting_for(alice)) == [old]
    assert not fresh.overdue and old.overdue
    # Moving the clock: the fresh one is flagged a day later, unless it was answered.
    later = TODAY + datetime.timedelta(days=1)
    assert set(selectors.referrals_waiting_for(alice, today=later)) == {old, fresh}
    services.referral_set_status(actor=alice, referral=old, status="refused", note="Vol")
    assert list(selectors.referrals_waiting_for(alice, today=later)) == [fresh]


def test_waiting_only_for_the_referring_worker(alice, carol, client_record, place):
    services.referral_create(
        actor=alice,
        client=client_record,
        place=place,
        reason="a",
        referred_on=TODAY - datetime.timedelta(days=20),
    )
    assert selectors.referrals_waiting_for(carol).count() == 0
    assert selectors.referrals_waiting_for(alice).count() == 1


def test_waiting_shown_on_home_dossier_and_list(client, alice, client_record, place):
    services.referral_create(
        actor=alice,
        client=client_record,
        place=place,
        reason="a",
        referred_on=TODAY - datetime.timedelta(days=20),
    )
    client.force_login(alice)
    home = client.get(reverse("core:home")).content.decode()
    assert "Referrals without answer" in home and "Fatima Janssens" in home
    dossier = client.get(
        reverse("network:client-referrals", args=[client_record.pk])
    ).content.decode()
    assert "without answer for 14 days" in dossier
    assert "no answer after 20 days" in dossier
    waiting = client.get(reverse("network:referrals-waiting")).content.decode()
    assert "Fatima Janssens" in waiting and "20 days" in waiting


def test_waiting_list_names_every_kind_of_target_in_few_queries(
    client, alice, client_record, place, offer, organisation
):
    """The start page and the waiting list name a place (with its organisation), an offer
    and an organisation alone; the targets are read by key, so more rows add no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = TODAY - datetime.timedelta(days=20)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse("network:referrals-waiting"))
    for target in ({"place": place}, {"offer": offer}, {"organisation": organisation}):
        services.referral_create(
            actor=alice, client=client_record, reason="a", referred_on=old, **target
        )
    waiting = list(selectors.referrals_waiting_for(alice))
    assert [r.target_label for r in waiting] == [str(place), offer.name, str(organisation)]
    assert str(place) == "Fietsherstelling (vzw ANA)"
    for url in (reverse("core:home"), reverse("network:referrals-waiting")):
        page = client.get(url).content.decode()
        assert '<html lang="en">' in page  # the offer under its English name
        for label in ("Fietsherstelling (vzw ANA)", "Budget management", "vzw ANA"):
            assert label in page, (url, label)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("network:referrals-waiting"))
    # Offers, organisations, places and the places' organisations: four reads by key.
    assert len(three) - len(empty) <= 4
    for _ in range(3):
        services.referral_create(
            actor=alice, client=client_record, place=place, reason="b", referred_on=old
        )
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("network:referrals-waiting"))
    assert len(six) == len(three)


def test_no_flag_on_home_when_all_answered(client, alice, referral):
    client.force_login(alice)
    assert "Referrals without answer" not in client.get(reverse("core:home")).content.decode()


# --- the partner -----------------------------------------------------------------------------


def test_partner_lands_on_portal(client, pete, pete_contact):
    client.force_login(pete)
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:partner-home")
    assert "vzw ANA" in response.content.decode()


def test_pete_sees_only_own_referrals_and_places(
    client, pete, pete_contact, referral, other_referral, place, other_place
):
    client.force_login(pete)
    page = client.get(reverse("network:partner-home")).content.decode()
    assert "Fietsherstelling" in page and "Wil graag met fietsen werken" in page
    assert "Dierenverzorging" not in page and "Houdt van dieren" not in page
    assert "Fatima Janssens" in page  # the name was shared
    assert client.get(reverse("network:partner-referral", args=[referral.pk])).status_code == 200
    assert (
        client.get(reverse("network:partner-referral", args=[other_referral.pk])).status_code == 404
    )
    assert _status(client, other_referral, "accepted").status_code == 404


def test_pete_sees_only_consented_information(
    client, pete, pete_contact, alice, client_record, place
):
    client_record.phone = "0470 12 34 56"
    client_record.save()
    hidden = services.referral_create(
        actor=alice, client=client_record, place=place, reason="Anoniem", shared_info=[]
    )
    client.force_login(pete)
    page = client.get(reverse("network:partner-referral", args=[hidden.pk])).content.decode()
    assert "Anoniem" in page
    assert "Janssens" not in page and "0470" not in page and "85073003328" not in page
    assert "name not shared" in page


def test_pete_accepts_referral(client, pete, pete_contact, referral):
    client.force_login(pete)
    response = _status(client, referral, "accepted", "Start maandag")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.answer_note == "Start maandag"
    entry = AuditEntry.objects.get(action="network.referral.accepted")
    assert entry.actor == pete and entry.client_id == referral.client_id


def test_pete_has_no_dossier_and_no_other_organisation(
    client, pete, pete_contact, client_record, other_organisation
):
    client.force_login(pete)
    assert client.get(reverse("clients:detail", args=[client_record.pk])).status_code == 404
    assert (
        client.get(reverse("network:organisation-detail", args=[other_organisation.pk])).status_code
        == 404
    )
    assert client.get(reverse("network:organisation-list")).status_code == 404


def test_partner_without_link_sees_nothing(client, pete, referral):
    client.force_login(pete)
    page = client.get(reverse("network:partner-home")).content.decode()
    assert "not linked" in page
    assert client.get(reverse("network:partner-referral", args=[referral.pk])).status_code == 404


def test_partner_of_other_centre_cannot_be_linked(adam, other_centre, organisation):
    outsider = UserFactory(centre=other_centre, role_list=["partner"])
    with pytest.raises(ValidationError):
        services.partner_contact_set(actor=adam, user=outsider, organisation=organisation)


def test_partner_portal_bounded_queries(
    client, pete, pete_contact, alice, place, django_assert_max_num_queries
):
    for i in range(10):
        _refer_to_place(alice, place, f"r{i}", shared_info=["name"])
    client.force_login(pete)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("network:partner-home")).status_code == 200


def test_partner_portal_lists_earlier_referrals_a_page_at_a_time(
    client, pete, pete_contact, alice, place
):
    from opstap.network.views import PARTNER_HISTORY_PAGE

    for i in range(PARTNER_HISTORY_PAGE + 3):
        _refer_to_place(alice, place, f"closed {i}", status="refused")
    waiting = services.referral_create(
        actor=alice,
        client=ClientFactory(centre=place.organisation.centre),
        place=place,
        reason="Wacht op antwoord",
        shared_info=[],
    )
    client.force_login(pete)
    first = client.get(reverse("network:partner-home")).content.decode()
    second = client.get(reverse("network:partner-home") + "?page=2").content.decode()

    def closed_links(page: str) -> int:
        return sum(
            reverse("network:partner-referral", args=[pk]) + '"' in page
            for pk in Referral.objects.filter(status="refused").values_list("pk", flat=True)
        )

    assert closed_links(first) == PARTNER_HISTORY_PAGE and closed_links(second) == 3
    waiting_link = reverse("network:partner-referral", args=[waiting.pk]) + '"'
    assert waiting_link in first and waiting_link in second  # open ones on every page
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_expired_insurance_shown_where_client_meets_organisation(
    client, alice, client_record, referral, organisation, pete, pete_contact
):
    organisation.insurance_until = TODAY - datetime.timedelta(days=1)
    organisation.save()
    client.force_login(alice)
    dossier = client.get(
        reverse("network:client-referrals", args=[client_record.pk]), {"q": "fiets"}
    )
    assert "Insurance expired" in dossier.content.decode()
    form = client.get(
        reverse("network:referral-create", args=[client_record.pk]), {"place": referral.place_id}
    )
    assert "Insurance expired" in form.content.decode()
    client.force_login(pete)
    assert "Insurance expired" in client.get(reverse("network:partner-home")).content.decode()


# --- case management -------------------------------------------------------------------------


def test_case_manager_sees_every_carers_work(
    client, alice, client_record, referral, centre, team_a
):
    cm = UserFactory(
        username="casey", centre=centre, role_list=["social_worker"], team_list=[team_a]
    )
    CareTeamMemberFactory(client=client_record, user=cm, role="case_manager")
    Appointment.objects.create(
        client=client_record,
        worker=alice,
        subject="Gesprek taalcoach",
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    client.force_login(cm)
    page = client.get(reverse("network:case-overview", args=[client_record.pk])).content.decode()
    assert "Fietsherstelling" in page and "Gesprek taalcoach" in page and "Alice Aerts" in page
    client.force_login(alice)
    page = client.get(reverse("network:case-overview", args=[client_record.pk])).content.decode()
    assert "Gesprek taalcoach" not in page and "case manager" in page


def test_partner_portal_pages_waiting_running_and_earlier_referrals_separately(
    client, pete, pete_contact, alice, place
):
    from opstap.network.views import PARTNER_HISTORY_PAGE, PARTNER_WAITING_PAGE

    def refer(status: str, reason: str, days_ago: int = 0) -> Referral:
        return _refer_to_place(alice, place, reason, status=status, days_ago=days_ago)

    running = [refer("started", f"loopt {i}") for i in range(PARTNER_HISTORY_PAGE + 2)]
    # Longest waiting first: the one of 40 days ago leads the first page.
    waiting = [
        refer("requested", f"wacht {i}", days_ago=i) for i in range(PARTNER_WAITING_PAGE + 1)
    ]
    closed = [refer("refused", f"geweigerd {i}") for i in range(PARTNER_HISTORY_PAGE + 1)]
    client.force_login(pete)
    home = reverse("network:partner-home")

    def links(page: str, referrals) -> int:
        return sum(
            reverse("network:partner-referral", args=[r.pk]) + '"' in page for r in referrals
        )

    first = client.get(home).content.decode()
    assert links(first, waiting) == PARTNER_WAITING_PAGE
    assert reverse("network:partner-referral", args=[waiting[-1].pk]) + '"' in first
    assert reverse("network:partner-referral", args=[waiting[0].pk]) + '"' not in first
    assert links(first, running) == PARTNER_HISTORY_PAGE
    assert links(first, closed) == PARTNER_HISTORY_PAGE
    assert f"({len(running)})" in first and f"({len(waiting)})" in first
    assert 'href="?running=2#running"' in first and 'href="?waiting=2#waiting"' in first
    # Paging one list keeps the others' pages.
    second = client.get(home + "?running=2&page=2&waiting=2").content.decode()
    assert links(second, running) == 2 and links(second, waiting) == 1
    assert links(second, closed) == 1
    assert 'href="?waiting=2&amp;page=2&amp;running=1#running"' in second
    assert 'href="?waiting=2&amp;running=2&amp;page=1#closed"' in second
    # Only the waiting ones are answered from the list; the others open their own page.
    assert second.count('name="status" value="accepted"') == 1


def test_partner_portal_runs_the_same_queries_for_one_or_many_referrals(
    client, settings, pete, pete_contact, alice, place, django_assert_num_queries
):
    settings.STORED_FIGURES = False  # the lists as drawn each time (kept: test_kept_portal)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        for status in ("requested", "accepted", "started", "ended", "refused"):
            for i in range(n):
                _refer_to_place(alice, place, f"{status} {i}", status=status, shared_info=["name"])

    client.force_login(pete)
    home = reverse("network:partner-home")
    add(1)
    with CaptureQueriesContext(connection) as few:
        page = client.get(home).content.decode()
    assert page.count("Mark as") >= 2  # the waiting one can be answered from the list
    add(30)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(home).content.decode()
    # Names, places and reasons come with the page's own queries, not one query per row.
    assert "requested 3" in page and "started 29" in page
    named = Referral.objects.filter(status="requested").order_by("referred_on", "pk")[3]
    assert escape(named.client.full_name) in page


def test_partner_portal_first_pages_are_the_lists_first_rows(
    client, pete, pete_contact, alice, place
):
    from opstap.network.views import _portal_lists

    organisation = place.organisation
    statuses = ["requested"] * 12 + ["accepted", "started"] * 14 + ["ended", "refused"] * 13
    for n, status in enumerate(statuses):
        _refer_to_place(
            alice,
            place,
            f"r{n}",
            status=status,
            days_ago=(n * 7) % 90,
            shared_info=["name"] if n % 3 else [],
        )
    lists = _portal_lists(organisation.pk, organisation.centre_id)
    client.force_login(pete)
    home = reverse("network:partner-home")
    names = {
        "waiting": ("waiting_referrals", "waiting_rows"),
        "running": ("running_referrals", "running_rows"),
        "page": ("closed_referrals", "closed_items"),
    }
    link = re.compile(reverse("network:partner-referral", args=[0]).replace("/0/", r"/(\d+)/"))

    def shown(rows) -> list[int]:
        """The referrals the rows link to, in order."""
        return list(dict.fromkeys(int(pk) for pk in link.findall("".join(rows))))

    for query in ({}, {"waiting": 2, "running": 2, "page": 2}):
        response = client.get(home, query)
        for param, (qs, size) in lists.items():
            page, rows = (response.context[name] for name in names[param])
            start = (query.get(param, 1) - 1) * size
            expected = [r.pk for r in qs[start : start + size]]
            assert shown(rows) == expected, (param, query)
            assert expected and page.paginator.count == qs.count()
            assert page.number == query.get(param, 1)


def test_the_start_page_card_is_the_first_ten_waiting(alice, carol, client_record, place, offer):
    """For a worker (a statement built once) and a head (through the team) alike."""
    for days in range(15, 27):
        services.referral_create(
            actor=alice,
            client=client_record,
            reason=str(days),
            referred_on=TODAY - datetime.timedelta(days=days),
            **({"offer": offer} if days % 2 else {"place": place}),
        )
    first = selectors.first_referrals_waiting(alice)
    assert first == list(selectors.referrals_waiting_for(alice)[:10])
    assert [r.reason for r in first] == [str(d) for d in range(26, 16, -1)]
    assert {r.target_label for r in first} == {offer.name, str(place)}
    later = TODAY + datetime.timedelta(days=30)
    assert len(selectors.first_referrals_waiting(alice, today=later)) == 10
    assert selectors.first_referrals_waiting(alice, today=TODAY - datetime.timedelta(days=40)) == []
    assert selectors.first_referrals_waiting(carol) == []  # made by alice, not by the head
