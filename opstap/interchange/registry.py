"""The files of the interchange format (spec/interchange.md) and how an app adds its own.

Each CSV file is described once by a `FileSpec`: its columns, the order in which it is
imported, a `load` function that validates and upserts the rows for one centre, and an
`export` function that yields the centre's rows. Reading, header checks, cell parsing, error
collection, the transaction, sorting and CSV writing are done here and in `engine.py`, the same
way for every file.

How another app registers its file (in its AppConfig.ready())::

    from opstap.interchange import fields
    from opstap.interchange.registry import Column, FileCounts, FileSpec, register

    def load_ladder(ctx, data):
        clients = ctx.refs["client"]          # client_ref -> Client pk (None while not written)
        counts = FileCounts()
        for row in data.rows:
            if row.ok("client_ref") and row["client_ref"] not in clients:
                ctx.error(row, "client_ref", _("No client has this reference."))
            ...                                # more checks; never query per row
        if ctx.writing:                        # False once any file had an error
            ...                                # bulk_create / bulk_update, count into `counts`
        return counts

    def export_ladder(centre):
        for position in LadderPosition.objects.filter(client__centre=centre).select_related(
            "client"
        ):
            yield {"client_ref": position.client.ref, "rung": position.rung,
                   "since": position.since}

    register(FileSpec(
        filename="ladder.csv",
        columns=(
            Column("client_ref", required=True, parse=fields.ref),
            Column("rung", required=True, parse=fields.choice(["zorg", "taal", ...])),
            Column("since", required=True, parse=fields.date, format=fields.format_date),
        ),
        order=30,                   # after clients.csv (10) and rights.csv (20)
        load=load_ladder,
        export=export_ladder,
        sort_by=("client_ref", "since"),
    ))

Rules a `load` function follows:
- `data.rows` holds every non-empty row: `row.line` (line number in the file), `row[name]` (the
  parsed value, None for an empty cell), `row.ok(*names)` (those cells parsed), `row.raw`.
  Cells that failed to parse are already reported; skip the checks that need them.
- `data.columns` are the columns the file has. On update, leave fields whose column is absent.
- Report problems with `ctx.error(row, column, message)`; keep checking the other rows, so the
  user sees every error at once. Messages are plain, translated sentences.
- Preload what you compare against in one query per table, write with bulk operations, and only
  when `ctx.writing` is true. Importing the same file twice must change nothing: count a row
  as unchanged (not updated) when its values equal what is stored, and do not write it.
- Publish your refs for later files in `ctx.refs["<noun>"]` ({ref: pk}), as clients.csv does
  for "client". A file with no ref column identifies its rows by other columns (rights.csv:
  client_ref + start_date).
- No audit entry per row: the engine writes one entry per import run with the counts.

`export` yields dicts of Python values keyed by column name; each column's `format` turns them
into text (dates ISO, decimals with a dot, booleans true/false, None empty), and rows are sorted
by the formatted `sort_by` columns, so the output is the same byte for byte every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import fields as _fields


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    # Turns a non-empty, stripped cell into a value; raises fields.CellError with a message.
    parse: Callable[[str], Any] = _fields.text
    # Turns a value back into the cell text (None -> "").
    format: Callable[[Any], str] = _fields.format_text


@dataclass
class FileCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class FileSpec:
    filename: str
    columns: tuple[Column, ...]
    order: int
    load: Callable[[Any, Any], FileCounts]
    export: Callable[[Any], Iterable[dict[str, Any]]]
    sort_by: tuple[str, ...] = ()
    required: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)


_REGISTRY: dict[str, FileSpec] = {}


def register(spec: FileSpec) -> None:
    """Add (or replace, on reload) the description of one file."""
    _REGISTRY[spec.filename] = spec


def get(filename: str) -> FileSpec | None:
    return _REGISTRY.get(filename)


def all_specs() -> list[FileSpec]:
    """Every registered file, in import order."""
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.filename))


@dataclass
class Problem:
    """One error found in the folder: where it is, what was there and what is wrong."""

    file: str
    message: str
    line: int | None = None
    column: str = ""
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": str(self.message),
        }

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        if self.value:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Row:
    line: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def ok(self, *names: str) -> bool:
        """True when these cells were present in the file and parsed without error."""
        values = self.values
        for name in names:  # a loop, not all(): called a few times for every row of a file
            if name not in values:
                return False
        return True


@dataclass
class FileData:
    spec: FileSpec
    columns: frozenset[str]
    rows: list[Row]


@dataclass
class ImportContext:
    centre: Any
    actor: Any = None
    dry_run: bool = False
    errors: list[Problem] = field(default_factory=list)
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)
    current_file: str = ""

    @property
    def writing(self) -> bool:
        """Write only while everything so far is valid (the transaction is rolled back anyway)."""
        return not self.errors

    def error(self, row: Row | None, column: str, message, value: str | None = None) -> None:
        if value is None:
            value = row.raw.get(column, "") if row is not None and column else ""
        self.errors.append(
            Problem(
                file=self.current_file,
                line=row.line if row is not None else None,
                column=column,
                value=value,
                message=str(message),
            )
        )
