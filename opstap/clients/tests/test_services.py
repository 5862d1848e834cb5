import pytest
from django.core.exceptions import ValidationError

from opstap.clients import services

pytestmark = pytest.mark.django_db


def test_bad_insz_error_names_the_field(alice, centre):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            actor=alice,
            centre=centre,
            last_name="A",
            first_name="B",
            birth_date="1990-01-01",
            insz="12345678901",
        )
    assert "insz" in exc.value.message_dict


def test_update_with_bad_insz_names_the_field(alice, client_record):
    with pytest.raises(ValidationError) as exc:
        services.client_update(actor=alice, client=client_record, insz="123")
    assert list(exc.value.message_dict) == ["insz"]


def test_unknown_care_role_is_refused_by_the_database(alice, client_record):
    from django.db import IntegrityError, transaction

    from opstap.clients.models import CareTeamMember

    with pytest.raises(IntegrityError), transaction.atomic():
        CareTeamMember.objects.create(client=client_record, user=alice, role="wizard")
