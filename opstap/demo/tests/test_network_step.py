"""The demo's partner network: valid organisations, a linked partner, referrals to follow up."""

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from stdnum.be import vat

from opstap.accounts.models import User
from opstap.demo.generator import generate_centre, registered_steps
from opstap.network.catalogue import DEFAULT_OFFERS
from opstap.network.demo_data import ORGANISATIONS, make_kbo
from opstap.network.models import (
    REFERRAL_ANSWER_DAYS,
    InsuranceStatus,
    Organisation,
    PartnerContact,
    Place,
    Referral,
    ReferralStatus,
    SupportOffer,
)
from opstap.network.selectors import referrals_waiting_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # the pages flag waiting referrals and insurances against today


@pytest.fixture
def demo():
    return generate_centre("demo", "OCMW Demostad", clients=150, seed=3, demo=True, today=TODAY)


def test_make_kbo_gives_valid_distinct_numbers():
    import random

    rng, used = random.Random(1), set()
    numbers = [make_kbo(rng, used) for _ in range(500)]
    assert len(set(numbers)) == 500
    assert all(vat.is_valid(n) and len(n) == 10 for n in numbers)
    assert all(int(n[:8]) % 97 + int(n[8:]) == 97 for n in numbers)


def test_organisations_in_every_sector_with_valid_kbo_and_insurance_warnings(demo):
    # Other steps may add partners of their own (e.g. course providers); these are the network's.
    refs = [ref for ref, *_ in ORGANISATIONS]
    orgs = list(Organisation.objects.filter(centre=demo.centre, ref__in=refs))
    assert 28 <= len(orgs) <= 35
    assert all(vat.is_valid(o.kbo) for o in orgs)
    assert len({o.kbo for o in orgs}) == len(orgs)
    assert {o.sector for o in orgs} == {
        "social",
        "technical",
        "hospitality",
        "animals",
        "administration",
        "environment",
    }
    assert all(o.contact_name and o.contact_email for o in orgs)
    insurance = Counter(o.insurance_status(TODAY) for o in orgs)
    assert insurance[InsuranceStatus.EXPIRED] >= 2
    assert insurance[InsuranceStatus.EXPIRING] >= 2
    assert insurance[InsuranceStatus.VALID] > len(orgs) / 2
    places = Place.objects.filter(organisation__in=orgs)
    assert {p.status for p in places} == {"open", "filled"}
    assert all(p.tasks and p.hours_per_week for p in places)


def test_ana_has_six_workshops_and_35_places(demo):
    ana = Organisation.objects.get(centre=demo.centre, name="vzw ANA")
    workshops = list(ana.places.all())
    assert len(workshops) == 6
    assert sum(p.capacity for p in workshops) == 35


def test_default_catalogue_and_partner_offers(demo):
    codes = set(SupportOffer.objects.filter(centre=demo.centre).values_list("code", flat=True))
    assert {code for code, *_ in DEFAULT_OFFERS} <= codes
    assert SupportOffer.objects.filter(centre=demo.centre, provider__isnull=False).exists()


def test_partner_account_sees_its_organisation_with_places_and_referrals(client, demo):
    partner = User.objects.get(username="partner")
    contact = PartnerContact.objects.select_related("organisation").get(user=partner)
    org = contact.organisation
    assert org.centre_id == demo.centre.pk
    assert org.places.filter(status="open").exists()
    statuses = set(Referral.objects.filter(organisation=org).values_list("status", flat=True))
    assert statuses == set(ReferralStatus.values)
    client.force_login(partner)
    page = client.get(reverse("network:partner-home")).content.decode()
    assert org.name in page
    assert "Fietshersteller" in page


def test_referrals_in_every_status_with_consistent_dates(demo):
    referrals = list(Referral.objects.filter(centre=demo.centre).select_related("client"))
    assert len(referrals) > 40
    assert set(r.status for r in referrals) == set(ReferralStatus.values)
    for r in referrals:
        assert r.referred_on <= TODAY
        assert r.referred_by.centre_id == demo.centre.pk
        assert r.offer_id or r.organisation_id
        if r.place_id:
            assert r.organisation_id == r.place.organisation_id
        answered = r.status != ReferralStatus.REQUESTED
        assert (r.answered_on is not None) == answered
        if answered:
            assert r.referred_on < r.answered_on <= TODAY
        if r.status in (ReferralStatus.STARTED, ReferralStatus.ENDED):
            assert r.answered_on < r.started_on <= TODAY
        if r.status == ReferralStatus.ENDED:
            assert r.started_on < r.ended_on <= TODAY and r.outcome


def test_social_has_referrals_waiting_for_an_answer(client, demo):
    social = User.objects.get(username="social")
    waiting = list(referrals_waiting_for(social, today=TODAY))
    assert len(waiting) >= 3
    assert all((TODAY - r.referred_on).days >= REFERRAL_ANSWER_DAYS for r in waiting)
    client.force_login(social)
    page = client.get(reverse("network:referrals-waiting")).content.decode()
    assert escape(waiting[0].client.last_name) in page


class _Undo(Exception):
    pass


def _snapshot(code):
    orgs = Organisation.objects.filter(centre__code=code).order_by("ref")
    places = Place.objects.filter(organisation__centre__code=code).order_by(
        "organisation__ref", "title"
    )
    referrals = Referral.objects.filter(centre__code=code).order_by(
        "client__ref", "referred_on", "reason"
    )
    return (
        list(orgs.values_list("ref", "kbo", "insurance_until", "agreement_signed_on", "address")),
        list(places.values_list("organisation__ref", "title", "status", "capacity")),
        list(
            referrals.values_list(
                "client__ref", "status", "referred_on", "answered_on", "place__title", "reason"
            )
        ),
    )


def test_same_seed_same_network():
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                generate_centre("ocmwn", "OCMW N", clients=80, seed=11, today=TODAY)
                runs.append(_snapshot("ocmwn"))
                raise _Undo
        except _Undo:
            pass
    assert runs[0] == runs[1]
    assert runs[0][2]  # there were referrals to compare


def test_running_the_step_again_adds_no_second_set_of_organisations(demo):
    step = dict(registered_steps())["opstap.network.demo_data.network"]
    before = Organisation.objects.filter(centre=demo.centre).count()
    places = Place.objects.filter(organisation__centre=demo.centre).count()
    step(demo.centre, demo.rng_for("again"), demo.clients, demo)
    assert Organisation.objects.filter(centre=demo.centre).count() == before
    assert Place.objects.filter(organisation__centre=demo.centre).count() == places
    assert PartnerContact.objects.filter(user__username="partner").count() == 1
