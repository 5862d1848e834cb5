import pytest
from django.conf import settings
from django.urls import reverse

from opstap.core.models import AuditEntry

PROFILE = reverse("accounts:profile")
PASSWORD = reverse("accounts:password-change")


@pytest.mark.django_db
class TestProfile:
    def test_page_shows_language_password_and_second_factor(self, as_alice):
        html = as_alice.get(PROFILE).content.decode()
        assert 'value="language"' in html and f'href="{PASSWORD}"' in html
        assert reverse("accounts:otp-setup") in html

    def test_anonymous_is_sent_to_login(self, client, db):
        assert client.get(PROFILE)["Location"].startswith(reverse("accounts:login"))

    def test_language_is_saved_and_applied(self, as_alice, alice):
        response = as_alice.post(PROFILE, {"action": "language", "language": "fr"})
        assert response.status_code == 302
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
        alice.refresh_from_db()
        assert alice.language == "fr"
        entry = AuditEntry.objects.get(action="user.language_set")
        assert entry.changes == {"language": ["nl", "fr"]}
        assert 'lang="fr"' in as_alice.get(PROFILE).content.decode()

    def test_unknown_language_is_refused(self, as_alice, alice):
        response = as_alice.post(PROFILE, {"action": "language", "language": "de"})
        assert response.status_code == 200
        assert response.context["language_form"].errors["language"]
        alice.refresh_from_db()
        assert alice.language == "nl"


@pytest.mark.django_db
class TestPasswordChange:
    def post(self, client, old, new1, new2):
        return client.post(
            PASSWORD, {"old_password": old, "new_password1": new1, "new_password2": new2}
        )

    def test_change_keeps_the_session(self, as_alice, alice, password):
        response = self.post(as_alice, password, "fresh purple kettle 7", "fresh purple kettle 7")
        assert response["Location"] == PROFILE
        alice.refresh_from_db()
        assert alice.check_password("fresh purple kettle 7")
        assert as_alice.get(PROFILE).status_code == 200
        assert AuditEntry.objects.filter(action="user.password_changed").exists()

    @pytest.mark.parametrize(
        "old, new1, new2, field",
        [
            ("wrong", "fresh purple kettle 7", "fresh purple kettle 7", "old_password"),
            (None, "fresh purple kettle 7", "fresh purple kettle 8", "new_password2"),
            (None, "short", "short", "new_password1"),
            (None, "12345678901234", "12345678901234", "new_password1"),
            (None, "password123", "password123", "new_password1"),
        ],
    )
    def test_bad_input_names_the_field(self, as_alice, alice, password, old, new1, new2, field):
        response = self.post(as_alice, old or password, new1, new2)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        alice.refresh_from_db()
        assert alice.check_password(password)
