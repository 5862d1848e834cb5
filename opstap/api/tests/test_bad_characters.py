"""Input PostgreSQL cannot store or compare (a NUL character) is refused with 422, not a 500."""

import pytest

from opstap.clients.models import Client


@pytest.mark.django_db
class TestNulCharacters:
    def test_in_a_query_parameter(self, api_alice, client_record):
        response = api_alice.get("/clients/", {"q": "Jans\x00sens"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["message"] == "Null characters are not allowed."

    def test_escaped_in_a_json_body(self, api_alice, client_record):
        response = api_alice.patch(
            f"/clients/{client_record.pk}", raw='{"first_name": "Fat\\u0000ima"}'
        )
        assert response.status_code == 422
        assert Client.objects.get(pk=client_record.pk).first_name == "Fatima"

    def test_ordinary_input_still_passes(self, api_alice, client_record):
        response = api_alice.get("/clients/", {"q": "Janssens"})
        assert response.status_code == 200
        assert response.json()["count"] == 1
