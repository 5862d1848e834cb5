"""shown() writes a value as `{{ value }}` does, whole numbers included."""

import datetime
import decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from opstap.core.escaping import shown

VALUE = Template("{{ value }}")
VALUES = [
    0,
    7,
    -12,
    1234567,
    True,
    False,
    1234.5,
    decimal.Decimal("-1234.50"),
    datetime.date(2024, 3, 9),
    "<b>&\"'",
    None,
]


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_shown_writes_what_the_template_writes(settings, language, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped
    with translation.override(language):
        for value in VALUES:
            assert shown(value) == VALUE.render(Context({"value": value})), value


def test_whole_numbers_are_grouped_when_thousands_are(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("nl"):
        assert shown(1234567) == "1.234.567"
    settings.USE_THOUSAND_SEPARATOR = False
    with translation.override("nl"):
        assert shown(1234567) == "1234567"
