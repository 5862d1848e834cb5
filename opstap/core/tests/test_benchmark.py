"""The benchmark's query counter: off by default, and when on, counts and captures SQL."""

import pickle

import pytest
from django.conf import settings

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
    assert any("clients_client" in sql for _, sql, _ in statements)


def test_refuses_a_token_that_is_not_a_file_name(counted, client, alice, password):
    client.login(username=alice.username, password=password)
    client.get("/clients/", headers={"X-Bench-Capture": "../escape"})
    assert not list(counted.iterdir())
    assert not (counted.parent / "escape.pickle").exists()
