import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from opstap.accounts.models import User
from opstap.core.models import AuditEntry

LOGIN = reverse("accounts:login")
LOCKED = "locked"
INVALID = "not correct"


def post_login(client, username, password, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def fail(client, username, times):
    for _ in range(times):
        response = post_login(client, username, "wrong password")
    return response


@pytest.mark.django_db
class TestLogin:
    def test_good_password_logs_in_and_audits(self, client, alice, password):
        response = post_login(client, "alice", password)
        assert response.status_code == 302
        assert response["Location"] == reverse("core:home")
        assert client.session["_auth_user_id"] == str(alice.pk)
        assert AuditEntry.objects.filter(action="user.logged_in", object_id=str(alice.pk)).exists()

    def test_language_cookie_follows_the_user(self, client, alice, password):
        alice.language = "fr"
        alice.save()
        response = post_login(client, "alice", password)
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"

    def test_wrong_password_is_refused_and_counted(self, client, alice):
        response = fail(client, "alice", 1)
        assert response.status_code == 200
        assert INVALID in response.content.decode()
        assert "_auth_user_id" not in client.session
        alice.refresh_from_db()
        assert alice.failed_logins == 1
        assert AuditEntry.objects.filter(action="user.login_failed").count() == 1

    def test_locked_after_max_failures_even_with_right_password(self, client, alice, password):
        assert settings.LOGIN_MAX_FAILURES == 5
        fail(client, "alice", 4)
        alice.refresh_from_db()
        assert not alice.is_locked
        response = fail(client, "alice", 1)
        assert LOCKED in response.content.decode()
        alice.refresh_from_db()
        assert alice.is_locked
        assert AuditEntry.objects.filter(action="user.locked", object_id=str(alice.pk)).exists()
        response = post_login(client, "alice", password)
        assert LOCKED in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_unlocked_after_the_lockout_period(self, client, alice, password, clock):
        fail(client, "alice", 5)
        clock.move(minutes=settings.LOGIN_LOCKOUT_MINUTES - 1)
        assert LOCKED in post_login(client, "alice", password).content.decode()
        clock.move(minutes=1, seconds=1)
        response = post_login(client, "alice", password)
        assert response.status_code == 302
        alice.refresh_from_db()
        assert alice.failed_logins == 0 and alice.locked_until is None

    def test_success_resets_the_count(self, client, alice, password):
        fail(client, "alice", 4)
        post_login(client, "alice", password)
        client.post(reverse("accounts:logout"))
        fail(client, "alice", 4)
        alice.refresh_from_db()
        assert alice.failed_logins == 4
        assert not alice.is_locked

    def test_unknown_username_answers_like_a_real_one(self, client, alice):
        for _ in range(4):
            real = post_login(client, "alice", "wrong password").content.decode()
            ghost = post_login(client, "nobody", "wrong password").content.decode()
            assert INVALID in real and INVALID in ghost
        real = post_login(client, "alice", "wrong password").content.decode()
        ghost = post_login(client, "nobody", "wrong password").content.decode()
        assert LOCKED in real and LOCKED in ghost
        assert not User.objects.filter(username="nobody").exists()

    def test_inactive_user_cannot_log_in(self, client, alice, password):
        alice.is_active = False
        alice.save()
        response = post_login(client, "alice", password)
        assert response.status_code == 200
        assert "not active" in response.content.decode()
        assert "_auth_user_id" not in client.session
        # A wrong password on an inactive account says nothing about it being inactive.
        assert "not active" not in post_login(client, "alice", "nope").content.decode()

    def test_empty_fields_name_the_field(self, client, db):
        response = client.post(LOGIN, {"username": "", "password": ""})
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"username", "password"}

    @pytest.mark.parametrize("target", ["/clients/", "/accounts/me/?x=1"])
    def test_next_redirects_inside_the_site(self, client, alice, password, target):
        response = post_login(client, "alice", password, next_url=target)
        assert response["Location"] == target

    @pytest.mark.parametrize(
        "target",
        ["https://evil.example/", "//evil.example/", "http:evil.example", "\\\\evil.example"],
    )
    def test_next_to_another_site_is_ignored(self, client, alice, password, target):
        response = post_login(client, "alice", password, next_url=target)
        assert response["Location"] == reverse("core:home")

    def test_login_page_shows_next(self, client, db):
        response = client.get(LOGIN + "?next=/clients/")
        assert 'value="/clients/"' in response.content.decode()


@pytest.mark.django_db
class TestSession:
    def test_settings_expire_idle_sessions(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert "opstap.core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE

    def test_session_ends_after_idle_time(self, client, alice, password, clock):
        post_login(client, "alice", password)
        clock.move(minutes=20)
        assert client.get(reverse("core:home")).status_code == 200
        clock.move(minutes=25)  # 45 minutes after log-in, 25 after the last request
        assert client.get(reverse("core:home")).status_code == 200
        clock.move(minutes=31)
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

    def test_an_unknown_or_ended_session_is_not_signed_in(self, client, alice, password):
        from django.contrib.sessions.models import Session

        assert settings.SESSION_ENGINE == "opstap.core.sessions"
        post_login(client, "alice", password)
        assert client.get(reverse("core:home")).status_code == 200
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - datetime.timedelta(seconds=1)
        )
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    def test_the_session_is_written_at_most_once_a_minute(self, client, alice, password, clock):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def session_writes() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("core:home")).status_code == 200
            return sum(
                q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
                and "django_session" in q["sql"]
                for q in queries.captured_queries
            )

        post_login(client, "alice", password)
        assert session_writes() == 0  # the log-in has just written it
        clock.move(minutes=2)
        assert session_writes() == 1  # the expiry slides
        clock.move(seconds=20)
        assert session_writes() == 0
        assert session_writes() == 0
        clock.move(seconds=50)
        assert session_writes() == 1

    def test_logout_needs_post(self, client, alice, password):
        post_login(client, "alice", password)
        assert client.get(reverse("accounts:logout")).status_code == 405
        assert "_auth_user_id" in client.session
        response = client.post(reverse("accounts:logout"))
        assert response["Location"] == LOGIN
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="user.logged_out").exists()

    def test_passwords_are_hashed_with_argon2(self, alice, settings):
        from .conftest import CONFIGURED_HASHERS

        assert CONFIGURED_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        settings.PASSWORD_HASHERS = CONFIGURED_HASHERS
        alice.set_password("a fine long password")
        assert alice.password.startswith("argon2$")


@pytest.mark.django_db
class TestTemporaryPassword:
    def test_user_must_change_a_temporary_password(self, client, alice, password):
        alice.must_change_password = True
        alice.save()
        response = post_login(client, "alice", password, next_url="/clients/")
        assert response["Location"].startswith(reverse("accounts:password-change"))
        response = client.get(reverse("core:home"))
        assert response["Location"].startswith(reverse("accounts:password-change"))
        response = client.post(
            reverse("accounts:password-change"),
            {
                "old_password": password,
                "new_password1": "a brand new secret 42",
                "new_password2": "a brand new secret 42",
                "next": "/clients/",
            },
        )
        assert response["Location"] == "/clients/"
        alice.refresh_from_db()
        assert not alice.must_change_password
        assert client.get(reverse("core:home")).status_code == 200
