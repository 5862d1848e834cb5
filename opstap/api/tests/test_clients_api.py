"""/api/v1/clients/: dossiers, income rights and care team, with the pages' access rules."""

import datetime

import pytest
from django.utils import translation

from opstap.clients.models import CareTeamMember, Client, IncomeRight
from opstap.clients.validators import make_insz
from opstap.core.models import AuditEntry
from opstap.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    IncomeRightFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db

NEW_CLIENT = {
    "last_name": "Peeters",
    "first_name": "Ilse",
    "birth_date": "1990-04-12",
    "insz": make_insz(datetime.date(1990, 4, 12), 17),
    "language": "NL",
    "gender": "F",
}


def _audit(action: str, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


# ---- list ----------------------------------------------------------------------------------


def test_list_returns_count_and_items(api_alice, client_record, alice):
    IncomeRightFactory(client=client_record, start_date=datetime.date(2024, 1, 1))
    body = api_alice.get("/clients/").json()
    assert body["count"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert item["id"] == client_record.pk
    assert item["insz"] == "85073003328"
    assert item["birth_date"] == client_record.birth_date.isoformat()
    assert item["active_right"]["kind"] == "leefloon"
    assert item["active_right"]["start_date"] == "2024-01-01"
    assert item["reference_worker"] == {"id": alice.pk, "name": "Alice Aerts"}
    assert item["office_name"] == "Wijkcentrum Noord"


def test_list_search_by_name_insz_and_ref(api_alice, client_record, centre, alice):
    other = ClientFactory(centre=centre, last_name="Wouters", ref="REF-77")
    CareTeamMemberFactory(client=other, user=alice)

    def ids(q):
        return [c["id"] for c in api_alice.get("/clients/", {"q": q}).json()["items"]]

    assert ids("janss") == [client_record.pk]
    assert ids("8507") == [client_record.pk]
    assert ids("REF-77") == [other.pk]
    assert ids("nobody") == []


def test_list_filters_office_and_right(api_alice, client_record, centre, alice):
    elsewhere = ClientFactory(centre=centre, office=OfficeFactory(centre=centre))
    CareTeamMemberFactory(client=elsewhere, user=alice)
    IncomeRightFactory(client=client_record)

    def ids(**params):
        return sorted(c["id"] for c in api_alice.get("/clients/", params).json()["items"])

    assert ids(office=client_record.office_id) == [client_record.pk]
    assert ids(right_active="true") == [client_record.pk]
    assert ids(right_active="false") == [elsewhere.pk]


def test_list_paginates_with_a_maximum_size(api_alice, centre, alice):
    for n in range(5):
        CareTeamMemberFactory(client=ClientFactory(centre=centre, last_name=f"N{n}"), user=alice)
    page = api_alice.get("/clients/", {"size": 2, "page": 2}).json()
    assert page["count"] == 5
    assert [c["last_name"] for c in page["items"]] == ["N2", "N3"]
    assert api_alice.get("/clients/", {"size": 2, "page": 9}).json()["items"] == []
    too_big = api_alice.get("/clients/", {"size": 1000})
    assert too_big.status_code == 422
    assert too_big.json()["detail"][0]["field"] == "size"


def test_list_bad_filter_is_422(api_alice):
    response = api_alice.get("/clients/", {"office": "noord"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "office"


def test_head_lists_her_teams_clients(api_as, carol, client_record):
    body = api_as(carol).get("/clients/").json()
    assert [c["id"] for c in body["items"]] == [client_record.pk]


@pytest.mark.parametrize("persona", ["oscar", "maria", "pete", "dave", "adam", "bob"])
def test_others_list_nothing(request, api_as, client_record, persona):
    body = api_as(request.getfixturevalue(persona)).get("/clients/").json()
    assert body == {"count": 0, "page": 1, "size": 25, "items": []}


def _make_caseload(centre, user, n, prefix):
    clients = Client.objects.bulk_create(
        ClientFactory.build(centre=centre, ref=f"{prefix}{i}", office=None) for i in range(n)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(client=c, user=user, role="reference", start_date=datetime.date(2020, 1, 1))
        for c in clients
    )
    IncomeRight.objects.bulk_create(
        IncomeRight(client=c, kind="leefloon", start_date=datetime.date(2024, 1, 1))
        for c in clients
    )


def test_list_runs_the_same_queries_for_10_and_200_clients(api_alice, centre, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api_alice.get("/clients/")  # last_used_at is written on the first call only
    counts = []
    for n, prefix in ((10, "A"), (190, "B")):
        _make_caseload(centre, alice, n, prefix)
        with CaptureQueriesContext(connection) as ctx:
            response = api_alice.get("/clients/", {"size": 100})
        assert response.status_code == 200
        counts.append(len(ctx))
    assert response.json()["count"] == 200 and len(response.json()["items"]) == 100
    assert counts[0] == counts[1] <= 6


# ---- read ----------------------------------------------------------------------------------


def test_read_client_is_audited_like_the_page(api_alice, client_record, alice):
    response = api_alice.get(f"/clients/{client_record.pk}")
    assert response.status_code == 200
    assert response.json()["last_name"] == "Janssens"
    assert _audit("client.viewed", client_id=client_record.pk, actor=alice).count() == 1


@pytest.mark.parametrize("persona", ["oscar", "maria", "pete", "dave", "adam"])
def test_others_get_404_and_nothing_is_logged_as_viewed(request, api_as, client_record, persona):
    api = api_as(request.getfixturevalue(persona))
    pk = client_record.pk
    assert api.get(f"/clients/{pk}").status_code == 404
    assert api.patch(f"/clients/{pk}", {"phone": "1"}).status_code == 404
    assert api.get(f"/clients/{pk}/rights").status_code == 404
    right = {"kind": "leefloon", "start_date": "2024-01-01"}
    assert api.post(f"/clients/{pk}/rights", right).status_code == 404
    assert api.get(f"/clients/{pk}/care-team").status_code == 404
    member = CareTeamMember.objects.get(client=client_record)
    assert api.post(f"/clients/{pk}/care-team/{member.pk}/end").status_code == 404
    assert not _audit("client.viewed", client_id=pk).exists()
    client_record.refresh_from_db()
    assert client_record.phone == "" and not client_record.rights.exists()
    member.refresh_from_db()
    assert member.end_date is None


def test_missing_client_is_404(api_alice):
    assert api_alice.get("/clients/999999").status_code == 404


# ---- create --------------------------------------------------------------------------------


def test_create_client(api_alice, alice, centre, office):
    response = api_alice.post("/clients/", {**NEW_CLIENT, "office_id": office.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    client = Client.objects.get(pk=body["id"])
    assert client.centre == centre and client.language == "nl" and client.office == office
    assert body["birth_date"] == "1990-04-12" and body["ref"]
    assert client.care_team.get().user == alice
    assert _audit("client.created", client_id=client.pk, actor=alice).exists()


def test_counsellor_joins_as_counsellor(api_as, bob):
    response = api_as(bob).post("/clients/", NEW_CLIENT)
    assert response.status_code == 201
    assert Client.objects.get(pk=response.json()["id"]).care_team.get().role == "counsellor"


@pytest.mark.parametrize("persona", ["maria", "pete", "adam"])
def test_non_caseworkers_cannot_create(request, api_as, persona):
    response = api_as(request.getfixturevalue(persona)).post("/clients/", NEW_CLIENT)
    assert response.status_code == 404
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"birth_date": "12/04/1990"}, "birth_date"),
        ({"birth_date": "1990-02-30"}, "birth_date"),
        ({"birth_date": 640000000}, "birth_date"),
        ({"last_name": ""}, "last_name"),
        ({"last_name": None}, "last_name"),
        ({"gender": "Q"}, "gender"),
        ({"insz": "85073003329"}, "insz"),
        ({"insz": "123"}, "insz"),
        ({"email": "not-an-address"}, "email"),
        ({"language": "nederlands"}, "language"),
        ({"office_id": 999999}, "office_id"),
        ({"office_id": "noord"}, "office_id"),
    ],
)
def test_create_bad_input_is_422_naming_the_field(api_alice, change, field):
    response = api_alice.post("/clients/", {**NEW_CLIENT, **change})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]
    assert all(e["message"] for e in response.json()["detail"])
    assert not Client.objects.exists()
    assert not AuditEntry.objects.filter(action="client.created").exists()


def test_create_missing_field_is_422(api_alice):
    data = dict(NEW_CLIENT)
    del data["birth_date"]
    response = api_alice.post("/clients/", data)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "birth_date"


def test_office_of_another_centre_is_refused(api_alice, other_centre):
    foreign = OfficeFactory(centre=other_centre)
    response = api_alice.post("/clients/", {**NEW_CLIENT, "office_id": foreign.pk})
    assert response.status_code == 422
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "raw", ["{not json", "", "[1, 2]", '"text"', "\xff\xfe", '{"birth_date": {"y": 1}}']
)
def test_unreadable_body_is_422_not_500(api_alice, raw):
    response = api_alice.post("/clients/", raw=raw)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Client.objects.exists()


def test_error_messages_follow_accept_language(api_as, alice):
    api = api_as(alice, HTTP_ACCEPT_LANGUAGE="fr")
    response = api.post("/clients/", {**NEW_CLIENT, "language": "nederlands"})
    assert response.status_code == 422
    assert response["Content-Language"] == "fr"
    with translation.override("fr"):
        expected = translation.gettext("Use a language code such as nl, fr or ar.")
    assert response.json()["detail"] == [{"field": "language", "message": expected}]
    # Request errors too: Django's own catalogue translates "This field is required."
    missing = api.post("/clients/", {"first_name": "Ilse"}).json()["detail"]
    assert {"field": "last_name", "message": "Ce champ est obligatoire.", "type": "missing"} in (
        missing
    )


def test_duplicate_insz_is_409_with_the_visible_clients_id(api_alice, client_record):
    response = api_alice.post("/clients/", {**NEW_CLIENT, "insz": "85.07.30-033.28"})
    assert response.status_code == 409
    assert response.json()["existing_id"] == client_record.pk
    assert response.json()["detail"][0]["field"] == "insz"
    assert Client.objects.count() == 1


def test_duplicate_insz_hides_the_id_of_a_client_the_caller_may_not_see(
    api_as, dave, client_record
):
    response = api_as(dave).post("/clients/", {**NEW_CLIENT, "insz": "85073003328"})
    assert response.status_code == 409
    assert response.json()["existing_id"] is None


def test_namesake_must_be_confirmed(api_alice, client_record):
    namesake = {
        **NEW_CLIENT,
        "last_name": "janssens",
        "first_name": "fatima",
        "birth_date": client_record.birth_date.isoformat(),
        "insz": "",
    }
    refused = api_alice.post("/clients/", namesake)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "confirm_duplicate"
    assert Client.objects.count() == 1
    accepted = api_alice.post("/clients/", {**namesake, "confirm_duplicate": True})
    assert accepted.status_code == 201


# ---- update --------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api_alice, client_record, alice):
    response = api_alice.patch(
        f"/clients/{client_record.pk}", {"phone": "09 265 00 00", "dutch_level": "A2"}
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "09 265 00 00"
    client_record.refresh_from_db()
    assert client_record.dutch_level == "A2" and client_record.last_name == "Janssens"
    entry = _audit("client.updated", client_id=client_record.pk).get()
    assert entry.actor == alice and entry.changes["phone"] == ["", "09 265 00 00"]
    assert not _audit("client.viewed").exists()


def test_patch_can_clear_the_office(api_alice, client_record):
    response = api_alice.patch(f"/clients/{client_record.pk}", {"office_id": None})
    assert response.status_code == 200 and response.json()["office_id"] is None
    client_record.refresh_from_db()
    assert client_record.office is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"birth_date": "2024-13-01"}, "birth_date"),
        ({"last_name": None}, "last_name"),
        ({"last_name": ""}, "last_name"),
        ({"insz": "12345678901"}, "insz"),
        ({"ref": ""}, "ref"),
        ({"household": "castle"}, "household"),
    ],
)
def test_patch_bad_input_is_422_and_writes_nothing(api_alice, client_record, change, field):
    response = api_alice.patch(f"/clients/{client_record.pk}", {**change, "phone": "1"})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]
    client_record.refresh_from_db()
    assert client_record.phone == "" and client_record.last_name == "Janssens"
    assert not AuditEntry.objects.filter(client_id=client_record.pk).exists()


