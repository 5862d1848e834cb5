"""Reads whose SQL is assembled once per process, for the queries every page runs.

Django builds the SQL of a query anew each time it runs: the select list, the joins, the order
and the where clause. For the short reads every dossier page makes (the user, the client's
rights, care team, balances, contracts, placements …) that costs more than PostgreSQL needs to
answer them. A `PreparedRead` builds its statement once per database connection alias and
afterwards only puts the call's values into the parameters.

    rights = PreparedRead(
        lambda client_id: IncomeRight.objects.filter(client_id=client_id).order_by("-start_date")
    )
    rights.list(client.pk)          # -> [IncomeRight, …], as list(queryset) would give

How the values find their place: the first call builds the queryset twice, each time with its
own marker values, and compiles both. The SQL text must come out the same; a parameter that
equals the marker of an argument in both compiles is that argument's place, and every other
parameter must be equal in both (a value derived from an argument, which could not simply be
replaced, is refused). So `build` must depend on nothing but its arguments (no
`date.today()` inside: pass the day in). Arguments are integers (keys), dates, aware
date-times or strings compared as they are (a session key), each of which reaches the database
as Django itself would send it.

A list of ids (kind `list`) is for `IdIn` (opstap.core.idlist): on PostgreSQL it is one array
parameter, so the statement is the same for any length and is built once too. Elsewhere the
statement has one place per id; there, and for an empty list (which `IdIn` answers without
asking the database), the queryset is built and run as usual, except that a statement an
empty list leaves without rows is known as such after the first call.

What the result is: model instances made by Django's own iterator from Django's own compiler
state (select_related included), so they are the objects the queryset would have given.

On PostgreSQL, unless `DB_PREPARED_STATEMENTS` is off, the statement is also prepared on the
server, once per database connection: its values travel apart from it, and PostgreSQL, which
spent 0.3–1.2 ms planning each of the start page's reads anew on every request, plans it a few
times and then reuses a plan. Only these reads are prepared: each is keyed by a person, a
client or a list of them, whose plan does not depend on the values. Every other query is sent
with its values written in, as Django sends it, and planned for them (a name search, a
centre's report).
"""

from __future__ import annotations

import copy
import datetime
import operator
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.constants import MULTI

from .idlist import array_text
from .server_prepared import prepares_on_server, preparing_cursors

KINDS = (int, datetime.date, datetime.datetime, str, list)


# Marker values, one per argument and compile: inside a 32-bit integer's range (an
# out-of-range value changes the SQL Django writes) and far from any key or constant a query
# holds; dates and times in the twelfth and thirteenth centuries; strings no one types.
def _marker(kind: type, index: int, run: int):
    if kind is int:
        return (2_146_000_017, 2_145_000_028)[run] + 1_009 * index
    if kind is list:
        return [_marker(int, index, run), _marker(int, index, run) + 7]
    if kind is str:
        return f"~prepared-read-marker-{run}-{index}~"
    day = datetime.date((1111, 1212)[run] + index, 1 + run, 11 + run)
    if kind is datetime.date:
        return day
    moment = datetime.datetime(day.year, day.month, day.day, 3 + run, 17 + index, 29)
    return moment.replace(tzinfo=datetime.UTC) if settings.USE_TZ else moment


@dataclass(frozen=True)
class _Rows:
    """How a statement's rows become model instances: what Django's `ModelIterable` works out
    from the compiler on every run (the columns of each model, the value converters, the
    populators of `select_related`), worked out once. None of it holds a row or a connection:
    the converters are called with the caller's connection, as Django calls them."""

    model: type
    init_list: list[str]
    start: int
    end: int
    converters: dict
    populators: list
    annotations: dict[str, int]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (parameter position, argument index)
    rows: _Rows | None  # None: a read Django's own iterable must make (values(), prefetch)
    prepare: bool  # prepared on the database server (PostgreSQL)


