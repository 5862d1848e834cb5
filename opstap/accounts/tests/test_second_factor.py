import pyotp
import pytest
from django.conf import settings
from django.urls import reverse

from opstap.accounts.views import NEW_SECRET_KEY
from opstap.core.models import AuditEntry

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp-verify")
SETUP = reverse("accounts:otp-setup")
HOME = reverse("core:home")


@pytest.fixture
def secret():
    return pyotp.random_base32()


@pytest.fixture
def alice_2fa(alice, secret):
    alice.totp_secret, alice.totp_enabled = secret, True
    alice.save()
    return alice


def password_step(client, password, next_url="/clients/"):
    return client.post(LOGIN, {"username": "alice", "password": password, "next": next_url})


@pytest.mark.django_db
class TestVerify:
    def test_code_completes_the_log_in(self, client, alice_2fa, password, secret, clock):
        response = password_step(client, password)
        assert response["Location"].startswith(VERIFY)
        # Not logged in between the two steps: no page (nor the API) can be reached.
        assert "_auth_user_id" not in client.session
        assert client.get(HOME)["Location"].startswith(LOGIN)
        response = client.post(
            response["Location"], {"code": clock.code(secret), "next": "/clients/"}
        )
        assert response["Location"] == "/clients/"
        assert client.session["_auth_user_id"] == str(alice_2fa.pk)
        assert client.get(HOME).status_code == 200
        assert AuditEntry.objects.filter(action="user.logged_in").count() == 1

    def test_wrong_code_is_refused(self, client, alice_2fa, password, secret, clock):
        password_step(client, password)
        wrong = str((int(clock.code(secret)) + 1) % 1_000_000).zfill(6)
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
        assert "_auth_user_id" not in client.session
        alice_2fa.refresh_from_db()
        assert alice_2fa.failed_logins == 1

    def test_a_code_works_only_once(self, client, alice_2fa, password, secret, clock):
        password_step(client, password)
        code = clock.code(secret)
        client.post(VERIFY, {"code": code})
        client.post(reverse("accounts:logout"))
        password_step(client, password)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_code_from_the_previous_step_is_accepted(
        self, client, alice_2fa, password, secret, clock
    ):
        password_step(client, password)
        response = client.post(VERIFY, {"code": clock.code(secret, steps=-1)})
        assert response.status_code == 302

    def test_code_attempts_lock_the_account(self, client, alice_2fa, password, secret, clock):
        password_step(client, password)
        for _ in range(settings.LOGIN_MAX_FAILURES):
            response = client.post(VERIFY, {"code": "000000"})
        assert response["Location"] == LOGIN
        alice_2fa.refresh_from_db()
        assert alice_2fa.is_locked
        assert AuditEntry.objects.filter(action="user.otp_failed").count() == 4
        assert AuditEntry.objects.filter(action="user.locked").count() == 1
        # Even with the password and a right code, nothing gets in until the lock ends.
        assert "locked" in password_step(client, password).content.decode()
        clock.move(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
        password_step(client, password)
        assert client.post(VERIFY, {"code": clock.code(secret)}).status_code == 302

    def test_new_password_step_does_not_reset_code_failures(
        self, client, alice_2fa, password, secret
    ):
        for _ in range(3):
            password_step(client, password)
            for _ in range(2):
                client.post(VERIFY, {"code": "000000"})
        alice_2fa.refresh_from_db()
        assert alice_2fa.is_locked

    def test_verify_without_password_step_goes_to_login(self, client, db):
        assert client.get(VERIFY)["Location"] == LOGIN

    def test_pending_step_expires(self, client, alice_2fa, password, secret, clock, monkeypatch):
        password_step(client, password)
        import time

        real = time.time()
        monkeypatch.setattr(time, "time", lambda: real + 301)
        assert client.post(VERIFY, {"code": clock.code(secret)})["Location"] == LOGIN


@pytest.mark.django_db
class TestSetup:
    def test_enrol_shows_secret_and_qr_then_confirms(self, client, alice, clock):
        client.force_login(alice)
        response = client.get(SETUP)
        html = response.content.decode()
        secret = client.session[NEW_SECRET_KEY]
        assert "<svg" in html and "otpauth://totp/" in html
        assert secret[:4] in html
        alice.refresh_from_db()
        assert not alice.totp_enabled
        response = client.post(SETUP, {"code": clock.code(secret)})
        assert response["Location"] == reverse("accounts:profile")
        alice.refresh_from_db()
        assert alice.totp_enabled and alice.totp_secret == secret
        assert AuditEntry.objects.filter(action="user.totp_enabled").exists()
        # The session that enrolled stays usable.
        assert client.get(HOME).status_code == 200

    def test_wrong_code_does_not_enable(self, client, alice):
        client.force_login(alice)
        client.get(SETUP)
        response = client.post(SETUP, {"code": "12345x"})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        alice.refresh_from_db()
        assert not alice.totp_enabled

    def test_admin_must_set_up_when_centre_requires_it(self, client, adam, centre, clock):
        centre.require_2fa_roles = ",admin,"
        centre.save()
        client.force_login(adam)
        response = client.get(reverse("accounts:admin-home"))
        assert response["Location"].startswith(SETUP)
        assert client.get(reverse("accounts:profile"))["Location"].startswith(SETUP)
        assert client.get(SETUP).status_code == 200
        client.post(SETUP, {"code": clock.code(client.session[NEW_SECRET_KEY])})
        assert client.get(reverse("accounts:admin-home")).status_code == 200

    def test_non_admin_is_not_forced(self, client, alice, centre):
        centre.require_2fa_roles = ",admin,"
        centre.save()
        client.force_login(alice)
        assert client.get(HOME).status_code == 200

    def test_head_must_set_up_when_head_is_required(self, client, carol, adam, centre, clock):
        centre.require_2fa_roles = ",head,"
        centre.save()
        client.force_login(carol)
        assert client.get(HOME)["Location"].startswith(SETUP)
        assert client.get(reverse("clients:caseload"))["Location"].startswith(SETUP)
        assert client.get(SETUP).status_code == 200
        client.post(SETUP, {"code": clock.code(client.session[NEW_SECRET_KEY])})
        carol.refresh_from_db()
        assert carol.totp_enabled
        assert client.get(HOME).status_code == 200
        # Only the roles named: the administrator is free this time.
        client.force_login(adam)
        assert client.get(reverse("accounts:admin-home")).status_code == 200

    def test_head_is_not_forced_when_only_admins_are(self, client, carol, centre):
        centre.require_2fa_roles = ",admin,"
        centre.save()
        client.force_login(carol)
        assert client.get(HOME).status_code == 200
        assert not carol.needs_second_factor

    def test_any_required_role_of_a_user_counts(self, carol, adam, alice, centre):
        centre.require_2fa_roles = ",head,social_worker,"
        centre.save()
        carol.set_roles(["head", "management"])
        assert carol.needs_second_factor and alice.needs_second_factor
        assert not adam.needs_second_factor

    def test_api_session_of_a_head_waits_for_enrolment(self, client, carol, centre):
        centre.require_2fa_roles = ",head,"
        centre.save()
        client.force_login(carol)
        assert client.get("/api/v1/clients/").status_code != 200

    def test_disable_with_a_code(self, client, alice_2fa, secret, clock):
        client.force_login(alice_2fa)
        session = client.session
        session["otp_verified"] = True
        session.save()
        url = reverse("accounts:profile")
        response = client.post(url, {"action": "totp_disable", "code": "000000"})
        assert response.status_code == 200
        alice_2fa.refresh_from_db()
        assert alice_2fa.totp_enabled
        response = client.post(url, {"action": "totp_disable", "code": clock.code(secret)})
        assert response.status_code == 302
        alice_2fa.refresh_from_db()
        assert not alice_2fa.totp_enabled and alice_2fa.totp_secret == ""
        assert AuditEntry.objects.filter(action="user.totp_disabled").exists()

    def test_unverified_session_is_sent_to_verify(self, client, alice_2fa):
        client.force_login(alice_2fa)
        for url in (HOME, reverse("accounts:profile"), reverse("accounts:admin-home")):
            assert client.get(url)["Location"].startswith(VERIFY)
