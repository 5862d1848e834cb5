"""Which of a centre's tables were written: a record kept by the database itself.

Every table of Opstap's records has triggers that, on any write (the ORM, `bulk_create`,
`QuerySet.update()`, COPY of an import, plain SQL), add a row to `core_datachange` naming the
written rows' centre and table, with a random token. A row without a centre column finds its
centre through the record it belongs to (a journal note through its client, an attendance
through its enrolment's client); a row that names no centre (a user of no centre) is logged for
every centre.

`versions(centre)` gives, per table, the count, the sum of the tokens and the last id of its
rows. A committed write adds a row, so it changes them; a reader sees that exactly when it sees
the data, because the row is written in the writing transaction. A write rolled back, or a
transaction that commits after one that started later, cannot slip through: the value is the
whole set of rows, not the last number.

Writers only add rows and so never wait for one another or for a reader (a single row per
table, updated in place, would make every two writes of a centre queue, and could deadlock them
against each other's data). A table's rows of a centre are folded into one when a reader finds
more than FOLD_AT, and every night for all centres (opstap.core.tasks); folding gives a new
token, so it reads as a write.

On PostgreSQL the triggers run once per statement, over its rows (transition tables): an import
of 20,000 rows adds a row per batch. SQLite has only row triggers.

The triggers are (re)installed after every `migrate` (and `flush`): a migration that rebuilds a
table (SQLite does, for most changes) or adds one gets them back without a migration of its own.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction

# Tables whose writes no figure depends on and that are written on every read: the audit log
# (every read of a dossier is in it), notifications, API tokens (their last use), import runs
# (their progress), this record itself, and the figures kept for every process (core_keptfigure).
UNTRACKED = frozenset(
    {
        "core_auditentry",
        "core_notification",
        "core_datachange",
        "core_keptfigure",
        "accounts_apitoken",
        "interchange_importrun",
    }
)
PREFIX = "opstap_chg_"
ROW = "opstap_row"  # the written row in a centre expression: "r" on PostgreSQL, NEW/OLD on SQLite
_MAX_DEPTH = 4


def _opstap_models() -> list[type[models.Model]]:
    labels = _opstap_labels()
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in labels]


@cache
def _opstap_labels() -> frozenset[str]:
    return frozenset(
        config.label for config in apps.get_app_configs() if config.name.startswith("opstap.")
    )


def _centre_expression(model, alias: str, depth: int = 0) -> str | None:
    """SQL giving the centre id of a row of `model` named `alias`, or None if it has none."""
    from .models import Centre

    opts = model._meta
    if model is Centre:
        return f"{alias}.id"
    fields = {f.name: f for f in opts.concrete_fields}
    centre = fields.get("centre")
    if centre is not None and centre.is_relation and centre.related_model is Centre:
        return f"{alias}.{centre.column}"
    if depth >= _MAX_DEPTH:
        return None
    # Through the record the row belongs to: required links before optional ones, the client
    # first, a user (who wrote it) last.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    links = sorted(
        (f for f in opts.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)),
        key=lambda f: (f.null, f.related_model is user_model, f.name != "client", f.name),
    )
    for link in links:
        parent = link.related_model
        inner = _centre_expression(parent, f"p{depth}", depth + 1)
        if inner is None:
            continue
        key = parent._meta.get_field(link.target_field.name).column
        return (
            f"(SELECT {inner} FROM {parent._meta.db_table} p{depth} "
            f"WHERE p{depth}.{key} = {alias}.{link.column})"
        )
    return None


@cache
def tracked_tables() -> dict[str, str]:
    """Table -> SQL of its rows' centre (the row named ROW), for every table the triggers watch."""
    tracked = {}
    for model in _opstap_models():
        table = model._meta.db_table
        if table in UNTRACKED or not model._meta.managed or model._meta.proxy:
            continue
        expression = _centre_expression(model, ROW)
        if expression is not None:
            tracked[table] = expression
    return dict(sorted(tracked.items()))


