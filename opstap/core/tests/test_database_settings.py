"""PostgreSQL prepares the reads every page repeats, and only those (fix 83)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from opstap.clients.models import Client

BASE_DIR = Path(settings.BASE_DIR)


def _database_options(tmp_path, env: dict[str, str]) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    environ.pop("DB_PREPARED_STATEMENTS", None)
    environ.update({"DJANGO_SETTINGS_MODULE": "config.settings", "OPSTAP_VAR_DIR": str(tmp_path)})
    environ.update(env)
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_prepare_statements_unless_told_not_to(tmp_path):
    url = "postgres://opstap@db.example.be:5432/opstap?sslmode=require"
    options = _database_options(tmp_path, {"DATABASE_URL": url})
    assert options["prepare_threshold"] == 5
    assert "server_side_binding" not in options  # other queries go as Django sends them
    assert options["sslmode"] == "require"  # what the address asks for is kept

    options = _database_options(tmp_path, {"DATABASE_URL": url, "DB_PREPARED_STATEMENTS": "false"})
    assert "prepare_threshold" not in options
    assert options["sslmode"] == "require"

    sqlite = _database_options(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert "prepare_threshold" not in sqlite


def test_a_query_of_the_orm_is_planned_for_its_values_each_time(db):
    """A name search or a centre's report, run again and again, is not prepared: a plan kept
    for one centre's values could be a poor one for another's."""
    for n in range(8):
        assert not Client.objects.filter(last_name__icontains=f"zz{n % 2}").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "clients_client"%'],
            )
            assert cursor.fetchone()[0] == 0
