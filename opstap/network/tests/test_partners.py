"""Partner organisations, places and the support catalogue."""

import datetime

import pytest
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.factories import UserFactory
from opstap.network import services
from opstap.network.catalogue import DEFAULT_OFFERS
from opstap.network.models import Organisation, Place, SupportOffer

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def sara(centre):
    """Social activation staff: edits organisations, not the catalogue."""
    return UserFactory(username="sara", centre=centre, role_list=["activation"])


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "adam"])
def test_staff_see_partner_list(client, request, organisation, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("network:organisation-list"))
    assert response.status_code == 200
    assert "vzw ANA" in response.content.decode()
    detail = client.get(reverse("network:organisation-detail", args=[organisation.pk]))
    assert detail.status_code == 200


@pytest.mark.parametrize("persona", ["maria", "pete", "oscar"])
def test_others_get_404_on_organisation(client, request, organisation, persona):
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("network:organisation-detail", args=[organisation.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("network:organisation-edit", args=[organisation.pk])).status_code == 404
    )


def test_outsider_list_shows_nothing_of_other_centre(client, oscar, organisation):
    client.force_login(oscar)
    response = client.get(reverse("network:organisation-list"))
    assert response.status_code == 200
    assert "vzw ANA" not in response.content.decode()


def test_partners_in_navigation_for_staff_only(client, alice, pete, maria):
    url = reverse("network:organisation-list")
    client.force_login(alice)
    assert f'href="{url}"' in client.get(reverse("core:home")).content.decode()
    client.force_login(maria)
    assert f'href="{url}"' not in client.get(reverse("core:home")).content.decode()


