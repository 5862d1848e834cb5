"""Schemas and types shared by every app's endpoints."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value):
    # Only YYYY-MM-DD: pydantic would also take a number as a Unix timestamp (a silent fix).
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        if isinstance(value, str) and _ISO_DATE.match(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    # The type is translated in opstap.api.errors.
    raise PydanticCustomError("iso_date", "Enter a valid date (YYYY-MM-DD).")


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "2024-01-31"}),
]


class ErrorItem(Schema):
    field: str | None = None
    message: str
    type: str | None = Field(None, description="For request errors: the validation error type.")


class ErrorOut(Schema):
    """422: every problem of the request, each naming its field."""

    detail: list[ErrorItem]


class ConflictOut(ErrorOut):
    """409: the record already exists; existing_id is given when the caller may see it."""

    existing_id: int | None = None


class MessageOut(Schema):
    """401, 403, 404: one message."""

    detail: str


# Responses every authenticated operation can give.
COMMON_ERRORS = {401: MessageOut, 403: MessageOut, 422: ErrorOut}
READ_ERRORS = {**COMMON_ERRORS, 404: MessageOut}
