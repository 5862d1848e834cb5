"""Links to pages that take integer keys, reversed once per process.

A dossier page links to each of its tabs, a caseload to each of its clients, the timeline to
each placement or enrolment: Django's `reverse` walks the URL patterns for every one of them.
`pk_url(name, *keys)` reverses the pattern once (with marker keys, per script prefix and URL
configuration) and afterwards writes the keys into it; the result is the one `reverse(name,
args=keys)` gives.
"""

from __future__ import annotations

import operator

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARKER = 918_273_645_000  # + the key's position; digits only, as every key converter accepts
_PATTERNS: dict[tuple, tuple[str, ...]] = {}


def pk_url(url_name: str, *keys: int) -> str:
    """reverse(url_name, args=keys) for keys that are non-negative integers."""
    keys = tuple(operator.index(key) for key in keys)
    if any(key < 0 for key in keys):
        return reverse(url_name, args=keys)  # what reverse says of it (no match)
    cache_key = (url_name, len(keys), get_script_prefix(), get_urlconf())
    parts = _PATTERNS.get(cache_key)
    if parts is None:
        parts = _PATTERNS[cache_key] = _split(url_name, len(keys))
    pieces = [parts[0]]
    for key, part in zip(keys, parts[1:], strict=True):
        pieces.append(str(key))
        pieces.append(part)
    return "".join(pieces)


def drawn_for() -> tuple:
    """What text written once per process for a page also depends on: the active language, the
    script prefix and the URL configuration (for the links in it). A key for keeping it."""
    return (get_language() or "", get_script_prefix(), get_urlconf())


def _split(url_name: str, count: int) -> tuple[str, ...]:
    markers = [str(_MARKER + i) for i in range(count)]
    rest = reverse(url_name, args=markers)
    parts = []
    for marker in markers:
        if rest.count(marker) != 1:
            raise ValueError(f"{url_name} does not take {count} plain keys")
        before, rest = rest.split(marker)
        parts.append(before)
    parts.append(rest)
    return tuple(parts)