def _org_post(**overrides):
    data = {
        "name": "Kringloopcentrum",
        "ref": "",
        "kbo": "0403.170.701",
        "sector": "technical",
        "address": "Kwekerijstraat 82, 2140 Borgerhout",
        "contact_name": "Jan",
        "contact_email": "jan@kringloop.example",
        "contact_phone": "03 123 45 67",
        "agreement_signed_on": "01/02/2024",
        "insurance_until": "31/12/2030",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_activation_staff_creates_organisation_audited(client, sara, centre):
    client.force_login(sara)
    response = client.post(reverse("network:organisation-create"), _org_post())
    assert response.status_code == 302, response.content.decode()
    org = Organisation.objects.get(name="Kringloopcentrum")
    assert org.kbo == "0403170701"
    assert org.centre == centre
    assert org.agreement_signed_on == datetime.date(2024, 2, 1)
    assert org.ref  # made for the user
    entry = AuditEntry.objects.get(action="network.organisation.created")
    assert entry.actor == sara and entry.changes["kbo"] == [None, "0403170701"]


def test_bad_kbo_is_refused_naming_the_field_and_keeping_input(client, adam):
    client.force_login(adam)
    response = client.post(reverse("network:organisation-create"), _org_post(kbo="0403.170.702"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "KBO enterprise number" in body
    assert "not a valid number" in body
    assert 'value="Kringloopcentrum"' in body
    assert not Organisation.objects.exists()


def test_service_refuses_bad_kbo(adam, centre):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=adam, centre=centre, name="X", kbo="12345")
    assert "kbo" in exc.value.message_dict


def test_social_worker_cannot_create_or_edit(client, alice, organisation):
    client.force_login(alice)
    assert client.get(reverse("network:organisation-create")).status_code == 404
    assert (
        client.post(
            reverse("network:organisation-edit", args=[organisation.pk]), _org_post()
        ).status_code
        == 404
    )


def test_edit_organisation_audits_changes(client, adam, organisation):
    client.force_login(adam)
    response = client.post(
        reverse("network:organisation-edit", args=[organisation.pk]),
        _org_post(name="vzw ANA Antwerpen", ref="ANA"),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="network.organisation.updated")
    assert entry.changes["name"] == ["vzw ANA", "vzw ANA Antwerpen"]


def test_duplicate_ref_is_refused(client, adam, organisation):
    client.force_login(adam)
    response = client.post(reverse("network:organisation-create"), _org_post(ref="ANA"))
    assert response.status_code == 200
    assert "already used" in response.content.decode()


@pytest.mark.parametrize(
    ("days", "text"),
    [(-1, "Insurance expired"), (10, "Insurance expires soon"), (30, "Insurance expires soon")],
)
def test_insurance_warning_in_list_and_detail(client, alice, organisation, days, text):
    organisation.insurance_until = TODAY + datetime.timedelta(days=days)
    organisation.save()
    client.force_login(alice)
    listing = client.get(reverse("network:organisation-list")).content.decode()
    assert text in listing
    detail = client.get(
        reverse("network:organisation-detail", args=[organisation.pk])
    ).content.decode()
    assert text in detail
    assert "callout" in detail


def test_valid_insurance_shows_no_warning(client, alice, organisation):
    client.force_login(alice)
    detail = client.get(
        reverse("network:organisation-detail", args=[organisation.pk])
    ).content.decode()
    assert "Insurance expired" not in detail and "expires soon" not in detail


def test_insurance_and_sector_filters_and_search(client, alice, organisation, other_organisation):
    other_organisation.insurance_until = TODAY - datetime.timedelta(days=3)
    other_organisation.save()
    client.force_login(alice)
    url = reverse("network:organisation-list")
    expired = client.get(url, {"insurance": "expired"}).content.decode()
    assert "Stadsbeest" in expired and "vzw ANA" not in expired
    animals = client.get(url, {"sector": "technical"}).content.decode()
    assert "vzw ANA" in animals and "Stadsbeest" not in animals
    found = client.get(url, {"q": "0403170"}).content.decode()
    assert "vzw ANA" in found and "Stadsbeest" not in found


def test_csv_export(client, alice, organisation, place):
    client.force_login(alice)
    response = client.get(reverse("network:organisation-list"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "vzw ANA" in body and "0403.170.701" in body
    assert body.splitlines()[1].endswith(",1")  # one open place


def test_organisation_list_runs_bounded_queries(
    client, alice, centre, django_assert_max_num_queries
):
    for i in range(30):
        org = Organisation.objects.create(centre=centre, ref=f"O{i}", name=f"Org {i}")
        Place.objects.create(organisation=org, title="Taak")
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("network:organisation-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30


def test_place_create_and_fill(client, sara, organisation):
    client.force_login(sara)
    url = reverse("network:place-create", args=[organisation.pk])
    data = {
        "title": "Onthaal",
        "tasks": "Telefoon",
        "hours_per_week": "8",
        "requirements": "",
        "location": "Antwerpen",
        "status": "open",
        "capacity": "2",
    }
    assert client.post(url, data).status_code == 302
    place = Place.objects.get(title="Onthaal")
    data["status"] = "filled"
    edit = reverse("network:place-edit", args=[organisation.pk, place.pk])
    assert client.post(edit, data).status_code == 302
    place.refresh_from_db()
    assert place.status == "filled"
    assert AuditEntry.objects.filter(action="network.place.updated").exists()


def test_place_hours_out_of_range_refused(client, sara, organisation):
    client.force_login(sara)
    url = reverse("network:place-create", args=[organisation.pk])
    response = client.post(
        url, {"title": "X", "hours_per_week": "-3", "status": "open", "capacity": "1"}
    )
    assert response.status_code == 200
    assert not Place.objects.exists()


# --- catalogue -------------------------------------------------------------------------------


def test_default_catalogue_is_complete_and_idempotent(centre):
    assert services.ensure_default_catalogue(centre) == len(DEFAULT_OFFERS)
    assert services.ensure_default_catalogue(centre) == 0
    offer = SupportOffer.objects.get(centre=centre, code="debt-mediation")
    assert (offer.name_nl, offer.name_fr, offer.name_en) == (
        "Schuldbemiddeling",
        "Médiation de dettes",
        "Debt mediation",
    )
    codes = set(SupportOffer.objects.values_list("code", flat=True))
    for code in [
        "psychological-support",
        "article-60",
        "jobcoaching",
        "workplace-restaurant",
        "dutch-courses",
        "language-coaching-at-work",
        "arbeidszorg",
    ]:
        assert code in codes
    for _code, _kind, nl, fr, en in DEFAULT_OFFERS:
        assert nl and fr and en


def test_offer_name_follows_language(centre):
    from django.utils import translation

    services.ensure_default_catalogue(centre)
    offer = SupportOffer.objects.get(code="budget-management")
    with translation.override("fr"):
        assert offer.name == "Gestion budgétaire"
    with translation.override("nl"):
        assert offer.name == "Budgetbeheer"


def test_catalogue_search_and_kind_filter(client, alice, centre):
    services.ensure_default_catalogue(centre)
    client.force_login(alice)
    url = reverse("network:offer-list")
    work = client.get(url, {"kind": "work"}).content.decode()
    assert "Job coaching" in work and "Debt mediation" not in work
    found = client.get(url, {"q": "schuld"}).content.decode()  # the Dutch name matches too
    assert "Debt mediation" in found and "Job coaching" not in found


def test_only_admin_edits_catalogue(client, alice, adam, centre, offer):
    client.force_login(alice)
    assert client.get(reverse("network:offer-edit", args=[offer.pk])).status_code == 404
    assert client.post(reverse("network:catalogue-defaults")).status_code == 404
    client.force_login(adam)
    response = client.post(
        reverse("network:offer-edit", args=[offer.pk]),
        {
            "name_nl": "Budgetbegeleiding",
            "name_fr": "",
            "name_en": "",
            "kind": "welfare",
            "contact": "",
            "capacity": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.name_nl == "Budgetbegeleiding" and not offer.active
    assert AuditEntry.objects.filter(action="network.offer.updated").exists()
    assert client.post(reverse("network:catalogue-defaults")).status_code == 302
    assert SupportOffer.objects.filter(centre=centre).count() == len(DEFAULT_OFFERS) + 1


def test_maria_and_pete_cannot_read_catalogue(client, maria, pete):
    for user in (maria, pete):
        client.force_login(user)
        assert client.get(reverse("network:offer-list")).status_code == 404
