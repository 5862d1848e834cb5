"""/api/tokens/: create (key shown once), list, revoke; only one's own tokens."""

import pytest
from django.conf import settings

from opstap.accounts.models import ApiToken
from opstap.core.models import AuditEntry

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

URL = "/api/tokens/"


def test_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_shows_the_key_once(client, alice, client_record):
    client.force_login(alice)
    form = client.get(URL)
    assert form.status_code == 200
    assert form.context["form"]["days"].initial == min(settings.API_TOKEN_DAYS, 365)
    response = client.post(URL, {"name": "Nightly export", "days": "30"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "Nightly export" and token.key_hash == ApiToken.hash_key(key)
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    entry = AuditEntry.objects.get(action="api.token_created")
    assert entry.actor == alice and key not in str(entry.changes) + entry.object_repr
    # The key works, and is never shown again.
    assert ApiClient(key).get("/clients/").status_code == 200
    later = client.get(URL).content.decode()
    assert key not in later and "Nightly export" in later and token.prefix in later


@pytest.mark.parametrize(
    "data", [{"name": "", "days": "30"}, {"name": "x", "days": "366"}, {"name": "x", "days": "0"}]
)
def test_bad_input_keeps_the_form_and_creates_nothing(client, alice, data):
    client.force_login(alice)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_revoke(client, alice):
    key = make_token(alice, name="old script")
    token = ApiToken.objects.get(user=alice)
    client.force_login(alice)
    response = client.post(f"{URL}{token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(key).get("/clients/").status_code == 401
    entry = AuditEntry.objects.get(action="api.token_revoked")
    assert entry.actor == alice and entry.object_id == str(token.pk)
    assert "revoked" in response.content.decode()


def test_revoke_needs_post(client, alice):
    make_token(alice)
    client.force_login(alice)
    token = ApiToken.objects.get(user=alice)
    assert client.get(f"{URL}{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_other_users_tokens_cannot_be_revoked_or_seen(client, alice, dave):
    key = make_token(alice, name="alice's export")
    token = ApiToken.objects.get(user=alice)
    client.force_login(dave)
    assert "alice's export" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiClient(key).get("/clients/").status_code == 200


@pytest.mark.parametrize("persona", ["pete", "maria", "adam"])
def test_every_role_may_have_tokens(request, client, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(URL, {"name": "portal sync", "days": "7"})
    assert response.status_code == 200 and response.context["new_key"]
    assert ApiToken.objects.get().user == user


def test_account_menu_links_to_the_page(client, alice):
    client.force_login(alice)
    assert f'href="{URL}"' in client.get("/").content.decode()
