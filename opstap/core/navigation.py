"""The main navigation. Each capability adds its entry here, with the roles that see it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from opstap.accounts.roles import CASEWORK_ROLES, Role

from .links import drawn_for, pk_url


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


ITEMS: list[NavItem] = [
    NavItem(_("Start"), "core:home", frozenset(r.value for r in Role if r != Role.PARTNER), 0),
    NavItem(_("Clients"), "clients:caseload", frozenset(CASEWORK_ROLES), 10),
    NavItem(_("Administration"), "accounts:admin-home", frozenset({Role.ADMIN}), 90),
]


def register(label, url_name: str, roles, order: int) -> None:
    ITEMS.append(NavItem(label, url_name, frozenset(roles), order))
    _ENTRIES.clear()


# (roles, language, script prefix, URL configuration) -> ((label, url), …) in menu order.
_ENTRIES: dict[tuple, tuple[tuple[str, str], ...]] = {}


def items_for(user, path: str) -> list[dict]:
    """The entries the user's roles see, labels in the active language, the page's marked."""
    key = (frozenset(user.role_set), *drawn_for())
    entries = _ENTRIES.get(key)
    if entries is None:
        entries = _ENTRIES[key] = _entries(key[0])
    return [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in entries
    ]


def _entries(roles: frozenset) -> tuple[tuple[str, str], ...]:
    """Worked out once per role set, language, script prefix and URL configuration: the
    sorting, the links and the translated labels were the same on every page."""
    result = []
    for item in sorted(ITEMS, key=lambda i: i.order):
        if not (roles & item.roles):
            continue
        try:
            url = pk_url(item.url_name)
        except NoReverseMatch:
            continue
        result.append((str(item.label), url))
    return tuple(result)