def test_patch_to_an_existing_insz_is_409(api_alice, client_record, centre, alice):
    other = ClientFactory(centre=centre, insz=make_insz(datetime.date(1970, 1, 1), 5))
    CareTeamMemberFactory(client=other, user=alice)
    response = api_alice.patch(f"/clients/{client_record.pk}", {"insz": other.insz})
    assert response.status_code == 409
    assert response.json()["existing_id"] == other.pk


# ---- income rights -------------------------------------------------------------------------


def test_rights_list_create_update(api_alice, client_record, alice):
    base = f"/clients/{client_record.pk}/rights"
    created = api_alice.post(base, {"kind": "leefloon", "start_date": "2024-01-01"})
    assert created.status_code == 201
    right_id = created.json()["id"]
    assert created.json() == {
        "id": right_id,
        "kind": "leefloon",
        "start_date": "2024-01-01",
        "end_date": None,
    }
    updated = api_alice.patch(f"{base}/{right_id}", {"end_date": "2024-06-30"})
    assert updated.status_code == 200 and updated.json()["end_date"] == "2024-06-30"
    listed = api_alice.get(base).json()
    assert [r["id"] for r in listed] == [right_id]
    assert _audit("right.created", client_id=client_record.pk, actor=alice).exists()
    assert _audit("right.updated", client_id=client_record.pk, actor=alice).exists()
    assert _audit("client.viewed", client_id=client_record.pk).count() == 1


