import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.admin_area import CATALOGUES, register_catalogue
from opstap.accounts.models import User
from opstap.core.models import AuditEntry, Office, Team
from opstap.factories import OfficeFactory, TeamFactory, UserFactory

HOME = reverse("accounts:admin-home")
USERS = reverse("accounts:admin-users")
CREATE = reverse("accounts:admin-user-create")


def edit_url(user):
    return reverse("accounts:admin-user-edit", args=[user.pk])


def user_data(**overrides):
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Nys",
        "email": "nina@example.org",
        "job_title": "Maatschappelijk werker",
        "language": "nl",
        "roles": ["social_worker"],
    }
    data.update(overrides)
    return data


def edit_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "language": user.language,
        "roles": sorted(user.role_set),
        "teams": [t.pk for t in user.teams.all()],
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("persona", ["alice", "carol", "maria", "pete", "oscar"])
    def test_non_admins_get_404(self, client, request, persona, alice):
        client.force_login(request.getfixturevalue(persona))
        for url in (HOME, USERS, CREATE, edit_url(alice), reverse("accounts:admin-centre")):
            assert client.get(url).status_code == 404, url

    def test_anonymous_goes_to_login(self, client, db):
        assert client.get(HOME)["Location"].startswith(reverse("accounts:login"))

    def test_admin_of_another_centre_cannot_see_or_edit_our_users(
        self, client, other_admin, alice, office, team_a
    ):
        client.force_login(other_admin)
        assert "Alice" not in client.get(USERS).content.decode()
        assert client.get(edit_url(alice)).status_code == 404
        response = client.post(edit_url(alice), edit_data(alice, first_name="Hacked"))
        assert response.status_code == 404
        for name in ("unlock", "password-reset", "totp-reset"):
            url = reverse(f"accounts:admin-user-{name}", args=[alice.pk])
            assert client.post(url).status_code == 404
        assert (
            client.get(reverse("accounts:admin-office-edit", args=[office.pk])).status_code == 404
        )
        assert client.get(reverse("accounts:admin-team-edit", args=[team_a.pk])).status_code == 404
        alice.refresh_from_db()
        assert alice.first_name == "Alice"

    def test_admin_sees_the_navigation_entry(self, as_adam):
        assert f'href="{HOME}"' in as_adam.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
class TestHome:
    def test_shows_counts_and_registered_catalogues(self, as_adam, alice):
        alice.locked_until = timezone.now() + datetime.timedelta(minutes=5)
        alice.save()
        register_catalogue("Test catalogue", "accounts:admin-teams", order=99)
        register_catalogue("Broken link", "nowhere:missing", order=98)
        try:
            response = as_adam.get(HOME)
        finally:
            CATALOGUES[:] = [
                c
                for c in CATALOGUES
                if c.url_name not in {"accounts:admin-teams", "nowhere:missing"}
            ]
        html = response.content.decode()
        assert response.status_code == 200
        assert "Test catalogue" in html and "Broken link" not in html
        assert response.context["counts"]["locked"] == 1


