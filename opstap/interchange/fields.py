"""Cell parsers and formatters of the interchange format (dates YYYY-MM-DD, months YYYY-MM,
decimals with a dot, booleans true/false). A parser gets a non-empty, stripped cell and returns
a value or raises CellError with a plain-language message; a formatter turns a value back into
exactly the text the parser accepts, so a round trip gives the same bytes."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REF_MAX_LENGTH = 64
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")

# ISO 639-1: every two-letter language code.
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
    lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
    or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()
)


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in the user's language."""


def text(value: str) -> str:
    return value


def text_max(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(
                _("This text is too long: at most %(max)d characters.") % {"max": max_length}
            )
        return value

    return parse


def ref(value: str) -> str:
    if len(value) > REF_MAX_LENGTH:
        raise CellError(_("A reference has at most %(max)d characters.") % {"max": REF_MAX_LENGTH})
    return value


def date(value: str) -> datetime.date:
    if not _DATE.match(value):
        raise CellError(_("Write dates as YYYY-MM-DD, for example 2024-03-31."))
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CellError(_("This date does not exist.")) from None


def month(value: str) -> datetime.date:
    """A month YYYY-MM, kept as its first day."""
    if not _MONTH.match(value):
        raise CellError(_("Write months as YYYY-MM, for example 2024-03."))
    try:
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    except ValueError:
        raise CellError(_("This month does not exist.")) from None


def decimal_places(
    places: int, minimum: decimal.Decimal | None = None, maximum: decimal.Decimal | None = None
) -> Callable[[str], decimal.Decimal]:
    def parse(value: str) -> decimal.Decimal:
        if not _DECIMAL.match(value):
            raise CellError(_("Write numbers with a dot for decimals, for example 12.50."))
        number = decimal.Decimal(value)
        if -number.as_tuple().exponent > places:
            raise CellError(_("Use at most %(places)d decimals.") % {"places": places})
        if minimum is not None and number < minimum:
            raise CellError(_("The lowest allowed value is %(min)s.") % {"min": minimum})
        if maximum is not None and number > maximum:
            raise CellError(_("The highest allowed value is %(max)s.") % {"max": maximum})
        return number

    return parse


def integer(value: str) -> int:
    if not re.match(r"^-?\d+$", value):
        raise CellError(_("Write a whole number, for example 12."))
    return int(value)


def boolean(value: str) -> bool:
    if value == "true":
        return True
    if value == "false":
        return False
    raise CellError(_("Write true or false."))


def choice(codes: Iterable[str]) -> Callable[[str], str]:
    """One of a fixed list of codes (exactly as written in the spec)."""
    allowed = list(codes)

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(
                _("Unknown code. Use one of: %(codes)s.") % {"codes": ", ".join(allowed)}
            )
        return value

    return parse


def language(value: str) -> str:
    if value not in ISO_639_1:
        raise CellError(
            _("Use a two-letter ISO 639-1 language code in lower case, e.g. nl, fr, ar.")
        )
    return value


def insz(value: str) -> str:
    from opstap.clients.validators import clean_insz

    try:
        return clean_insz(value)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


def format_text(value) -> str:
    return "" if value is None else str(value)


def format_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def format_month(value: datetime.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def format_decimal(places: int) -> Callable[[decimal.Decimal | None], str]:
    def fmt(value) -> str:
        if value is None:
            return ""
        return f"{decimal.Decimal(value):.{places}f}"

    return fmt


def format_boolean(value: bool | None) -> str:
    if value is None:
        return ""
    return "true" if value else "false"
