"""PreparedRead: the same rows as the queryset, its SQL built once, and shapes it must refuse."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count, Q, Value
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from opstap.clients.models import CareRole, CareTeamMember, IncomeRight
from opstap.core.idlist import IdIn
from opstap.core.prepared import KeysRead, PreparedRead
from opstap.core.server_prepared import prepares_on_server
from opstap.factories import ClientFactory, UserFactory

UserModel = get_user_model()


def _care_team(client_id):
    return (
        CareTeamMember.objects.filter(client_id=client_id)
        .select_related("user")
        .order_by("role", "start_date", "id")
    )


def _facts(members):
    return [(m.pk, m.client_id, m.role, m.start_date, m.user.pk, m.user.username) for m in members]


@pytest.fixture
def two_clients(centre):
    first, second = ClientFactory(centre=centre), ClientFactory(centre=centre)
    for n, (client, role) in enumerate(
        [(first, CareRole.REFERENCE), (first, CareRole.COUNSELLOR), (second, CareRole.REFERENCE)]
    ):
        CareTeamMember.objects.create(
            client=client,
            user=UserFactory(centre=centre),
            role=role,
            start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
    return first, second


def test_gives_the_rows_of_the_queryset_for_each_value(two_clients):
    read = PreparedRead(_care_team)
    for client in (*two_clients, ClientFactory()):
        assert _facts(read.list(client.pk)) == _facts(_care_team(client.pk))
    assert len(read.list(two_clients[0].pk)) == 2
    assert read.list(10**9) == []


def test_builds_its_sql_once_and_runs_one_query_with_the_related_rows(two_clients, monkeypatch):
    read = PreparedRead(_care_team)
    read.list(two_clients[0].pk)  # the first call compiles
    compiles = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        members = read.list(two_clients[1].pk)
        assert [m.user.username for m in members]  # select_related: no query more
    assert len(queries.captured_queries) == 1
    assert compiles == []
    assert {m.client_id for m in members} == {two_clients[1].pk}
    logged = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":  # prepared on the server: its values travel apart
        assert '"clients_careteammember"."client_id" = $1' in logged
    else:
        assert str(two_clients[1].pk) in logged


def _prepared_on_server() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_on_postgresql_a_read_is_prepared_on_the_server_unless_told_not_to(
    two_clients, monkeypatch
):
    """fix 83: PostgreSQL plans the reads every page repeats once per connection."""
    first, second = two_clients
    read = PreparedRead(_care_team)
    for client in (first, second, first):
        assert read.list(client.pk) == list(_care_team(client.pk))
    if connection.vendor != "postgresql":
        assert not prepares_on_server(connection)
        return
    assert prepares_on_server(connection)
    prepared = [sql for sql in _prepared_on_server() if '"clients_careteammember"' in sql]
    assert len(prepared) == 1  # once, whatever the value
    assert '"clients_careteammember"."client_id" = $1' in prepared[0]

    # DB_PREPARED_STATEMENTS=false: the settings give no prepare_threshold.
    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items()}
    options.pop("prepare_threshold")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    unprepared = PreparedRead(lambda pk: _care_team(pk).order_by("-pk"))
    assert unprepared.list(second.pk) == list(_care_team(second.pk).order_by("-pk"))
    assert not any(
        'ORDER BY "clients_careteammember"."id" DESC' in sql for sql in _prepared_on_server()
    )


def test_binds_dates_as_django_would(centre):
    client = ClientFactory(centre=centre)
    for start in ("2023-01-01", "2024-06-01", "2025-03-15"):
        IncomeRight.objects.create(
            client=client, kind="leefloon", start_date=datetime.date.fromisoformat(start)
        )

    def started_by(client_id, day):
        return IncomeRight.objects.filter(client_id=client_id, start_date__lte=day).order_by("pk")

    read = PreparedRead(started_by, kinds=(int, datetime.date))
    for day in ("2022-12-31", "2023-01-01", "2024-12-31", "2026-01-01"):
        day = datetime.date.fromisoformat(day)
        assert read.list(client.pk, day) == list(started_by(client.pk, day))
    assert len(read.list(client.pk, datetime.date(2024, 12, 31))) == 2


def test_puts_each_argument_in_its_own_place(two_clients):
    first, second = two_clients
    read = PreparedRead(
        lambda user_id, client_id: CareTeamMember.objects.filter(
            client_id=client_id, user_id=user_id
        ),
        kinds=(int, int),
    )
    for member in CareTeamMember.objects.all():
        assert read.list(member.user_id, member.client_id) == [member]
        other = first if member.client_id == second.pk else second
        assert read.list(member.user_id, other.pk) == []
        assert read.list(member.client_id, member.user_id) == list(
            CareTeamMember.objects.filter(client_id=member.user_id, user_id=member.client_id)
        )


def test_keeps_the_constants_of_the_query(two_clients):
    read = PreparedRead(lambda client_id: _care_team(client_id).filter(role=CareRole.REFERENCE)[:5])
    assert [m.role for m in read.list(two_clients[0].pk)] == [CareRole.REFERENCE]


def test_refuses_a_query_whose_sql_depends_on_the_value(two_clients):
    read = PreparedRead(lambda n: CareTeamMember.objects.filter(pk__in=list(range(n % 5))))
    with pytest.raises(ImproperlyConfigured):
        read.list(3)


def test_refuses_a_parameter_derived_from_an_argument(two_clients):
    read = PreparedRead(lambda n: CareTeamMember.objects.filter(pk=n + 1))
    with pytest.raises(ImproperlyConfigured):
        read.list(3)


def test_refuses_a_related_manager(two_clients):
    client = two_clients[0]
    read = PreparedRead(lambda n: client.care_team.filter(pk=n))
    with pytest.raises(ImproperlyConfigured):
        read.list(1)


def test_refuses_arguments_of_the_wrong_kind(two_clients):
    read = PreparedRead(_care_team)
    with pytest.raises(TypeError):
        read.list("1")
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(_care_team, kinds=(float,))


def _live_sessions(key, now):
    return Session.objects.filter(session_key=key, expire_date__gt=now)


def test_binds_strings_and_aware_datetimes_as_django_would(db):
    noon = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    for n, key in enumerate(["a" * 32, "b" * 32, "c" * 32]):
        Session.objects.create(
            session_key=key, session_data="{}", expire_date=noon + datetime.timedelta(hours=n)
        )
    read = PreparedRead(_live_sessions, kinds=(str, datetime.datetime))
    brussels = datetime.timezone(datetime.timedelta(hours=1))
    for key in ("a" * 32, "b" * 32, "c" * 32, "d" * 32, "a' OR '1'='1"):
        for now in (
            noon - datetime.timedelta(minutes=1),
            noon + datetime.timedelta(minutes=30),
            datetime.datetime(2026, 3, 1, 14, 30, tzinfo=brussels),  # 13:30 UTC
            noon + datetime.timedelta(days=1),
        ):
            assert read.list(key, now) == list(_live_sessions(key, now)), (key, now)
    assert read.first("b" * 32, datetime.datetime(2026, 3, 1, 13, 30, tzinfo=brussels)).pk == (
        "b" * 32
    )


def test_refuses_naive_datetimes_and_other_kinds_for_them(db):
    read = PreparedRead(_live_sessions, kinds=(str, datetime.datetime))
    with pytest.raises(TypeError):
        read.list("a" * 32, datetime.datetime(2026, 3, 1, 12, 0))  # naive
    with pytest.raises(TypeError):
        read.list("a" * 32, datetime.date(2026, 3, 1))
    with pytest.raises(TypeError):
        read.list(7, datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))


@pytest.mark.django_db(transaction=True)
def test_another_thread_runs_it_on_its_own_connection(two_clients):
    read = PreparedRead(_care_team)
    expected = _facts(_care_team(two_clients[0].pk))
    assert _facts(read.list(two_clients[0].pk)) == expected  # compiled in this thread
    seen = {}

    def other():
        from django.db import connections

        theirs = connections["default"]
        try:
            with CaptureQueriesContext(theirs) as queries:
                seen["rows"] = _facts(read.list(two_clients[0].pk))
            seen["queries"] = len(queries.captured_queries)
            seen["connection"] = theirs
        finally:
            theirs.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen["rows"] == expected
    assert seen["queries"] == 1  # ran on the thread's own connection
    assert seen["connection"] is not connections["default"]


def test_a_dossier_key_larger_than_any_key_is_not_found(client, alice, password, client_record):
    client.login(username=alice.username, password=password)
    assert client.get(f"/clients/{client_record.pk}/").status_code == 200
    assert client.get(f"/clients/{2**63}/").status_code == 404
    assert client.get(f"/clients/{10**30}/rights/").status_code == 404


def _rights_of(ids, day):
    return IncomeRight.objects.filter(client_id__in=ids, start_date__lte=day).order_by("pk")


def test_keys_read_gives_the_rows_of_any_number_of_keys(centre, monkeypatch):
    clients = [ClientFactory(centre=centre) for _ in range(7)]
    for n, client in enumerate(clients):
        for year in range(2020, 2020 + n % 3 + 1):
            IncomeRight.objects.create(
                client=client, kind="leefloon", start_date=datetime.date(year, 1, 1)
            )
    read = KeysRead(_rights_of, size=3, kinds=(datetime.date,))
    day = datetime.date(2021, 6, 1)
    keys = [c.pk for c in clients]
    read.list(keys[:1], day)  # the first call compiles
    compiles = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)
    )
    for count in (0, 1, 2, 3, 4, 7):
        some = keys[:count]
        with CaptureQueriesContext(connection) as queries:
            rows = read.list(some, day)
        assert compiles == []
        assert len(queries.captured_queries) == -(-count // 3)  # one per three keys
        assert sorted(r.pk for r in rows) == [r.pk for r in _rights_of(some, day)], count
        compiles.clear()  # the line above compiled the queryset it compares with
    assert read.list([keys[1], keys[1]], day) == list(_rights_of([keys[1]], day))


# --- lists of ids (IdIn) -------------------------------------------------------------------------


def _team_of(client_ids, role):
    return (
        CareTeamMember.objects.filter(IdIn("client_id", client_ids), role=role)
        .order_by("pk")
        .values_list("pk", "client_id", "user__username")
    )


def test_a_list_of_ids_gives_the_rows_of_the_queryset_for_any_length(two_clients):
    first, second = two_clients
    read = PreparedRead(_team_of, kinds=(list, str))
    for ids in ([first.pk], [second.pk, first.pk], {first.pk, second.pk, 10**9}, [10**9]):
        for role in (CareRole.REFERENCE, CareRole.COUNSELLOR):
            assert read.list(ids, role) == list(_team_of(ids, role))
    assert len(read.list([first.pk, second.pk], CareRole.REFERENCE)) == 2


def test_a_list_of_ids_is_built_once_on_postgresql(two_clients, monkeypatch):
    read = PreparedRead(_team_of, kinds=(list, str))
    read.list([two_clients[0].pk], CareRole.REFERENCE)  # the first call compiles
    compiles = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        rows = read.list([c.pk for c in two_clients], CareRole.REFERENCE)
    assert len(rows) == 2
    assert len(queries.captured_queries) == 1
    if connection.vendor == "postgresql":
        # One array parameter: the same statement for any number of ids.
        assert compiles == []
        assert "ANY(" in queries.captured_queries[0]["sql"]
    else:
        # One place per id: the statement is built for the call, as the queryset would be.
        assert compiles


def test_an_empty_list_sends_no_query(two_clients):
    read = PreparedRead(_team_of, kinds=(list, str))
    read.list([two_clients[0].pk], CareRole.REFERENCE)
    with CaptureQueriesContext(connection) as queries:
        assert read.list([], CareRole.REFERENCE) == []
    assert queries.captured_queries == []


def test_an_empty_list_that_leaves_no_rows_is_answered_without_building_again(
    two_clients, monkeypatch
):
    built = []
    read = PreparedRead(lambda *a: built.append(1) or _team_of(*a), kinds=(list, str))
    assert read.list([], CareRole.REFERENCE) == []
    assert built
    built.clear()
    compiles = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        # Whatever the other values: the statement has no rows when that list is empty.
        assert read.list([], CareRole.COUNSELLOR) == []
        assert read.list(set(), CareRole.REFERENCE) == []
    assert built == [] and compiles == [] and queries.captured_queries == []
    # A list with ids is read as before.
    monkeypatch.setattr(SQLCompiler, "as_sql", original)
    first = two_clients[0]
    assert read.list([first.pk], CareRole.REFERENCE) == list(_team_of([first.pk], "reference"))
    assert len(read.list([first.pk], CareRole.REFERENCE)) == 1


def _others_than(client_ids, role):
    return (
        CareTeamMember.objects.filter(~Q(IdIn("client_id", client_ids)) | Q(role=role))
        .order_by("pk")
        .values_list("pk", "client_id")
    )


def test_an_empty_list_that_leaves_rows_is_still_read_each_time(two_clients):
    first, second = two_clients
    read = PreparedRead(_others_than, kinds=(list, str))
    everyone = list(CareTeamMember.objects.order_by("pk").values_list("pk", "client_id"))
    assert len(everyone) == 3
    for _ in range(3):
        assert read.list([], CareRole.REFERENCE) == everyone
    gone = CareTeamMember.objects.filter(client=second).first().pk
    CareTeamMember.objects.filter(pk=gone).delete()
    assert read.list([], CareRole.REFERENCE) == [r for r in everyone if r[0] != gone]
    assert read.list([first.pk], CareRole.COUNSELLOR) == list(
        _others_than([first.pk], CareRole.COUNSELLOR)
    )


def test_refuses_a_value_derived_from_a_list_and_what_is_not_a_list(two_clients):
    ids = [c.pk for c in two_clients]
    derived = PreparedRead(
        lambda client_ids: CareTeamMember.objects.filter(client_id=client_ids[0]), kinds=(list,)
    )
    if connection.vendor == "postgresql":
        with pytest.raises(ImproperlyConfigured):
            derived.list(ids)
    read = PreparedRead(_team_of, kinds=(list, str))
    with pytest.raises(TypeError):
        read.list("12", CareRole.REFERENCE)
    with pytest.raises(TypeError):
        read.list(["a"], CareRole.REFERENCE)


def _instance(obj) -> tuple:
    """Everything a model instance holds: its values (annotations and deferred fields
    included), the related objects select_related put in it, and its state."""
    values = {key: value for key, value in obj.__dict__.items() if key != "_state"}
    related = {
        name: None if other is None else _instance(other)
        for name, other in obj._state.fields_cache.items()
    }
    return type(obj), values, related, obj._state.db, obj._state.adding


@pytest.fixture
def two_users(centre):
    with_centre = UserFactory(
        centre=centre, last_login=datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    )
    without = UserFactory(centre=None)
    return with_centre, without


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: UserModel.objects.select_related("centre").filter(pk=pk),
        lambda pk: (
            UserModel.objects.select_related("centre")
            .only("username", "centre__name")
            .filter(pk=pk)
        ),
        lambda pk: UserModel.objects.filter(pk=pk).annotate(
            team_count=Count("teams"), one=Value(1)
        ),
        lambda pk: UserModel.objects.filter(pk__gte=pk).order_by("pk"),
    ],
    ids=["select_related", "only", "annotations", "rows"],
)
def test_makes_the_instances_the_queryset_makes(two_users, build):
    read = PreparedRead(build)
    for user in (*two_users, two_users[0]):
        assert [_instance(o) for o in read.list(user.pk)] == [_instance(o) for o in build(user.pk)]
    assert read.list(10**9) == []


def test_makes_model_instances_itself_and_leaves_other_reads_to_django(two_users, monkeypatch):
    user = two_users[0]
    models = PreparedRead(lambda pk: UserModel.objects.select_related("centre").filter(pk=pk))
    values = PreparedRead(
        lambda pk: UserModel.objects.filter(pk=pk).values_list("username", flat=True)
    )
    prefetched = PreparedRead(lambda pk: UserModel.objects.filter(pk=pk).prefetch_related("teams"))
    assert [_instance(o) for o in models.list(user.pk)] == [
        _instance(o) for o in UserModel.objects.select_related("centre").filter(pk=user.pk)
    ]
    assert values.list(user.pk) == [user.username]
    assert [o.pk for o in prefetched.list(user.pk)] == [user.pk]

    def refused(self):
        raise AssertionError("Django's ModelIterable ran")

    monkeypatch.setattr(ModelIterable, "__iter__", refused)
    assert [o.centre.pk for o in models.list(user.pk)] == [user.centre.pk]  # not through it
    assert values.list(user.pk) == [user.username]  # values_list: its own iterable
    with pytest.raises(AssertionError, match="ModelIterable"):
        prefetched.list(user.pk)  # prefetch_related: the queryset's own way
