"""A filter on a list of ids that PostgreSQL receives as one array.

`.filter(client_id__in=ids)` writes one placeholder per id. For a head's team of a thousand
clients that costs about 5 ms a query before the database does any work: Django prepares
each value, the driver writes each into the statement and PostgreSQL parses and plans a list
of a thousand constants. `IdIn("client_id", ids)` sends `client_id = ANY(%s::bigint[])`
with the ids as one array parameter instead (1.5 ms for the same query). Other databases get
the plain `IN (...)` list, so results are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Expression, F


def array_text(ids: list[int]) -> str:
    """A PostgreSQL array literal of whole numbers: {1,2,3}."""
    return "{" + ",".join(map(str, ids)) + "}"


class IdIn(Expression):
    """`column IN ids`, for `.filter()`, `.exclude()` and `Q` combinations.

    Meant for key columns. On a column that can be NULL, `.exclude()` leaves the NULL rows
    out, as SQL's NOT IN does (Django's `__in` keeps them).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: Iterable[int]):
        super().__init__()
        self.column = F(column)
        # Whole numbers only: a string id would be a different array type (and a mistake).
        self.ids = [int(i) for i in ids]

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.column!r}, {len(self.ids)} ids)"

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        if not self.ids:
            # As `__in=[]`: nothing matches, and a query with nothing else to match is not sent.
            raise EmptyResultSet
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            # The array as its text, cast: the driver then writes one string instead of
            # checking each element (3 ms for three lists of a thousand ids).
            return f"{column} = ANY(%s::bigint[])", [*params, array_text(self.ids)]
        placeholders = ", ".join(["%s"] * len(self.ids))
        return f"{column} IN ({placeholders})", [*params, *self.ids]
