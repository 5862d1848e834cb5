"""The caseload search's trigram indexes are written at once, not through a pending list.

A GIN index keeps new entries in a pending list that every search reads in full until a
vacuum merges it. One import of 20,000 clients (even rolled back) left 402 pages there, and the
surname search took 11.5 ms instead of 2.3 ms on 250,000 clients until the next vacuum; the
planner, seeing the list, also costed the index forty times higher. Without it an insert
costs about 60 microseconds more per client (20,000 clients: 1.6 s instead of 0.4 s).
Nothing on SQLite, nor where the trigram indexes could not be made (migration 0003).
"""

from django.db import migrations

INDEXES = ("client_last_name_trgm", "client_first_name_trgm")


def _set(schema_editor, sql: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)])
        for (name,) in cursor.fetchall():
            cursor.execute(sql.format(name=name))


def forward(apps, schema_editor):
    _set(schema_editor, "ALTER INDEX {name} SET (fastupdate = off)")
    # What is already pending is merged now rather than at the next vacuum.
    _set(schema_editor, "SELECT gin_clean_pending_list('{name}'::regclass)")


def backward(apps, schema_editor):
    _set(schema_editor, "ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_name_search_indexes")]

    operations = [migrations.RunPython(forward, backward)]
