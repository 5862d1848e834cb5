"""The benchmark's query counter: off by default, and when on, counts and captures SQL."""

import pickle

import pytest
from django.conf import settings
from django.db import connection

COUNTER = "opstap.core.benchmark.QueryCountMiddleware"


def test_off_by_default(client, alice, password):
    client.login(username=alice.username, password=password)
    response = client.get("/clients/")
    assert COUNTER not in settings.MIDDLEWARE
    assert "X-Bench-Queries" not in response.headers


@pytest.fixture
def counted(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_SQL_DIR", str(tmp_path))
    settings.MIDDLEWARE = [COUNTER, *settings.MIDDLEWARE]
    return tmp_path


def test_counts_queries_of_the_request(counted, client, alice, password, client_record):
    client.login(username=alice.username, password=password)
    response = client.get(f"/clients/{client_record.pk}/")
    assert response.status_code == 200
    assert int(response.headers["X-Bench-Queries"]) > 3
    assert float(response.headers["X-Bench-Sql-Ms"]) >= 0
    assert not list(counted.iterdir())  # nothing kept unless asked


def test_captures_the_statements_when_asked(counted, client, alice, password, client_record):
    client.login(username=alice.username, password=password)
    response = client.get(f"/clients/{client_record.pk}/", headers={"X-Bench-Capture": "dossier"})
    statements = pickle.loads((counted / "dossier.pickle").read_bytes())
    assert len(statements) == int(response.headers["X-Bench-Queries"])
    assert any("clients_client" in sql for _, sql, _, _, _ in statements)
    # The reads opstap.core.prepared makes are marked as prepared on PostgreSQL, and only they.
    prepared = [sql for *_, sql, _, _, on_server in statements if on_server]
    if connection.vendor == "postgresql":
        assert any('FROM "django_session"' in sql for sql in prepared)
        assert not any(sql.lstrip().upper().startswith("INSERT") for sql in prepared)
    else:
        assert prepared == []


def test_refuses_a_token_that_is_not_a_file_name(counted, client, alice, password):
    client.login(username=alice.username, password=password)
    client.get("/clients/", headers={"X-Bench-Capture": "../escape"})
    assert not list(counted.iterdir())
    assert not (counted.parent / "escape.pickle").exists()


def _captured_dossier(counted, client, alice, password, client_record):
    client.login(username=alice.username, password=password)
    client.get(f"/clients/{client_record.pk}/", headers={"X-Bench-Capture": "dossier"})
    return pickle.loads((counted / "dossier.pickle").read_bytes())


def _audit_insert(statements):
    inserts = [s for s in statements if s[1].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and "core_auditentry" in inserts[0][1]
    return inserts[0]


@pytest.mark.django_db(transaction=True)
def test_replay_commits_the_writes_the_page_committed(
    counted, client, alice, password, client_record
):
    from bench.measure import replay_ms
    from opstap.core.models import AuditEntry

    statements = _captured_dossier(counted, client, alice, password, client_record)
    insert = _audit_insert(statements)
    assert insert[3] is False  # the page wrote its audit entry in autocommit
    before = AuditEntry.objects.count()
    assert replay_ms(statements, 3) is not None
    assert AuditEntry.objects.count() == before + 3  # committed each time, as on the page


@pytest.mark.django_db(transaction=True)
def test_replay_runs_a_transaction_block_as_one(counted, client, alice, password, client_record):
    from bench.measure import replay_ms
    from opstap.core.models import AuditEntry

    alias, sql, params, _, _ = _audit_insert(
        _captured_dossier(counted, client, alice, password, client_record)
    )
    failing = (alias, "SELECT * FROM no_such_table_here", None)
    before = AuditEntry.objects.count()
    assert replay_ms([(alias, sql, params, True, False), (*failing, True, False)], 1) is None
    assert AuditEntry.objects.count() == before  # the block rolled back as a whole
    assert replay_ms([(alias, sql, params, False, False), (*failing, False, False)], 1) is None
    assert AuditEntry.objects.count() == before + 1  # in autocommit the write stayed


@pytest.mark.django_db(transaction=True)
def test_replay_prepares_on_the_server_what_the_page_prepared(
    counted, client, alice, password, client_record
):
    from bench.measure import replay_ms

    statements = _captured_dossier(counted, client, alice, password, client_record)
    session_read = next(s for s in statements if 'FROM "django_session"' in s[1])
    user_read = next(s for s in statements if 'FROM "accounts_user"' in s[1])
    marked = [(*session_read[:4], True), (*user_read[:4], False)]
    connection.close()  # a new connection, as the benchmark's own: none of the page's statements
    assert replay_ms(marked, 1) is not None
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "django_session"' in sql for sql in prepared)
    assert not any('FROM "accounts_user"' in sql for sql in prepared)


def test_the_team_caseloads_last_page_is_measured_on_its_last_page(
    client, centre, alice, carol, maria
):
    """Django's pages are numbered: "?page=last" would be the first page again."""
    from django.urls import reverse

    from bench.data import _centre_world
    from opstap.factories import CareTeamMemberFactory, ClientFactory

    for n in range(27):
        CareTeamMemberFactory(client=ClientFactory(centre=centre, ref=f"T{n}"), user=alice)
    world = _centre_world(centre)
    assert (world.head, world.team_last_page) == (carol.username, 2)
    client.force_login(carol)
    page = client.get(reverse("clients:caseload"), {"page": world.team_last_page})
    assert page.context["page"].number == 2 and len(page.context["page"]) == 2


def test_each_run_starts_without_the_figures_an_earlier_run_kept(centre, client_record):
    from bench.data import forget_kept_figures
    from opstap.clients.models import Client
    from opstap.core.models import KeptFigure
    from opstap.core.stored import stored

    stored(centre.pk, "clients", lambda: Client.objects.filter(centre=centre).count())
    assert KeptFigure.objects.filter(centre_id=centre.pk).exists()
    forget_kept_figures()
    assert not KeptFigure.objects.exists()


def _gunicorn_settings():
    import runpy

    from gunicorn.config import Config

    read = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    config = Config()
    for name, value in read.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_runs_two_sync_processes_per_cpu_and_follows_the_environment(monkeypatch):
    import os

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    defaults = _gunicorn_settings()
    assert defaults.workers == 2 * (os.cpu_count() or 1)
    assert defaults.threads == 1
    assert defaults.worker_class_str == "config.workers.ExclusiveSyncWorker"

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("WEB_THREADS", "2")
    chosen = _gunicorn_settings()
    assert (chosen.workers, chosen.threads, chosen.worker_class_str) == (3, 2, "gthread")


class _Clock:
    """Fake sessions of one test share it: it records who asked for what, in order."""

    def __init__(self):
        self.asked: list[tuple[str, str]] = []


class _FakeSession:
    def __init__(self, clock, who, status=200, square=False):
        self.clock, self.who, self.status, self.square = clock, who, status, square

    def get(self, path, headers=None):
        from bench.http import Answer

        self.clock.asked.append((self.who, path))
        n = float(len(self.clock.asked))
        ms = n * n if self.square else n
        return Answer(status=self.status, ms=ms, queries=3, sql_ms=None, location="")


def test_the_two_centres_requests_take_turns():
    from bench.measure import sequence_turns

    clock = _Clock()
    large, small = _FakeSession(clock, "large"), _FakeSession(clock, "small", status=500)
    results = sequence_turns([(large, ["/a", "/b"]), (small, ["/c"]), (None, ["/d"])], 3)
    assert clock.asked == [
        ("large", "/a"), ("small", "/c"),
        ("large", "/b"), ("small", "/c"),
        ("large", "/a"), ("small", "/c"),
    ]  # fmt: skip
    large_result, small_result, missing = results
    assert large_result.times == [1.0, 3.0, 5.0] and large_result.errors == 0
    assert small_result.times == [2.0, 4.0, 6.0] and small_result.statuses == [500] * 3
    assert missing is None


@pytest.fixture
def floor_clock(monkeypatch):
    """A clock shared by a fake session and a fake replay, with three floor rounds: the n-th
    thing asked for takes n² ms."""
    from bench import measure

    clock = _Clock()

    def replay(statements, times):
        clock.asked.append(("replay", ""))
        return float(len(clock.asked)) ** 2

    monkeypatch.setattr(measure, "replay_ms", replay)
    monkeypatch.setattr(measure, "FLOOR_ROUNDS", 3)
    return clock


def test_a_floor_round_is_one_request_then_one_replay(floor_clock, tmp_path):
    from bench import measure

    clock = floor_clock
    (tmp_path / "page.pickle").write_bytes(pickle.dumps([("default", "SELECT 1", None, False)]))
    session = _FakeSession(clock, "page", square=True)
    measure._floor(session, "page", "/p", tmp_path, replays=1)
    # the capture, then per round the page and its replay
    assert [who for who, _ in clock.asked] == ["page"] + ["page", "replay"] * 3
    # pages 2², 4², 6² ms and replays 3², 5², 7² ms: the medians, not the means
    assert measure.FLOOR_PAGE_MS["page"] == 16.0
    assert measure.FLOOR_MS["page"] == 25.0
    assert measure.FLOORS["page"] == round(16.0 / 25.0, 1)


def test_the_empty_request_is_measured_as_a_page_is(floor_clock, tmp_path):
    from bench import measure

    clock = floor_clock
    session = _FakeSession(clock, "manager", square=True)
    assert measure.empty_request_floor(session, tmp_path, replays=1) is None  # no capture
    clock.asked.clear()
    two = [("default", "SELECT 1", None, False, True), ("default", "SELECT 2", None, False, True)]
    (tmp_path / "empty-request.pickle").write_bytes(pickle.dumps(two))
    measured = measure.empty_request_floor(session, tmp_path, replays=1)
    # eight warming requests and the capture, then per round the request and its replay
    assert [who for who, _ in clock.asked] == ["manager"] * 9 + ["manager", "replay"] * 3
    assert {path for who, path in clock.asked if who == "manager"} == {"/healthz"}
    # requests 10², 12², 14² ms and replays 11², 13², 15² ms: the medians
    assert measured == {
        "path": "/healthz",
        "queries": 2,
        "p50_ms": 144.0,
        "sql_ms": 169.0,
        "floor_ratio": round(144 / 169, 1),
    }
    assert "empty-request" not in measure.FLOORS  # not a page of the table


def test_the_empty_request_reads_only_the_session_and_the_user(counted, client, maria, password):
    client.login(username=maria.username, password=password)
    response = client.get("/healthz", headers={"X-Bench-Capture": "empty"})
    assert response.status_code == 200 and response.content == b"ok"
    statements = pickle.loads((counted / "empty.pickle").read_bytes())
    tables = [sql.split(" FROM ", 1)[1].split()[0].strip('"') for _, sql, *_ in statements]
    assert tables == ["django_session", "accounts_user"]


def test_every_key_page_gets_at_least_200_requests(monkeypatch, centre, alice, carol, maria):
    """The key pages: caseload, dossier, timeline, GPMI, the partner's hours grid, every
    report page (the ladder transitions and the key figures included) and the start pages."""
    from bench import run
    from bench.data import _centre_world
    from bench.measure import pages_for

    for name in ("BENCH_REQUESTS", "BENCH_OTHER_REQUESTS", "BENCH_REPORT_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(run, "SMOKE", False)
    plan = run.Plan.from_env(postgres=True)
    counts = {
        name: count for name, _persona, _paths, count in pages_for(_centre_world(centre), plan)
    }
    key = ["caseload", "dossier", "timeline", "gpmi", "partner_hours"]
    key += ["start", "start_head", "start_management"]
    key += [name for name in counts if name.startswith("report_")]
    assert len(key) > 10 and all(name in counts for name in key)
    assert {name: counts[name] for name in key if counts[name] < 200} == {}