@pytest.mark.django_db
class TestUsers:
    def test_list_search_and_role_filter(self, as_adam, alice, bob, carol, oscar):
        response = as_adam.get(USERS)
        names = {u.username for u in response.context["page"]}
        assert {"alice", "bob", "carol", "adam"} <= names and "oscar" not in names
        response = as_adam.get(USERS, {"q": "bauw"})
        assert [u.username for u in response.context["page"]] == ["bob"]
        response = as_adam.get(USERS, {"role": "head"})
        assert [u.username for u in response.context["page"]] == ["carol"]

    def test_list_runs_a_fixed_number_of_queries(self, as_adam, centre, team_a, team_b):
        def count_queries():
            with CaptureQueriesContext(connection) as ctx:
                assert as_adam.get(USERS).status_code == 200
            return len(ctx.captured_queries)

        for _ in range(10):
            UserFactory(centre=centre, team_list=[team_a, team_b])
        ten = count_queries()
        for _ in range(90):
            UserFactory(centre=centre, team_list=[team_a])
        assert count_queries() == ten
        assert ten <= 10

    def test_create_shows_a_temporary_password_once(self, as_adam, adam, team_a, client):
        response = as_adam.post(
            CREATE, user_data(roles=["social_worker", "head"], teams=[team_a.pk])
        )
        assert response.status_code == 200
        password = response.context["password"]
        assert password in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        nina = User.objects.get(username="nina")  # fresh instance
        assert nina.centre_id == adam.centre_id
        assert nina.role_set == {"social_worker", "head"}
        assert list(nina.teams.all()) == [team_a]
        assert nina.must_change_password and nina.check_password(password)
        entry = AuditEntry.objects.get(action="user.created")
        assert entry.actor == adam and entry.centre_id == adam.centre_id
        assert entry.changes["roles"] == [None, ["head", "social_worker"]]

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"username": "ALICE"}, "username"),
            ({"roles": []}, "roles"),
            ({"roles": ["emperor"]}, "roles"),
            ({"email": "not-an-email"}, "email"),
            ({"first_name": ""}, "first_name"),
        ],
    )
    def test_create_bad_input(self, as_adam, alice, overrides, field):
        before = User.objects.count()
        response = as_adam.post(CREATE, user_data(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert User.objects.count() == before
        assert not AuditEntry.objects.filter(action="user.created").exists()
        # The input is kept.
        assert 'value="Nys"' in response.content.decode()

    def test_create_refuses_a_team_of_another_centre(self, as_adam, other_centre):
        foreign = TeamFactory(centre=other_centre, name="Foreign")
        response = as_adam.post(CREATE, user_data(teams=[foreign.pk]))
        assert "teams" in response.context["form"].errors
        assert not User.objects.filter(username="nina").exists()

    def test_edit_changes_roles_and_teams_audited(self, as_adam, adam, alice, team_b):
        response = as_adam.get(edit_url(alice))
        assert response.status_code == 200
        data = edit_data(alice, roles=["social_worker", "head"], teams=[team_b.pk], job_title="MW")
        response = as_adam.post(edit_url(alice), data)
        assert response["Location"] == USERS
        alice = User.objects.get(pk=alice.pk)  # role_set is cached on the old instance
        assert alice.role_set == {"social_worker", "head"}
        assert [t.name for t in alice.teams.all()] == ["Team B"]
        entry = AuditEntry.objects.get(action="user.updated")
        assert entry.actor == adam
        assert entry.changes["roles"] == [["social_worker"], ["head", "social_worker"]]
        assert entry.changes["teams"] == [["Team A"], ["Team B"]]
        assert entry.changes["job_title"] == ["", "MW"]

    def test_deactivate_a_user(self, as_adam, alice, password, client):
        as_adam.post(edit_url(alice), edit_data(alice, is_active=""))
        alice.refresh_from_db()
        assert not alice.is_active

    def test_admin_cannot_remove_own_admin_role(self, as_adam, adam):
        response = as_adam.post(edit_url(adam), edit_data(adam, roles=["social_worker"]))
        assert response.status_code == 200
        assert "roles" in response.context["form"].errors
        assert User.objects.get(pk=adam.pk).role_set == {"admin"}
        assert not AuditEntry.objects.filter(action="user.updated").exists()

    def test_admin_cannot_deactivate_self(self, as_adam, adam):
        response = as_adam.post(edit_url(adam), edit_data(adam, is_active=""))
        assert "is_active" in response.context["form"].errors
        adam.refresh_from_db()
        assert adam.is_active

    def test_unlock(self, as_adam, alice):
        alice.locked_until = timezone.now() + datetime.timedelta(minutes=10)
        alice.failed_logins = 3
        alice.save()
        assert (
            as_adam.get(reverse("accounts:admin-user-unlock", args=[alice.pk])).status_code == 405
        )
        response = as_adam.post(reverse("accounts:admin-user-unlock", args=[alice.pk]))
        assert response["Location"] == edit_url(alice)
        alice.refresh_from_db()
        assert not alice.is_locked and alice.failed_logins == 0
        assert AuditEntry.objects.filter(action="user.unlocked", object_id=str(alice.pk)).exists()

    def test_reset_password(self, as_adam, alice, password):
        response = as_adam.post(reverse("accounts:admin-user-password-reset", args=[alice.pk]))
        new = response.context["password"]
        alice.refresh_from_db()
        assert alice.check_password(new) and not alice.check_password(password)
        assert alice.must_change_password
        entry = AuditEntry.objects.get(action="user.password_reset")
        assert new not in str(entry.changes)

    def test_reset_second_factor(self, as_adam, alice):
        alice.totp_secret, alice.totp_enabled = "JBSWY3DPEHPK3PXP", True
        alice.save()
        response = as_adam.post(reverse("accounts:admin-user-totp-reset", args=[alice.pk]))
        assert response.status_code == 302
        alice.refresh_from_db()
        assert not alice.totp_enabled and alice.totp_secret == ""
        assert AuditEntry.objects.filter(action="user.totp_reset").exists()


@pytest.mark.django_db
class TestOfficesAndTeams:
    def test_office_create_rename_deactivate(self, as_adam, centre, adam):
        response = as_adam.post(
            reverse("accounts:admin-office-create"), {"name": "Wijkcentrum Zuid", "address": ""}
        )
        assert response["Location"] == reverse("accounts:admin-offices")
        office = Office.objects.get(name="Wijkcentrum Zuid")
        assert office.centre == centre
        url = reverse("accounts:admin-office-edit", args=[office.pk])
        assert as_adam.get(url).status_code == 200
        as_adam.post(url, {"name": "Wijkcentrum Zuid-Oost", "address": "Dorp 1"})
        office.refresh_from_db()
        assert office.name == "Wijkcentrum Zuid-Oost" and not office.active
        actions = list(AuditEntry.objects.values_list("action", flat=True))
        assert "office.created" in actions and "office.updated" in actions
        assert "Zuid-Oost" in as_adam.get(reverse("accounts:admin-offices")).content.decode()

    def test_office_duplicate_name_is_refused(self, as_adam, office):
        response = as_adam.post(
            reverse("accounts:admin-office-create"), {"name": office.name.upper()}
        )
        assert "name" in response.context["form"].errors
        assert Office.objects.count() == 1

    def test_team_create_and_move(self, as_adam, office, centre, other_centre):
        response = as_adam.post(reverse("accounts:admin-team-create"), {"name": "Team C"})
        assert response["Location"] == reverse("accounts:admin-teams")
        team = Team.objects.get(name="Team C")
        url = reverse("accounts:admin-team-edit", args=[team.pk])
        as_adam.post(url, {"name": "Team C", "office": office.pk})
        team.refresh_from_db()
        assert team.office == office
        foreign = OfficeFactory(centre=other_centre)
        response = as_adam.post(url, {"name": "Team C", "office": foreign.pk})
        assert "office" in response.context["form"].errors
        team.refresh_from_db()
        assert team.office == office
        assert AuditEntry.objects.filter(action="team.updated").count() == 1

    def test_team_empty_name(self, as_adam, team_a):
        url = reverse("accounts:admin-team-edit", args=[team_a.pk])
        response = as_adam.post(url, {"name": ""})
        assert "name" in response.context["form"].errors
        team_a.refresh_from_db()
        assert team_a.name == "Team A"
        assert "Team A" in as_adam.get(reverse("accounts:admin-teams")).content.decode()


@pytest.mark.django_db
class TestCentreSettings:
    URL = reverse("accounts:admin-centre")

    def test_update_is_audited(self, as_adam, centre):
        assert as_adam.get(self.URL).status_code == 200
        response = as_adam.post(
            self.URL,
            {
                "name": "OCMW Gent",
                "hourly_premium_eur": "1.25",
                "gpmi_evaluation_months": "3",
            },
        )
        assert response["Location"] == HOME
        centre.refresh_from_db()
        assert str(centre.hourly_premium_eur) == "1.25" and centre.gpmi_evaluation_months == 3
        entry = AuditEntry.objects.get(action="centre.updated")
        assert entry.changes == {
            "hourly_premium_eur": ["1.00", "1.25"],
            "gpmi_evaluation_months": [4, 3],
        }

    def test_second_factor_roles_are_checkboxes(self, as_adam, centre):
        page = as_adam.get(self.URL).content.decode()
        assert 'type="checkbox" name="require_2fa_roles" value="head"' in page
        data = {"name": "OCMW Gent", "hourly_premium_eur": "1", "gpmi_evaluation_months": "4"}
        response = as_adam.post(self.URL, {**data, "require_2fa_roles": ["management", "head"]})
        assert response["Location"] == HOME
        centre.refresh_from_db()
        assert centre.require_2fa_roles == ",head,management,"
        assert AuditEntry.objects.get(action="centre.updated").changes == {
            "require_2fa_roles": ["", ",head,management,"]
        }
        # The page shows what is stored, ticked.
        page = as_adam.get(self.URL).content.decode()
        assert 'value="head" id="id_require_2fa_roles_3" checked' in page
        assert 'value="admin" id="id_require_2fa_roles_5" checked' not in page
        assert "Head of service, Management" in as_adam.get(HOME).content.decode()
        as_adam.post(self.URL, data)
        centre.refresh_from_db()
        assert centre.require_2fa_roles == ""

    @pytest.mark.parametrize(
        "field, value",
        [("gpmi_evaluation_months", "0"), ("hourly_premium_eur", "-1"), ("name", "")],
    )
    def test_bad_input(self, as_adam, centre, field, value):
        data = {"name": "OCMW Gent", "hourly_premium_eur": "1", "gpmi_evaluation_months": "4"}
        data[field] = value
        response = as_adam.post(self.URL, data)
        assert field in response.context["form"].errors
        assert not AuditEntry.objects.filter(action="centre.updated").exists()

    def test_only_own_centre_changes(self, as_adam, other_centre):
        as_adam.post(
            self.URL, {"name": "Renamed", "hourly_premium_eur": "1", "gpmi_evaluation_months": "4"}
        )
        other_centre.refresh_from_db()
        assert other_centre.name == "OCMW Brugge"
