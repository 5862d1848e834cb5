import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from opstap.clients.models import CareTeamMember, Client
from opstap.core.idlist import IdIn
from opstap.factories import CareTeamMemberFactory, CentreFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients():
    centre = CentreFactory()
    return [ClientFactory(centre=centre) for _ in range(6)]


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_matches_what_in_matches(clients):
    chosen = [clients[0].pk, clients[2].pk, clients[5].pk, 10**9]
    assert ids(Client.objects.filter(IdIn("pk", chosen))) == ids(
        Client.objects.filter(pk__in=chosen)
    )
    assert ids(Client.objects.filter(IdIn("pk", chosen))) == {
        clients[0].pk,
        clients[2].pk,
        clients[5].pk,
    }
    assert ids(Client.objects.exclude(IdIn("pk", chosen))) == {
        clients[1].pk,
        clients[3].pk,
        clients[4].pk,
    }


def test_combines_with_q_and_follows_relations(clients):
    a, b, c = clients[:3]
    CareTeamMemberFactory(client=a)
    CareTeamMemberFactory(client=b)
    either = Client.objects.filter(IdIn("pk", [a.pk]) | Q(pk=c.pk))
    assert ids(either) == {a.pk, c.pk}
    members = CareTeamMember.objects.filter(IdIn("client__pk", [b.pk, c.pk]))
    assert [m.client_id for m in members] == [b.pk]


def test_an_empty_list_matches_nothing_without_asking_the_database(clients):
    with CaptureQueriesContext(connection) as ctx:
        assert list(Client.objects.filter(IdIn("pk", []))) == []
    assert len(ctx.captured_queries) == 0
    assert ids(Client.objects.exclude(IdIn("pk", []))) == {c.pk for c in clients}
    either = Client.objects.filter(IdIn("pk", []) | Q(pk=clients[1].pk))
    assert ids(either) == {clients[1].pk}


def test_accepts_any_iterable_of_ids(clients):
    chosen = {clients[1].pk: "x", clients[3].pk: "y"}
    assert ids(Client.objects.filter(IdIn("pk", chosen))) == set(chosen)
    assert ids(Client.objects.filter(IdIn("pk", (str(pk) for pk in chosen)))) == set(chosen)


def test_postgresql_receives_the_ids_as_one_array(clients):
    chosen = [c.pk for c in clients]
    sql, params = Client.objects.filter(IdIn("pk", chosen)).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert '"clients_client"."id" = ANY(%s::bigint[])' in sql
        assert params == ("{" + ",".join(map(str, chosen)) + "}",)
    else:
        assert sql.count("%s") == len(chosen)
        assert params == tuple(chosen)
