"""The benchmark's window into a request: how many SQL queries it ran, and which.

Installed only when the server runs with BENCH_QUERY_COUNT=1 (see config/settings.py and
bench/run.py); production never loads it. Every response then carries

- ``X-Bench-Queries``: the number of SQL statements the request ran;
- ``X-Bench-Sql-Ms``: the time spent waiting for them.

When BENCH_SQL_DIR is set and the request carries ``X-Bench-Capture: <token>`` (letters, digits,
dashes), the statements and their parameters are also pickled to BENCH_SQL_DIR/<token>.pickle,
so the benchmark can replay them straight on the database and compare. Each statement is kept
with whether it ran inside a transaction block (the replay commits where the page committed)
and whether it was prepared on the server (the replay prepares it too: opstap.core.server_prepared).
"""

from __future__ import annotations

import os
import pickle
import re
import time
from pathlib import Path

from django.db import connections

TOKEN = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class _Recorder:
    def __init__(self, keep: bool):
        self.keep = keep
        self.count = 0
        self.seconds = 0.0
        self.statements: list[tuple[str, str, object, bool, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        if many and self.keep:
            params = list(params)  # an iterator would be used up by the execution
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
            if self.keep:
                connection = context["connection"]
                prepared = getattr(context["cursor"].cursor, "prepares_on_server", False)
                self.statements.append(
                    (connection.alias, sql, params, connection.in_atomic_block, prepared)
                )


class QueryCountMiddleware:
    """Count (and on request, record) the SQL each request runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        directory = os.environ.get("BENCH_SQL_DIR", "")
        self.sql_dir = Path(directory) if directory else None

    def __call__(self, request):
        token = request.headers.get("X-Bench-Capture", "")
        keep = bool(self.sql_dir and TOKEN.match(token))
        recorder = _Recorder(keep)
        with _wrapped(recorder):
            response = self.get_response(request)
            # Streaming and lazy responses have run their queries once rendered.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-Bench-Queries"] = str(recorder.count)
        response["X-Bench-Sql-Ms"] = f"{recorder.seconds * 1000:.2f}"
        if keep:
            path = self.sql_dir / f"{token}.pickle"
            path.write_bytes(pickle.dumps(recorder.statements))
        return response


class _wrapped:
    """execute_wrapper on every configured database at once."""

    def __init__(self, recorder: _Recorder):
        self.recorder = recorder
        self.contexts = []

    def __enter__(self):
        for alias in connections:
            context = connections[alias].execute_wrapper(self.recorder)
            context.__enter__()
            self.contexts.append(context)
        return self

    def __exit__(self, *exc):
        for context in reversed(self.contexts):
            context.__exit__(*exc)
        return False
