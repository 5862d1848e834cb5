"""Statements prepared on the PostgreSQL server, for the reads every page repeats (fix 83).

Django sends a query with its values written into the SQL text, and PostgreSQL plans the text
anew each time. For the short reads of `opstap.core.prepared`, run on every request with other
values, planning cost more than answering: 8.7 ms of planning against 6.9 ms of execution for
the social worker's start page. A cursor made inside `preparing_cursors(connection)` sends the
statement with its values apart and has psycopg prepare it on the server, once per connection;
PostgreSQL plans it for the values it gets the first five times, and then, where a plan for
any value costs no more, keeps one.

Django's execute wrappers see these statements as they see any other (query counts, the
benchmark's capture). Off where the settings give no `prepare_threshold`: on SQLite, or on
PostgreSQL with `DB_PREPARED_STATEMENTS=false` (a pooler in transaction mode that cannot keep
prepared statements).
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache


def prepares_on_server(connection) -> bool:
    """Whether reads on this connection are prepared on the server."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    )


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Values bound on the server, and the statement prepared at once."""

        prepares_on_server = True

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

        def _send_query_prepared(self, name, pgq, *, binary=None):
            # psycopg keeps the statement it sends unprepared, not one it runs prepared; Django's
            # query log (DEBUG, the tests' query captures) reads it: the SQL with $1, $2 ….
            self._query = pgq
            super()._send_query_prepared(name, pgq, binary=binary)

    return PreparingCursor


@contextmanager
def preparing_cursors(connection):
    """The cursors `connection.cursor()` makes meanwhile prepare their statements (where the
    connection prepares statements at all: `prepares_on_server`)."""
    if not prepares_on_server(connection):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    factory = raw.cursor_factory
    raw.cursor_factory = _preparing_cursor_class()
    try:
        yield
    finally:
        raw.cursor_factory = factory
