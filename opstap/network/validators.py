from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import vat


def clean_kbo(value: str | None) -> str:
    """The KBO/BCE enterprise number as 10 digits, or "" when empty; ValidationError naming kbo."""
    value = (value or "").strip()
    if not value:
        return ""
    if not vat.is_valid(value):
        raise ValidationError(
            {
                "kbo": _(
                    "KBO enterprise number: %(value)s is not a valid number. "
                    "Use 10 digits, e.g. 0403.170.701."
                )
                % {"value": value}
            },
            code="invalid_kbo",
        )
    return vat.compact(value)
