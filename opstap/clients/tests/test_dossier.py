import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.clients.models import Client, IncomeRight, JournalNote
from opstap.clients.selectors import client_queryset_for
from opstap.clients.validators import make_insz
from opstap.core.models import AuditEntry
from opstap.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    IncomeRightFactory,
    table_reads,
)

pytestmark = pytest.mark.django_db


def test_reference_worker_opens_dossier_and_read_is_audited(client, alice, client_record):
    client.force_login(alice)
    response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 200
    assert "Fatima Janssens" in response.content.decode()
    entry = AuditEntry.objects.get(action="client.viewed", client_id=client_record.pk)
    assert entry.actor == alice


@pytest.mark.parametrize("persona", ["bob", "dave", "maria", "adam", "pete", "oscar"])
def test_others_get_404_on_dossier(client, request, client_record, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for name in [
        "clients:detail",
        "clients:rights",
        "clients:journal",
        "clients:care-team",
        "clients:appointments",
        "clients:edit",
    ]:
        assert client.get(reverse(name, args=[client_record.pk])).status_code == 404, name


def test_head_of_service_sees_team_dossier(client, carol, client_record):
    client.force_login(carol)
    assert client.get(reverse("clients:detail", args=[client_record.pk])).status_code == 200


def test_ended_care_membership_closes_dossier(client, alice, client_record):
    client_record.care_team.update(end_date=datetime.date.today() - datetime.timedelta(days=1))
    client.force_login(alice)
    assert client.get(reverse("clients:detail", args=[client_record.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, client_record):
    response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _client_post(**overrides):
    data = {
        "last_name": "Peeters",
        "first_name": "Jan",
        "birth_date": "03/02/1990",
        "gender": "M",
        "insz": "90.02.03-123.65",
        "language": "nl",
        "dutch_level": "B1",
        "household": "single",
    }
    data.update(overrides)
    return data


def test_create_client_makes_creator_reference_worker(client, alice, centre):
    insz = make_insz(datetime.date(1990, 2, 3), 123)
    client.force_login(alice)
    response = client.post(reverse("clients:create"), _client_post(insz=insz))
    assert response.status_code == 302, response.content.decode()
    created = Client.objects.get(last_name="Peeters")
    assert created.birth_date == datetime.date(1990, 2, 3)
    assert created.care_team.get().user == alice
    assert AuditEntry.objects.filter(action="client.created", client_id=created.pk).exists()


def test_create_client_with_bad_insz_names_the_field_and_writes_nothing(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("clients:create"), _client_post(insz="90020312399"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "INSZ" in body and "controlecijfers" in body
    assert not Client.objects.exists()


def test_duplicate_insz_is_refused_with_a_link(client, alice, client_record):
    client.force_login(alice)
    response = client.post(
        reverse("clients:create"), _client_post(insz=client_record.insz, last_name="Anders")
    )
    assert response.status_code == 200
    assert reverse("clients:detail", args=[client_record.pk]) in response.content.decode()
    assert Client.objects.count() == 1


def test_same_name_and_birth_date_needs_confirmation(client, alice, client_record):
    client.force_login(alice)
    data = _client_post(
        insz="",
        last_name=client_record.last_name,
        first_name=client_record.first_name,
        birth_date=client_record.birth_date.strftime("%d/%m/%Y"),
    )
    response = client.post(reverse("clients:create"), data)
    assert response.status_code == 200
    assert Client.objects.count() == 1
    data["confirm_duplicate"] = "on"
    response = client.post(reverse("clients:create"), data)
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_overlapping_right_is_refused(client, alice, client_record):
    IncomeRightFactory(client=client_record, start_date=datetime.date(2024, 1, 1), end_date=None)
    client.force_login(alice)
    client.cookies["django_language"] = "nl"
    url = reverse("clients:rights", args=[client_record.pk])
    response = client.post(url, {"kind": "leefloon", "start_date": "01/06/2024"})
    assert response.status_code == 200
    assert "overlapt" in response.content.decode()
    assert IncomeRight.objects.count() == 1


def test_right_end_before_start_is_refused(client, alice, client_record):
    client.force_login(alice)
    url = reverse("clients:rights", args=[client_record.pk])
    response = client.post(
        url, {"kind": "leefloon", "start_date": "01/06/2024", "end_date": "01/01/2024"}
    )
    assert response.status_code == 200
    assert IncomeRight.objects.count() == 0


def test_journal_note_appears_on_timeline_and_restricted_is_hidden(
    client, alice, bob, client_record
):
    client.force_login(alice)
    client.post(
        reverse("clients:journal", args=[client_record.pk]),
        {
            "occurred_on": "10/03/2025",
            "subject": "Huisbezoek",
            "text": "Goed verlopen",
            "restricted": "on",
        },
    )
    note = JournalNote.objects.get()
    assert note.restricted
    timeline = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Huisbezoek" in timeline
    # bob joins the care team as counsellor: he sees the dossier but not the restricted note
    CareTeamMemberFactory(client=client_record, user=bob, role="counsellor")
    client.force_login(bob)
    timeline = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Huisbezoek" not in timeline
    # ...until he is case manager
    CareTeamMemberFactory(client=client_record, user=bob, role="case_manager")
    timeline = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Huisbezoek" in timeline


def test_edit_records_old_and_new_values(client, alice, client_record):
    client.force_login(alice)
    data = _client_post(
        last_name=client_record.last_name,
        first_name="Fatma",
        insz=client_record.insz,
        birth_date=client_record.birth_date.strftime("%d/%m/%Y"),
        ref=client_record.ref,
        language="fr",
    )
    response = client.post(reverse("clients:edit", args=[client_record.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="client.updated")
    assert entry.changes["first_name"] == ["Fatima", "Fatma"]


@pytest.mark.parametrize("size", [10, 200])
def test_caseload_queries_do_not_grow(
    client, alice, centre, office, size, django_assert_max_num_queries
):
    for _ in range(size):
        c = ClientFactory(centre=centre, office=office)
        CareTeamMemberFactory(client=c, user=alice)
        IncomeRightFactory(client=c)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("clients:caseload"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


def test_caseload_search_by_insz_and_name(client, alice, client_record, centre):
    other = ClientFactory(centre=centre, last_name="Zeebroek")
    CareTeamMemberFactory(client=other, user=alice)
    client.force_login(alice)
    response = client.get(reverse("clients:caseload"), {"q": "850730"})
    assert list(response.context["page"]) == [client_record]
    response = client.get(reverse("clients:caseload"), {"q": "zeeb"})
    assert list(response.context["page"]) == [other]


def test_caseload_search_finds_part_of_a_name_in_any_case_and_a_reference(client, alice, centre):
    from django.db import connection

    idrissi = ClientFactory(centre=centre, last_name="El Idrissi", first_name="Yasmina")
    other = ClientFactory(centre=centre, last_name="Peeters", first_name="Éloïse")
    for c in (idrissi, other):
        CareTeamMemberFactory(client=c, user=alice)
    client.force_login(alice)

    def found(q: str) -> list:
        return list(client.get(reverse("clients:caseload"), {"q": q}).context["page"])

    assert found("IDRIS") == [idrissi] and found("smin") == [idrissi]
    assert found("el idrissi") == [idrissi] and found("loïse") == [other]
    assert found(other.ref.lower()) == [other]
    # On PostgreSQL the search has its indexes: trigrams of the names, the reference in upper
    # case (the queries above are the ones they serve). SQLite has none of them.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'clients_client' "
                "AND indexname IN ('client_last_name_trgm', 'client_first_name_trgm', "
                "'client_ref_upper')"
            )
            assert len(cursor.fetchall()) == 3
            # The trigram indexes are written at once: no pending list for searches to read.
            cursor.execute(
                "SELECT relname, reloptions FROM pg_class "
                "WHERE relname IN ('client_last_name_trgm', 'client_first_name_trgm')"
            )
            assert sorted(cursor.fetchall()) == [
                ("client_first_name_trgm", ["fastupdate=off"]),
                ("client_last_name_trgm", ["fastupdate=off"]),
            ]
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'client_%trgm'")
            assert cursor.fetchall() == []


def test_head_sees_team_caseload(client, carol, client_record, dave, centre):
    foreign = ClientFactory(centre=centre)
    CareTeamMemberFactory(client=foreign, user=dave)
    client.force_login(carol)
    response = client.get(reverse("clients:caseload"), {"scope": "team"})
    assert list(response.context["page"]) == [client_record]


def test_head_never_sees_a_client_of_another_centre_through_the_team(
    client, carol, alice, client_record, other_centre
):
    """A membership of a team colleague on another centre's client opens nothing: the
    team's list checks each client's centre."""
    elsewhere = ClientFactory(centre=other_centre)
    CareTeamMemberFactory(client=elsewhere, user=alice)
    CareTeamMemberFactory(client=elsewhere, user=carol)
    client.force_login(carol)
    for scope in ("team", "mine"):
        response = client.get(reverse("clients:caseload"), {"scope": scope})
        assert elsewhere not in list(response.context["page"])
    response = client.get(reverse("clients:caseload"), {"scope": "team"})
    assert list(response.context["page"]) == [client_record]
    assert client.get(reverse("clients:detail", args=[elsewhere.pk])).status_code == 404


def test_worker_never_sees_a_client_of_another_centre_through_a_membership(
    client, alice, client_record, other_centre
):
    """A worker's own membership on another centre's client opens nothing: the worker's list,
    its size, the filtered list and the dossier each check the client's centre."""
    elsewhere = ClientFactory(centre=other_centre, last_name=client_record.last_name)
    CareTeamMemberFactory(client=elsewhere, user=alice)
    assert list(client_queryset_for(alice)) == [client_record]
    client.force_login(alice)
    response = client.get(reverse("clients:caseload"))
    assert list(response.context["page"]) == [client_record]
    assert response.context["page"].paginator.count == 1
    response = client.get(reverse("clients:caseload"), {"q": client_record.last_name})
    assert list(response.context["page"]) == [client_record]
    assert client.get(reverse("clients:detail", args=[elsewhere.pk])).status_code == 404


def test_head_without_own_caseload_starts_on_team_clients(client, carol, client_record):
    client.force_login(carol)
    response = client.get(reverse("clients:caseload"))
    assert list(response.context["page"]) == [client_record]


def test_social_worker_has_no_team_scope(client, alice, client_record, centre, dave):
    foreign = ClientFactory(centre=centre)
    CareTeamMemberFactory(client=foreign, user=dave)
    client.force_login(alice)
    response = client.get(reverse("clients:caseload"), {"scope": "team"})
    assert "scope" not in response.context["form"].fields
    assert list(response.context["page"]) == [client_record]


def test_dutch_is_the_default_language(client, alice, client_record, settings):
    import config.settings as project_settings

    assert project_settings.LANGUAGE_CODE == "nl"
    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE
    client.force_login(alice)
    body = client.get(reverse("clients:caseload")).content.decode()
    assert '<html lang="nl">' in body
    assert "Mijn cliënten" in body


def test_french_interface(client, alice, client_record):
    client.force_login(alice)
    client.cookies["django_language"] = "fr"
    body = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert '<html lang="fr">' in body
    assert "Journal" in body and "Se déconnecter" in body


def test_timeline_filter_shows_translated_kinds(client, alice, client_record):
    client.force_login(alice)
    client.cookies["django_language"] = "nl"
    client.post(
        reverse("clients:journal", args=[client_record.pk]),
        {"occurred_on": "10/03/2025", "subject": "Gesprek", "text": "Tekst"},
    )
    response = client.get(reverse("clients:detail", args=[client_record.pk]), {"kind": "journal"})
    body = response.content.decode()
    assert '<option value="journal" selected>Dagboek</option>' in body or (
        '<option value="journal" selected>Journaal</option>' in body
    )
    assert all(e.kind == "journal" for e in response.context["events"])


SHARED_TABLES = (
    "clients_incomeright",
    "clients_careteammember",
    "balance_balance",
    "trajectories_ladderposition",
    "gpmi_gpmi",
    "activation_placement",
)


def test_every_dossier_tab_reads_the_shared_parts_once(client, alice, client_record):
    """The header, the tab and (on the overview) the timeline share their reads."""
    from opstap.core.dossier import SECTIONS

    client.force_login(alice)
    for section in SECTIONS:
        url = reverse(section.url_name, args=[client_record.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        reads = table_reads(queries)
        twice = {table: reads[table] for table in SHARED_TABLES if reads[table] > 1}
        assert not twice, (section.key, twice)