@cache
def known_tables() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


@cache
def _table_pattern() -> re.Pattern:
    names = sorted(known_tables(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")


def tables_in(sql: str) -> set[str]:
    """The tables of the project that a statement names."""
    return set(_table_pattern().findall(sql))


def _trigger_name(table: str, event: str, expression: str) -> str:
    digest = hashlib.sha1(f"{table}:{event}:{expression}".encode()).hexdigest()[:8]
    return f"{PREFIX}{table}_{event}_{digest}"  # SQLite's names are per database


# --- PostgreSQL ----------------------------------------------------------------------------------

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION opstap_record_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format(
        'WITH touched AS (SELECT DISTINCT %s AS centre_id FROM %s AS r) '
        'INSERT INTO core_datachange (centre_id, table_name, token) '
        'SELECT c.id, %L, floor(random() * 2147483647)::integer FROM core_centre c '
        'WHERE c.id IN (SELECT centre_id FROM touched) '
        'OR EXISTS (SELECT 1 FROM touched WHERE centre_id IS NULL)',
        TG_ARGV[0],
        CASE TG_OP
            WHEN 'INSERT' THEN 'opstap_new'
            WHEN 'DELETE' THEN 'opstap_old'
            ELSE '(SELECT * FROM opstap_old UNION ALL SELECT * FROM opstap_new)' END,
        TG_TABLE_NAME);
    RETURN NULL;
END
$fn$;
"""

_PG_EVENTS = {
    "i": ("INSERT", "REFERENCING NEW TABLE AS opstap_new"),
    "u": ("UPDATE", "REFERENCING OLD TABLE AS opstap_old NEW TABLE AS opstap_new"),
    "d": ("DELETE", "REFERENCING OLD TABLE AS opstap_old"),
}


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pg_statements(table: str, expression: str) -> list[str]:
    return [
        f'CREATE TRIGGER {_trigger_name(table, key, expression)} AFTER {event} ON "{table}" '
        f"{referencing} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION opstap_record_change({_pg_literal(expression.replace(ROW, 'r'))})"
        for key, (event, referencing) in _PG_EVENTS.items()
    ]


# --- SQLite --------------------------------------------------------------------------------------

_SQLITE_EVENTS = {
    "i": ("INSERT", ("NEW",)),
    "u": ("UPDATE", ("OLD", "NEW")),
    "d": ("DELETE", ("OLD",)),
}


def _sqlite_statements(table: str, expression: str) -> list[str]:
    statements = []
    for key, (event, rows) in _SQLITE_EVENTS.items():
        centres = [f"({expression.replace(ROW, row)})" for row in rows]
        body = (
            "INSERT INTO core_datachange (centre_id, table_name, token) "
            f"SELECT c.id, '{table}', abs(random() % 2147483647) FROM core_centre c "
            f"WHERE c.id IN ({', '.join(centres)}) "
            + "".join(f"OR {centre} IS NULL " for centre in centres)
            + ";"
        )
        statements.append(
            f'CREATE TRIGGER {_trigger_name(table, key, expression)} AFTER {event} ON "{table}" '
            f"FOR EACH ROW BEGIN {body} END"
        )
    return statements


# --- installing ----------------------------------------------------------------------------------


def expected_triggers() -> dict[str, set[str]]:
    return {
        table: {_trigger_name(table, key, expression) for key in "iud"}
        for table, expression in tracked_tables().items()
    }


_INSTALLED = {
    "postgresql": "SELECT c.relname, t.tgname FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s AND NOT t.tgisinternal",
    "sqlite": "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
}
_DROP = {
    "postgresql": 'DROP TRIGGER IF EXISTS {name} ON "{table}"',
    "sqlite": "DROP TRIGGER IF EXISTS {name}",
}
_CREATE = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}


def installed_triggers(using: str = "default") -> dict[str, set[str]]:
    """Table -> the names of the change triggers it has now."""
    connection = connections[using]
    installed: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_INSTALLED[connection.vendor], [PREFIX + "%"])
        for table, name in cursor.fetchall():
            installed.setdefault(table, set()).add(name)
    return installed


def install_triggers(using: str = "default") -> int:
    """Create the triggers that are missing or out of date; return how many tables changed."""
    connection = connections[using]
    if connection.vendor not in _CREATE:
        return 0
    existing_tables = set(connection.introspection.table_names())
    if "core_datachange" not in existing_tables:
        return 0
    installed = installed_triggers(using)
    changed = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table, expression in tracked_tables().items():
            if table not in existing_tables:
                continue
            wanted = {_trigger_name(table, key, expression) for key in "iud"}
            present = installed.get(table, set())
            if present == wanted:
                continue
            for name in present:
                cursor.execute(_DROP[connection.vendor].format(name=name, table=table))
            for statement in _CREATE[connection.vendor](table, expression):
                cursor.execute(statement)
            changed += 1
    return changed


def triggers_after_migrate(sender, using="default", **kwargs) -> None:
    install_triggers(using)


# --- reading ------------------------------------------------------------------------------------

# A table's rows of a centre are folded into one when a reader finds more than this many.
FOLD_AT = 32
_FOLD_LOCK = 781_020_001  # with the centre id: pg_try_advisory_xact_lock's two keys


def _read(cursor, centre_id: int) -> dict[str, tuple[int, int, int]]:
    cursor.execute(
        "SELECT table_name, COUNT(*), SUM(token), MAX(id) FROM core_datachange "
        "WHERE centre_id = %s GROUP BY table_name",
        [centre_id],
    )
    return {table: (count, int(total), last) for table, count, total, last in cursor.fetchall()}


def versions(centre_id: int, using: str = "default") -> dict[str, tuple[int, int, int]]:
    """Table -> what its writes for the centre add up to (tables never written: absent).

    Any committed write changes its table's value: it adds a row. One query, unless a table has
    gathered more than FOLD_AT rows, which are then folded first.
    """
    from .models import DataChange

    with connections[using].cursor() as cursor:
        current = _read(cursor, centre_id)
        if router.db_for_write(DataChange) != using:
            return current  # a replica: the primary folds
        if any(count > FOLD_AT for count, _total, _last in current.values()):
            fold(centre_id, using=using, more_than=FOLD_AT)
            current = _read(cursor, centre_id)
    return current


def fold(centre_id: int | None = None, *, using: str = "default", more_than: int = 1) -> int:
    """Fold each table's rows of the centre (or of every centre) into one with a new token.

    The value of a folded table changes, as after a write. Writers never touch the rows that
    are there, so they never wait for this; two folds of one centre do not run at once on
    PostgreSQL (the second gives way). Returns how many tables were folded.
    """
    connection = connections[using]
    folded = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if centre_id is None:
            cursor.execute(
                "SELECT centre_id, table_name, MAX(id) FROM core_datachange "
                "GROUP BY centre_id, table_name HAVING COUNT(*) > %s",
                [more_than],
            )
        else:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_FOLD_LOCK, centre_id])
                if not cursor.fetchone()[0]:
                    return 0
            cursor.execute(
                "SELECT centre_id, table_name, MAX(id) FROM core_datachange WHERE centre_id = %s "
                "GROUP BY centre_id, table_name HAVING COUNT(*) > %s",
                [centre_id, more_than],
            )
        for centre, table, last in cursor.fetchall():
            cursor.execute(
                "DELETE FROM core_datachange WHERE centre_id = %s AND table_name = %s AND id <= %s",
                [centre, table, last],
            )
            cursor.execute(
                "INSERT INTO core_datachange (centre_id, table_name, token) VALUES (%s, %s, %s)",
                [centre, table, secrets.randbelow(2_147_483_647)],
            )
            folded += 1
    return folded