class PreparedRead:
    """A list read built by `build(*args)`, compiled once per database alias."""

    def __init__(self, build: Callable[..., QuerySet], *, kinds: tuple[type, ...] = (int,)):
        for kind in kinds:
            if kind not in KINDS:
                raise ImproperlyConfigured(
                    f"PreparedRead takes int, date, datetime, str and list arguments, not {kind}"
                )
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        # (alias, positions of the empty lists) -> whether the statement has no rows then.
        self._without_rows: dict[tuple[str, tuple[int, ...]], bool] = {}
        self._model = None
        self._lock = threading.Lock()

    def list(self, *args) -> list:
        if self._model is None:
            self._model = self.build(*self._markers(0)).model
        alias = router.db_for_read(self._model)
        connection = connections[alias]  # this thread's connection
        args = [
            list(arg) if kind is list and not isinstance(arg, str | bytes) else arg
            for kind, arg in zip(self.kinds, args, strict=True)
        ]
        values = [
            self._adapt(connection, kind, arg) for kind, arg in zip(self.kinds, args, strict=True)
        ]
        empty = tuple(
            index
            for index, (kind, arg) in enumerate(zip(self.kinds, args, strict=True))
            if kind is list and not arg
        )
        if list in self.kinds and (connection.vendor != "postgresql" or empty):
            return self._built(alias, args, empty)
        compiled = self._compiled_for(alias)
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = values[index]
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        bound = (compiled.sql, tuple(params))
        compiler.as_sql = lambda *a, **k: bound
        with preparing_cursors(connection) if compiled.prepare else nullcontext():
            if compiled.rows is not None:
                return _instances(compiler, compiled.rows, alias)
            queryset = compiled.queryset.all()
            queryset.query.get_compiler = lambda *a, **k: compiler
            return list(queryset)

    def first(self, *args):
        rows = self.list(*args)
        return rows[0] if rows else None

    def _built(self, alias: str, args: list, empty: tuple[int, ...]) -> list:
        """The read built and run as its queryset: elsewhere than on PostgreSQL, or with an
        empty list of ids.

        As the statement depends on nothing but which lists are empty, so does whether it can
        have rows at all: a statement that compiles to none (`IdIn` of no ids in the where
        clause's AND, which Django answers without asking the database) is remembered for
        that alias and those empty lists, and answered at once afterwards, with the empty
        list Django would give. A head's start page read five such lists on every visit.
        """
        key = (alias, empty)
        if empty and self._without_rows.get(key):
            return []
        queryset = self.build(*args).using(alias)
        if empty and key not in self._without_rows:
            try:
                queryset.query.get_compiler(using=alias).as_sql()
            except EmptyResultSet:
                self._without_rows[key] = True
                return []
            self._without_rows[key] = False
        return list(queryset)

    def _markers(self, run: int) -> list:
        return [_marker(kind, index, run) for index, kind in enumerate(self.kinds)]

    def _compiled_for(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = compiled
        return compiled

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        runs = []
        for run in (0, 1):
            queryset = self.build(*self._markers(run)).using(alias)
            if queryset._known_related_objects or queryset._result_cache is not None:
                raise ImproperlyConfigured("build a PreparedRead from a model's manager")
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            runs.append((queryset, compiler, sql, tuple(params)))
        (queryset, compiler, sql, params), (_, _, sql2, params2) = runs
        if sql != sql2 or len(params) != len(params2):
            raise ImproperlyConfigured("the SQL of a PreparedRead depends on its argument values")
        adapted = [
            [
                self._adapt(connection, kind, marker)
                for kind, marker in zip(self.kinds, self._markers(run), strict=True)
            ]
            for run in (0, 1)
        ]
        slots = []
        for position, (first, second) in enumerate(zip(params, params2, strict=True)):
            index = next(
                (
                    i
                    for i in range(len(self.kinds))
                    if first == adapted[0][i] and second == adapted[1][i]
                ),
                None,
            )
            if index is not None:
                slots.append((position, index))
            elif first != second:
                raise ImproperlyConfigured(
                    "a parameter of a PreparedRead is derived from an argument: pass it in"
                )
        rows = _rows_of(queryset, compiler)
        prepare = prepares_on_server(connection)
        return _Compiled(queryset, compiler, sql, params, tuple(slots), rows, prepare)

    @staticmethod
    def _adapt(connection, kind: type, value):
        if kind is int:
            return operator.index(value)
        if kind is list:
            if not isinstance(value, list):
                raise TypeError(f"expected a list of ids, got {value!r}")
            return array_text([operator.index(i) for i in value])
        if kind is str:
            if not isinstance(value, str):
                raise TypeError(f"expected a string, got {value!r}")
            return value
        if kind is datetime.datetime:
            if not isinstance(value, datetime.datetime):
                raise TypeError(f"expected a date and time, got {value!r}")
            if settings.USE_TZ and value.utcoffset() is None:
                raise TypeError(f"expected an aware date and time, got {value!r}")
            return connection.ops.adapt_datetimefield_value(value)
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise TypeError(f"expected a date, got {value!r}")
        return connection.ops.adapt_datefield_value(value)


def _rows_of(queryset: QuerySet, compiler) -> _Rows | None:
    """What `ModelIterable` would work out for this compiled statement, or None where the
    queryset's own iterable must run: values() and values_list(), prefetch_related, and
    composite keys."""
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or compiler.klass_info is None
    ):
        return None
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return None
    select_fields = compiler.klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Rows(
        model=compiler.klass_info["model"],
        init_list=[column[0].target.attname for column in compiler.select[start:end]],
        start=start,
        end=end,
        converters=compiler.get_converters(fields),
        populators=get_related_populators(compiler.klass_info, compiler.select, queryset.db),
        annotations=dict(compiler.annotation_col_map or {}),
    )


def _instances(compiler, plan: _Rows, alias: str) -> list:
    """The model instances of the statement's rows, made as `ModelIterable` makes them."""
    rows = chain.from_iterable(compiler.execute_sql(MULTI))
    if plan.converters:
        rows = compiler.apply_converters(rows, plan.converters)
    objects = []
    for row in rows:
        obj = plan.model.from_db(alias, plan.init_list, row[plan.start : plan.end])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, position in plan.annotations.items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


class KeysRead:
    """The rows of a list of keys (`field__in=keys`), with one statement for any count.

    `build(keys, *args)` filters on `keys`, a tuple of `size` keys. The statement is built once
    with `size` places; a shorter list fills the remaining places with its last key (a key
    twice in an IN list changes nothing), a longer one is read `size` keys at a time. Meant
    for the facts of one page of a list, whose size is the page's.
    """

    def __init__(self, build: Callable[..., QuerySet], *, size: int, kinds: tuple[type, ...] = ()):
        if size < 1:
            raise ImproperlyConfigured("a KeysRead needs at least one place")
        self.size = size
        self.read = PreparedRead(
            lambda *args: build(args[:size], *args[size:]), kinds=(int,) * size + kinds
        )

    def list(self, keys, *args) -> list:
        keys = list(keys)
        rows = []
        for start in range(0, len(keys), self.size):
            chunk = keys[start : start + self.size]
            chunk += [chunk[-1]] * (self.size - len(chunk))
            rows += self.read.list(*chunk, *args)
        return rows
