"""Figures kept between reads for as long as the data they count is unchanged.

A report over a whole centre counts every client of it: 20,000 in a city, read again on every
visit to the report or to management's start page. `stored(centre_id, key, compute)` keeps the
figure together with the values that opstap.core.changes gives each table it read, for that
centre, at the moment before it was counted. A later read uses the figure only if every one of
those tables still has the same value, that is, if no statement has written any of their rows of
that centre since (nor was that record folded). Otherwise it counts again.

- The tables are the ones the counting queries name, found in their SQL as it runs, so a report
  cannot forget one. A figure that reads a table without triggers is never kept.
- The values are read before the counting, so a figure is never older than the values it is
  kept with: a write during the counting gives a new value, and the next read counts again.
- A write to a table the figure does not read (a journal note, an appointment, an answer in a
  balance) leaves it in place.

Figures live in the "figures" cache of each process (settings.CACHES), so they cost no
database read: the only query of a kept figure is the one that reads the centre's values. They
are also written to the database (core_keptfigure), shared by every process of every server: a
process that has not counted a figure yet, or whose copy is older, takes it from there if it is
still current (one more query), so a figure is counted once after a write, not once in each
process. `SHARED_FIGURES=false` keeps them in each process only.

Only figures over a whole centre are kept: they are the same for everyone who may see them.
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from .changes import tables_in, tracked_tables, versions

CACHE = "figures"
# The tables read by the figures being counted now, outermost first: a kept figure used while
# counting another adds its tables to it, as its queries would have.
_reading: ContextVar[tuple[set[str], ...]] = ContextVar("opstap_stored_reading", default=())


def enabled() -> bool:
    return bool(getattr(settings, "STORED_FIGURES", True))


def shared() -> bool:
    return bool(getattr(settings, "SHARED_FIGURES", True))


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()


def _kept(entry, current: dict):
    """The entry if every table it read still has the value it was counted with, else None."""
    if entry is None:
        return None
    read_with, _value = entry
    return entry if all(current.get(t) == v for t, v in read_with.items()) else None


# Plain statements, the same on PostgreSQL and SQLite: they run on every first read of a
# figure in a process, and need no query built for them.
_SHARED_READ = "SELECT entry FROM core_keptfigure WHERE centre_id = %s AND key = %s"
_SHARED_WRITE = (
    "INSERT INTO core_keptfigure (centre_id, key, made_on, entry) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (centre_id, key) DO UPDATE SET made_on = excluded.made_on, entry = excluded.entry"
)


def _shared_entry(centre_id: int, digest: str):
    """The entry a process kept in the database, or None."""
    with connections["default"].cursor() as cursor:
        cursor.execute(_SHARED_READ, [centre_id, digest])
        row = cursor.fetchone()
    return pickle.loads(bytes(row[0])) if row is not None else None


def _share(centre_id: int, digest: str, entry) -> None:
    """Write the entry for every process, over whatever was there (one statement)."""
    data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
    with connections["default"].cursor() as cursor:
        cursor.execute(_SHARED_WRITE, [centre_id, digest, datetime.date.today().isoformat(), data])


def forget_centre(centre_id: int) -> int:
    """Delete the centre's shared figures now, rather than leave them until they are counted
    again or the night. Today's figures hold counts and client references, no names; an
    anonymisation deletes them all the same, so that nothing it blanks can outlive it in a
    figure kept later. Returns how many."""
    from .models import KeptFigure

    return KeptFigure.objects.filter(centre_id=centre_id).delete()[0]


def forget_old(before: datetime.date) -> int:
    """Delete the shared figures made before that day (their keys hold the day they count
    for, so none of them is read again). Returns how many."""
    from .models import KeptFigure

    return KeptFigure.objects.filter(made_on__lt=before).delete()[0]


def stored(centre_id: int, key: str, compute, *, using: str = "default", share: bool = True):
    """compute(), or the figure it gave before if no table it read has been written since.

    `key` names the figure and everything else it depends on (parameters, language, day).
    With share=False the figure stays in this process only: for what holds names, which the
    shared copies in the database do not.
    """
    if not enabled():
        return compute()
    current = versions(centre_id, using)
    cache = caches[CACHE]
    digest = _digest(key)
    cache_key = f"figure:{centre_id}:{digest}"
    entry = _kept(cache.get(cache_key), current)
    share = share and shared()
    if entry is None and share:
        entry = _kept(_shared_entry(centre_id, digest), current)
        if entry is not None:
            cache.set(cache_key, entry)
    if entry is not None:
        read_with, value = entry
        for outer in _reading.get():  # a figure counted from this one reads its tables too
            outer.update(read_with)
        return value
    read: set[str] = set()

    def capture(execute, sql, params, many, context):
        read.update(tables_in(sql))
        return execute(sql, params, many, context)

    token = _reading.set((*_reading.get(), read))
    try:
        with connections[using].execute_wrapper(capture):
            value = compute()
    finally:
        _reading.reset(token)
    # The values read by a figure counted from a kept one, and that figure's shared copy.
    read -= {"core_datachange", "core_keptfigure"}
    if read and read <= tracked_tables().keys():
        entry = ({table: current.get(table) for table in read}, value)
        cache.set(cache_key, entry)
        if share:
            _share(centre_id, digest, entry)
    return value
