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


@pytest.mark.django_db
class TestNumbersOutOfRange:
    """Whole numbers past 64 bits would fail in the database: 422 naming the field instead."""

    def test_in_a_query_parameter(self, api_alice, client_record):
        response = api_alice.get("/clients/", {"office": str(2**70)})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "office"

    def test_a_page_far_beyond_the_last(self, api_alice, client_record):
        response = api_alice.get("/clients/", {"page": "331527736765036982435840"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "page"

    def test_in_a_list_in_a_json_body(self, api_alice, client_record):
        payload = {"kind": "social_activation", "priority_ids": [1, -(2**120)]}
        response = api_alice.post(f"/gpmi/clients/{client_record.pk}/contracts", payload)
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "priority_ids"
        assert not client_record.gpmis.exists()

    def test_the_largest_stored_number_is_still_an_ordinary_not_found(
        self, api_alice, client_record
    ):
        assert api_alice.get(f"/clients/{2**63 - 1}").status_code == 404
