"""The main navigation. Each capability adds its entry here, with the roles that see it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from opstap.accounts.roles import CASEWORK_ROLES, Role

from .links import pk_url


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


def items_for(user, path: str) -> list[dict]:
    result = []
    for item in sorted(ITEMS, key=lambda i: i.order):
        if not (user.role_set & item.roles):
            continue
        try:
            url = pk_url(item.url_name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        result.append({"label": item.label, "url": url, "active": active})
    return result