def test_overlapping_right_is_422(api_alice, client_record):
    IncomeRightFactory(client=client_record, start_date=datetime.date(2024, 1, 1))
    response = api_alice.post(
        f"/clients/{client_record.pk}/rights",
        {"kind": "equivalent_leefloon", "start_date": "2024-03-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "start_date"
    assert client_record.rights.count() == 1


def test_right_update_into_an_overlap_is_422(api_alice, client_record):
    IncomeRightFactory(
        client=client_record,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    later = IncomeRightFactory(client=client_record, start_date=datetime.date(2024, 1, 1))
    response = api_alice.patch(
        f"/clients/{client_record.pk}/rights/{later.pk}", {"start_date": "2023-06-01"}
    )
    assert response.status_code == 422
    later.refresh_from_db()
    assert later.start_date == datetime.date(2024, 1, 1)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "pension", "start_date": "2024-01-01"}, "kind"),
        ({"kind": "leefloon", "start_date": "yesterday"}, "start_date"),
        ({"kind": "leefloon"}, "start_date"),
        ({"kind": "leefloon", "start_date": "2024-05-01", "end_date": "2024-04-01"}, "end_date"),
    ],
)
def test_bad_right_is_422(api_alice, client_record, data, field):
    response = api_alice.post(f"/clients/{client_record.pk}/rights", data)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert not client_record.rights.exists()


