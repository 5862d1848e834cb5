import pytest

pytestmark = pytest.mark.django_db


def test_not_found_page_is_translated(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "nl"
    response = client.get("/clients/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina niet gevonden" in body and "Terug naar de startpagina" in body


def test_not_found_page_in_french(client):
    client.cookies["django_language"] = "fr"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
