"""The dossier header links to the GDPR export for the roles that may use it."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestExportLinkOnDossier:
    def test_head_of_service_sees_the_link_and_it_works(self, client, carol, client_record):
        export = reverse("privacy:client-export", args=[client_record.pk])
        client.force_login(carol)
        page = client.get(reverse("clients:detail", args=[client_record.pk]))
        assert page.status_code == 200
        assert f'href="{export}"' in page.content.decode()
        response = client.get(export)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"

    def test_social_worker_does_not_see_it(self, as_alice, client_record):
        page = as_alice.get(reverse("clients:detail", args=[client_record.pk]))
        assert page.status_code == 200
        export = reverse("privacy:client-export", args=[client_record.pk])
        assert export not in page.content.decode()
        # ...and could not use it either.
        assert as_alice.get(export).status_code == 404
