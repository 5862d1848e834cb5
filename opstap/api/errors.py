"""One error format for the whole API: {"detail": [{"field": ..., "message": ...}]}.

Validation errors of the request (wrong types, invalid dates, unparsable JSON) and of the
services (Django ValidationError dicts naming the field) both answer 422 in this format. The
service messages are translated in the request's language (LocaleMiddleware: Accept-Language).
"""

from __future__ import annotations

import json
import re
from functools import wraps

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

# Where the request's values came from, as ninja names it in an error's location.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_items(exc: DjangoValidationError, rename: dict[str, str] | None = None) -> list[dict]:
    """A Django ValidationError as a list of {field, message}; field is None when not a field's."""
    rename = rename or {}
    if not hasattr(exc, "error_dict"):
        return [{"field": None, "message": str(message)} for message in exc.messages]
    items = []
    for field, errors in exc.error_dict.items():
        name = None if field == NON_FIELD_ERRORS else rename.get(field, field)
        for error in errors:
            for message in error.messages:
                items.append({"field": name, "message": str(message)})
    return items


def _field_from_loc(loc) -> str | None:
    """("body", "payload", "birth_date") -> "birth_date"; ("query", "size") -> "size"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # A body schema parameter adds its own name (e.g. "payload") before the field.
        if loc[0] == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or None


# Django's own wording for the common request errors: translated by Django's catalogues.
_MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "iso_date": lambda ctx: _("Enter a valid date."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "enum": lambda ctx: _(
        "Select a valid choice. That choice is not one of the available choices."
    ),
    "less_than_equal": lambda ctx: (
        _("Ensure this value is less than or equal to %(limit_value)s.")
        % {"limit_value": ctx.get("le")}
    ),
    "greater_than_equal": lambda ctx: (
        _("Ensure this value is greater than or equal to %(limit_value)s.")
        % {"limit_value": ctx.get("ge")}
    ),
}


def _pydantic_message(error: dict) -> str:
    translate = _MESSAGES.get(error.get("type", ""))
    return str(translate(error.get("ctx") or {})) if translate else str(error.get("msg", ""))


def _pydantic_items(errors: list[dict]) -> list[dict]:
    return [
        {
            "field": _field_from_loc(error.get("loc", ())),
            "message": _pydantic_message(error),
            "type": error.get("type", ""),
        }
        for error in errors
    ]


def _has_nul(request: HttpRequest, kwargs: dict) -> bool:
    """A NUL character anywhere in the path, query or body (raw, or escaped in JSON)."""
    values = [*kwargs.values(), request.path, *request.GET.keys()]
    values += [v for key in request.GET for v in request.GET.getlist(key)]
    if any("\x00" in str(value) for value in values):
        return True
    body = request.body if request.method not in ("GET", "HEAD", "OPTIONS") else b""
    return b"\x00" in body or b"\\u0000" in body


# The database's whole numbers are 64-bit: a larger one would fail in the database (500).
BIGINT_MAX = 2**63 - 1
LONG_NUMBER = re.compile(r"[+-]?[0-9]{19,}")


def _out_of_range(value, name: str | None = None, strings: bool = False) -> str | None:
    """The name of the first field holding a whole number the database cannot store, or None.

    With `strings`, digits-only text counts as a number too (path and query values, which
    arrive as text whatever their type)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (name or "") if not -BIGINT_MAX - 1 <= value <= BIGINT_MAX else None
    if isinstance(value, str) and strings:
        if LONG_NUMBER.fullmatch(value.strip()):
            return _out_of_range(int(value.strip()), name, strings)
        return None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = ((name, item) for item in value)
    else:
        return None
    for key, item in items:
        found = _out_of_range(item, key if isinstance(key, str) else name, strings)
        if found is not None:
            return found
    return None


def _number_out_of_range(request: HttpRequest, kwargs: dict) -> str | None:
    """A whole number past 64 bits in the path, the query or the JSON body: its field name."""
    query = {key: request.GET.getlist(key) for key in request.GET}
    found = _out_of_range(kwargs, strings=True) or _out_of_range(query, strings=True)
    if found is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    if "json" not in request.content_type:
        return None
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return None  # ninja answers the broken JSON itself
    return _out_of_range(body)


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers that turn bad input into 422 in the API's error format."""

    def reject_nul(view):
        # PostgreSQL cannot store or even compare text with a NUL character (DataError, 500);
        # refuse it up front, as Django's form fields do (ProhibitNullCharactersValidator).
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if _has_nul(request, kwargs):
                message = _("Null characters are not allowed.")
                detail = [{"field": None, "message": message}]
                return api.create_response(request, {"detail": detail}, status=422)
            field = _number_out_of_range(request, kwargs)
            if field is not None:
                message = _("Ensure this value is less than or equal to %(limit_value)s.") % {
                    "limit_value": BIGINT_MAX
                }
                detail = [{"field": field or None, "message": message}]
                return api.create_response(request, {"detail": detail}, status=422)
            return view(request, *args, **kwargs)

        return wrapper

    api.add_decorator(reject_nul, mode="view")

    @api.exception_handler(DjangoValidationError)
    def service_validation_error(request: HttpRequest, exc: DjangoValidationError):
        return api.create_response(request, {"detail": error_items(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def request_validation_error(request: HttpRequest, exc: NinjaValidationError):
        return api.create_response(request, {"detail": _pydantic_items(exc.errors)}, status=422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja answers 400 when the body is not JSON; report it like any other bad input.
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            detail = [{"field": None, "message": _("The request body is not valid JSON.")}]
            return api.create_response(request, {"detail": detail}, status=422)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