def test_right_of_another_client_is_404(api_alice, client_record, centre):
    foreign = IncomeRightFactory(client=ClientFactory(centre=centre))
    response = api_alice.patch(
        f"/clients/{client_record.pk}/rights/{foreign.pk}", {"end_date": "2030-01-01"}
    )
    assert response.status_code == 404


# ---- care team -----------------------------------------------------------------------------


def test_care_team_list_add_end(api_alice, client_record, alice, bob):
    base = f"/clients/{client_record.pk}/care-team"
    listed = api_alice.get(base).json()
    assert [(m["user"]["id"], m["role"], m["active"]) for m in listed] == [
        (alice.pk, "reference", True)
    ]
    added = api_alice.post(base, {"user_id": bob.pk, "role": "counsellor"})
    assert added.status_code == 201
    member_id = added.json()["id"]
    assert added.json()["start_date"] == datetime.date.today().isoformat()
    ended = api_alice.post(
        f"{base}/{member_id}/end", {"end_date": datetime.date.today().isoformat()}
    )
    assert ended.status_code == 200
    assert ended.json()["end_date"] == datetime.date.today().isoformat()
    again = api_alice.post(f"{base}/{member_id}/end")
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "end_date"
    assert _audit("careteam.added", client_id=client_record.pk, actor=alice).exists()
    assert _audit("careteam.ended", client_id=client_record.pk, actor=alice).count() == 1


@pytest.mark.parametrize("persona", ["oscar", "pete"])
def test_care_team_refuses_workers_outside_the_centre_or_partners(
    request, api_alice, client_record, persona
):
    worker = request.getfixturevalue(persona)
    response = api_alice.post(
        f"/clients/{client_record.pk}/care-team", {"user_id": worker.pk, "role": "job_coach"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "user_id"
    assert client_record.care_team.count() == 1


def test_care_team_bad_input(api_alice, client_record, bob):
    base = f"/clients/{client_record.pk}/care-team"
    bad_role = api_alice.post(base, {"user_id": bob.pk, "role": "boss"})
    assert bad_role.status_code == 422 and bad_role.json()["detail"][0]["field"] == "role"
    twice = api_alice.post(
        base, {"user_id": client_record.care_team.get().user_id, "role": "reference"}
    )
    assert twice.status_code == 422 and twice.json()["detail"][0]["field"] == "user_id"
    member = client_record.care_team.get()
    too_early = api_alice.post(f"{base}/{member.pk}/end", {"end_date": "2019-12-31"})
    assert too_early.status_code == 422
    assert too_early.json()["detail"][0]["field"] == "end_date"
    member.refresh_from_db()
    assert member.end_date is None
    assert client_record.care_team.count() == 1
