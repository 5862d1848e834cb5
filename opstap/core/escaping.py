"""HTML escaping for code that writes many small pieces of a page (options, table rows)."""

import html

from django.conf import settings
from django.utils.formats import localize
from django.utils.timezone import template_localtime


def escaped(value) -> str:
    """conditional_escape without the lazy wrapper around Django's escape: the same text.

    Safe strings keep their HTML; anything else, a lazy translation included, is turned into
    text and escaped as Django's escape does (html.escape with quotes).
    """
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def shown(value) -> str:
    """A value as `{{ value }}` writes it: a date-time in local time, localised (a decimal comma
    in Dutch), escaped.

    A whole number is written as it is unless thousands are grouped: what localize writes then,
    without looking up the language's separators first (a report table has hundreds of them).
    """
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escaped(localize(template_localtime(value)))
