"""The network API and organisations.csv of the interchange format."""

import datetime

import pytest
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.interchange.engine import export_files, import_files
from opstap.network import services
from opstap.network.models import Organisation, Referral

pytestmark = pytest.mark.django_db

API = "/api/v1/network"
HEADER = "org_ref,name,kbo,sector,contact_name,contact_email,insurance_until\n"


# --- API -------------------------------------------------------------------------------------


def test_api_lists_offers_and_organisations_for_staff(client, alice, offer, organisation):
    client.force_login(alice)
    offers = client.get(f"{API}/offers").json()
    assert [o["name_nl"] for o in offers] == ["Budgetbeheer"]
    orgs = client.get(f"{API}/organisations").json()
    assert orgs[0]["kbo"] == "0403170701" and orgs[0]["insurance_status"] == "valid"
    assert client.get(f"{API}/organisations/{organisation.pk}").status_code == 200


@pytest.mark.parametrize("persona", ["maria", "oscar", "pete"])
def test_api_others_get_404(client, request, organisation, offer, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"{API}/organisations/{organisation.pk}").status_code == 404
    offers = client.get(f"{API}/offers")
    assert offers.status_code == 404 or offers.json() == []


def test_api_create_organisation_validates_kbo(client, adam, alice):
    client.force_login(alice)
    body = {"name": "Kringloop", "kbo": "0403170701"}
    assert (
        client.post(f"{API}/organisations", body, content_type="application/json").status_code
        == 404
    )
    client.force_login(adam)
    bad = client.post(
        f"{API}/organisations", {**body, "kbo": "0403170702"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "kbo"
    ok = client.post(f"{API}/organisations", body, content_type="application/json")
    assert ok.status_code == 201
    org_id = ok.json()["id"]
    put = client.put(
        f"{API}/organisations/{org_id}",
        {**body, "sector": "social"},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["sector"] == "social"
    assert AuditEntry.objects.filter(action="network.organisation.updated").exists()


def test_api_referrals_of_client(client, alice, dave, client_record, place):
    client.force_login(alice)
    url = f"{API}/clients/{client_record.pk}/referrals"
    created = client.post(
        url,
        {"reason": "Fietsen", "place_id": place.pk, "shared_info": ["name"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["organisation_id"] == place.organisation_id
    assert len(client.get(url).json()) == 1
    missing = client.post(url, {"reason": "x"}, content_type="application/json")
    assert missing.status_code == 422
    ref_id = created.json()["id"]
    bad = client.post(
        f"{API}/referrals/{ref_id}/status", {"status": "ended"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "status"
    client.force_login(dave)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            f"{API}/referrals/{ref_id}/status",
            {"status": "accepted"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_api_partner_sees_only_own_referrals(
    client, pete, pete_contact, alice, client_record, place, other_place
):
    mine = services.referral_create(
        actor=alice, client=client_record, place=place, reason="a", shared_info=["language"]
    )
    other = services.referral_create(
        actor=alice, client=client_record, place=other_place, reason="b"
    )
    client.force_login(pete)
    items = client.get(f"{API}/referrals").json()
    assert [r["id"] for r in items] == [mine.pk]
    assert items[0]["client_id"] is None
    assert "last_name" not in items[0]["client"] and items[0]["client"]["language"] == "fr"
    places = client.get(f"{API}/places").json()
    assert [p["title"] for p in places] == ["Fietsherstelling"]
    assert (
        client.post(
            f"{API}/referrals/{other.pk}/status",
            {"status": "accepted"},
            content_type="application/json",
        ).status_code
        == 404
    )
    ok = client.post(
        f"{API}/referrals/{mine.pk}/status", {"status": "accepted"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert client.get(f"{API}/organisations/{other_place.organisation_id}").status_code == 404
    assert client.get(f"{API}/organisations/{place.organisation_id}").status_code == 200
    assert client.get(f"{API}/clients/{client_record.pk}/referrals").status_code == 404


# --- organisations.csv -----------------------------------------------------------------------


CLIENTS_HEADER = (
    "client_ref,last_name,first_name,birth_date,gender,insz,language,dutch_level,household,office\n"
)


def _import(centre, text, **kw):
    files = {"organisations.csv": text.encode(), "clients.csv": CLIENTS_HEADER.encode()}
    return import_files(files=files, centre=centre, **kw)


def test_import_creates_and_is_idempotent(centre):
    text = (
        HEADER + "ANA,vzw ANA,0403.170.701,technical,An,an@ana.example,2030-12-31\n"
        "ZOO,Dierenasiel,,animals,,,\n"
    )
    result = _import(centre, text)
    assert not result.errors, [str(e) for e in result.errors]
    ana = Organisation.objects.get(centre=centre, ref="ANA")
    assert ana.kbo == "0403170701" and ana.insurance_until == datetime.date(2030, 12, 31)
    assert Organisation.objects.get(ref="ZOO").insurance_until is None
    again = _import(centre, text)
    assert again.counts["organisations.csv"].as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }


def test_round_trip_gives_same_bytes(centre, other_centre):
    text = (
        HEADER + "ANA,vzw ANA,0403170701,technical,An,an@ana.example,2030-12-31\n"
        "ZOO,Dierenasiel,,animals,,,\n"
    )
    assert not _import(centre, text).errors
    exported = export_files(centre=centre)
    first = exported["organisations.csv"]
    assert not import_files(files=exported, centre=other_centre).errors
    assert export_files(centre=other_centre)["organisations.csv"] == first
    assert first.decode("utf-8-sig").replace("\r\n", "\n").endswith("ZOO,Dierenasiel,,animals,,,\n")


def test_import_reports_every_error_and_writes_nothing(centre):
    text = HEADER + (
        "A,Een,0403170702,technical,,,\nB,,,bogus,,not-an-email,2030-02-30\nA,Dubbel,,,,,\n"
    )
    result = _import(centre, text)
    found = {(e.line, e.column) for e in result.errors}
    assert {
        (2, "kbo"),
        (3, "name"),
        (3, "sector"),
        (3, "contact_email"),
        (3, "insurance_until"),
        (4, "org_ref"),
    } <= found
    kbo_error = next(e for e in result.errors if e.column == "kbo")
    assert "KBO" in kbo_error.message
    assert not Organisation.objects.exists()


def test_import_updates_and_keeps_absent_columns(centre, organisation):
    result = _import(centre, "org_ref,name\nANA,vzw ANA Antwerpen\n")
    assert not result.errors
    organisation.refresh_from_db()
    assert organisation.name == "vzw ANA Antwerpen" and organisation.kbo == "0403170701"


def test_organisations_csv_registered():
    from opstap.interchange import registry

    spec = registry.get("organisations.csv")
    assert spec.column_names == [
        "org_ref",
        "name",
        "kbo",
        "sector",
        "contact_name",
        "contact_email",
        "insurance_until",
    ]


def test_admin_home_links_catalogue(client, adam):
    from opstap.accounts.admin_area import catalogue_links

    assert any(link["url"] == reverse("network:offer-list") for link in catalogue_links())


def test_referral_model_requires_target(alice, client_record):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            centre=client_record.centre, client=client_record, referred_by=alice, reason="x"
        )
