import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from opstap.core.audit import action_label, log_action
from opstap.factories import ClientFactory

URL = reverse("accounts:admin-audit")


@pytest.fixture
def entries(alice, bob, oscar, client_record, clock):
    """Entries on two days in our centre, one in another centre."""
    clock.now = timezone.make_aware(datetime.datetime(2025, 3, 10, 10, 0))
    log_action(actor=alice, action="client.viewed", obj=client_record, client_id=client_record.pk)
    bob.first_name, bob.last_name = "=SUM(A1)", ""
    log_action(actor=bob, action="user.logged_in", obj=bob)
    clock.now = timezone.make_aware(datetime.datetime(2025, 3, 12, 9, 0))
    log_action(
        actor=alice,
        action="client.updated",
        obj=client_record,
        client_id=client_record.pk,
        changes={"last_name": ["Janssens", '=HYPERLINK("http://x")']},
    )
    other = ClientFactory(centre=oscar.centre, ref="C99999")
    log_action(actor=oscar, action="client.viewed", obj=other, client_id=other.pk)
    return client_record


def actions(response):
    return [e.action for e in response.context["page"]]


@pytest.mark.django_db
class TestAuditLog:
    @pytest.mark.parametrize("persona", ["alice", "bob", "maria", "pete", "oscar"])
    def test_only_admins_and_heads(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(URL).status_code == 404

    def test_admin_sees_own_centre_only(self, as_adam, entries):
        response = as_adam.get(URL)
        assert response.status_code == 200
        assert actions(response) == ["client.updated", "user.logged_in", "client.viewed"]
        assert "C99999" not in response.content.decode()

    def test_head_sees_it_too_from_the_navigation(self, client, carol, entries):
        client.force_login(carol)
        assert f'href="{URL}"' in client.get(reverse("core:home")).content.decode()
        assert len(actions(client.get(URL))) == 3

    def test_filters(self, as_adam, alice, bob, entries):
        assert actions(as_adam.get(URL, {"actor": bob.pk})) == ["user.logged_in"]
        assert actions(as_adam.get(URL, {"action": "client.viewed"})) == ["client.viewed"]
        response = as_adam.get(URL, {"date_from": "11/03/2025", "date_to": "12/03/2025"})
        assert actions(response) == ["client.updated"]
        assert actions(as_adam.get(URL, {"date_to": "10/03/2025"})) == [
            "user.logged_in",
            "client.viewed",
        ]
        response = as_adam.get(URL, {"client_ref": entries.ref})
        assert actions(response) == ["client.updated", "client.viewed"]
        assert entries.ref in response.content.decode()
        assert actions(as_adam.get(URL, {"client_ref": "C99999"})) == []

    def test_bad_dates_name_the_field(self, as_adam, entries):
        response = as_adam.get(URL, {"date_from": "31/02/2025"})
        assert "date_from" in response.context["form"].errors
        response = as_adam.get(URL, {"date_from": "12/03/2025", "date_to": "01/03/2025"})
        assert "date_to" in response.context["form"].errors

    def test_csv_export_neutralises_formulas(self, as_adam, entries):
        response = as_adam.get(URL, {"format": "csv", "action": "client.updated"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
        assert len(rows) == 2
        assert rows[1][2] == "client.updated"
        assert rows[1][4] == entries.ref
        assert "=HYPERLINK" in rows[1][5]
        rows = list(csv.reader(io.StringIO(as_adam.get(URL, {"format": "csv"}).content.decode())))
        assert ["'=SUM(A1)"] == [row[3] for row in rows if row[2] == "user.logged_in"]
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    def test_paginated_with_bounded_queries(self, as_adam, alice, django_assert_max_num_queries):
        for _ in range(120):
            log_action(actor=alice, action="user.logged_in", obj=alice)
        with django_assert_max_num_queries(12):
            response = as_adam.get(URL)
        assert len(response.context["page"]) == 50
        assert response.context["page"].paginator.count == 120
        assert len(as_adam.get(URL, {"page": 3}).context["page"]) == 20

    def test_actions_show_a_label_beside_the_code(self, as_adam, alice, entries):
        log_action(actor=alice, action="something.new", obj=alice)
        response = as_adam.get(URL)
        html = response.content.decode()
        assert "Opened the dossier" in html and "<code>client.viewed</code>" in html
        assert "Logged in" in html and "Changed the client&#x27;s details" in html
        options = dict(response.context["form"].fields["action"].choices)
        assert options["client.viewed"] == "Opened the dossier (client.viewed)"
        assert options["something.new"] == "something.new"  # no label: the code itself
        assert actions(as_adam.get(URL, {"action": "client.viewed"})) == ["client.viewed"]

    def test_dossier_access_log_shows_the_label(self, client, carol, entries):
        client.force_login(carol)
        html = client.get(reverse("clients:access-log", args=[entries.pk])).content.decode()
        assert "Opened the dossier" in html and "<code>client.viewed</code>" in html


def test_action_label_falls_back_to_the_code():
    assert action_label("user.login_failed") == "Failed login"
    assert action_label("gpmi.steps_carried") == "Carried a module's step plan into the GPMI"
    assert action_label("x.unknown") == "x.unknown"
