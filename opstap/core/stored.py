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
database read. The only query of a kept figure is the one that reads the centre's values.

Only figures over a whole centre are kept: they are the same for everyone who may see them.
"""

from __future__ import annotations

import hashlib
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


def _cache_key(centre_id: int, key: str) -> str:
    return f"figure:{centre_id}:{hashlib.sha1(key.encode()).hexdigest()}"


def stored(centre_id: int, key: str, compute, *, using: str = "default"):
    """compute(), or the figure it gave before if no table it read has been written since.

    `key` names the figure and everything else it depends on (parameters, language, day).
    """
    if not enabled():
        return compute()
    current = versions(centre_id, using)
    cache = caches[CACHE]
    cache_key = _cache_key(centre_id, key)
    entry = cache.get(cache_key)
    if entry is not None:
        read_with, value = entry
        if all(current.get(table) == version for table, version in read_with.items()):
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
    read.discard("core_datachange")  # the values read by a figure counted from a kept one
    if read and read <= tracked_tables().keys():
        cache.set(cache_key, ({table: current.get(table) for table in read}, value))
    return value
