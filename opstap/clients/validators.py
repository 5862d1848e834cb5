"""INSZ / national register numbers, checked with python-stdnum (regular and BIS numbers)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as StdnumError


def clean_insz(value: str) -> str:
    """Return the 11 digits of a valid INSZ, or raise a translated ValidationError."""
    digits = nn.compact(value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 11:
        raise ValidationError(_("An INSZ has 11 digits."), code="insz_length")
    for module in (nn, bis):
        try:
            module.validate(digits)
            return digits
        except StdnumError:
            continue
    raise ValidationError(
        _("This INSZ is not valid: its check digits do not match."), code="insz_checksum"
    )


def format_insz(digits: str) -> str:
    if len(digits or "") != 11:
        return digits or ""
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:11]}"


def make_insz(birth_date, sequence: int) -> str:
    """A valid INSZ for a birth date and a 3-digit sequence (for demo and test data)."""
    base = f"{birth_date:%y%m%d}{sequence % 1000:03d}"
    number = int(("2" + base) if birth_date.year >= 2000 else base)
    return base + f"{97 - number % 97:02d}"
