"""Income rights carry their client's centre, whichever way they are written."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.clients.models import IncomeRight
from opstap.clients.services import right_create
from opstap.factories import CentreFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def two_centres():
    return ClientFactory(centre=CentreFactory(code="aalst")), ClientFactory(
        centre=CentreFactory(code="brugge")
    )


def test_the_service_sets_the_centre(two_centres):
    person = two_centres[1]
    actor = UserFactory(centre=person.centre)
    right = right_create(actor=actor, client=person, kind="leefloon", start_date=DAY)
    right.refresh_from_db()
    assert right.centre_id == person.centre_id


def test_create_sets_the_centre_from_the_client_or_its_id(two_centres):
    a, b = two_centres
    assert IncomeRight.objects.create(client=a, kind="leefloon", start_date=DAY).centre_id == (
        a.centre_id
    )
    by_id = IncomeRight.objects.create(client_id=b.pk, kind="leefloon", start_date=DAY)
    assert IncomeRight.objects.get(pk=by_id.pk).centre_id == b.centre_id


def test_bulk_create_sets_the_centre_with_at_most_one_read(two_centres):
    a, b = two_centres
    rights = [
        IncomeRight(client=a, kind="leefloon", start_date=DAY),
        IncomeRight(client_id=b.pk, kind="leefloon", start_date=DAY),
        IncomeRight(client_id=a.pk, kind="leefloon", start_date=DAY + datetime.timedelta(1)),
    ]
    with CaptureQueriesContext(connection) as ctx:
        IncomeRight.objects.bulk_create(rights)
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1
    stored = IncomeRight.objects.order_by("pk").values_list("client_id", "centre_id")
    assert list(stored) == [(a.pk, a.centre_id), (b.pk, b.centre_id), (a.pk, a.centre_id)]


def test_bulk_create_of_cached_clients_reads_nothing(two_centres):
    a, b = two_centres
    with CaptureQueriesContext(connection) as ctx:
        IncomeRight.objects.bulk_create(
            [IncomeRight(client=c, kind="leefloon", start_date=DAY) for c in (a, b)]
        )
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert set(IncomeRight.objects.values_list("client_id", "centre_id")) == {
        (a.pk, a.centre_id),
        (b.pk, b.centre_id),
    }


def test_a_right_without_a_client_is_refused_by_the_database_as_before(two_centres):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeRight(kind="leefloon", start_date=DAY).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeRight.objects.bulk_create(
            [IncomeRight(client_id=10**9, kind="leefloon", start_date=DAY)]
        )
