"""Links from a user account to records of other apps, edited on the administrator's user form.

Accounts does not know those apps: an app that ties accounts to its own records registers a
link in its AppConfig.ready(), e.g. the network app (a partner account belongs to one
organisation)::

    from opstap.accounts.user_links import UserLink, register_user_link

    register_user_link(UserLink(
        name="organisation",
        roles=frozenset({Role.PARTNER}),
        field=lambda centre: ListChoiceField(...),
        initial=lambda user: ...,
        save=organisation_link_save,   # save(*, actor, user, value), inside the user's transaction
        missing=_("This partner account is not linked to an organisation yet: choose it below."),
    ))

The form shows the field when the account has (or is given) one of `roles`; on the page for a
new account it is always there, since the roles are not chosen yet. A value for an account
without one of the roles is refused at the field. `save` runs in the same transaction as the
user's own changes and writes its own audit entry; a ValidationError it raises names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UserLink:
    name: str  # the form field's name, also the key of the ValidationError naming it
    roles: frozenset[str]  # only accounts with one of these roles have the link
    field: Callable[[Any], Any]  # field(centre) -> a form field listing the centre's records
    initial: Callable[[Any], Any]  # initial(user) -> the current value
    save: Callable[..., None]  # save(*, actor, user, value): set, change or remove the link
    missing: Any = ""  # said after saving an account that has the role but no value yet


_links: dict[str, UserLink] = {}


def register_user_link(link: UserLink) -> None:
    """Add a link to the user form (again with the same name replaces it)."""
    _links[link.name] = link


def user_links() -> list[UserLink]:
    return list(_links.values())


def applies_to(link: UserLink, roles) -> bool:
    return bool(link.roles & set(roles or ()))


def split_values(data: dict) -> tuple[dict, dict]:
    """(the user's own fields, the values of the links) from a form's cleaned data."""
    links = {name: data[name] for name in _links if name in data}
    own = {key: value for key, value in data.items() if key not in links}
    return own, links


def missing_messages(user) -> list:
    """What is still to choose for this account: links its roles call for that have no value."""
    return [
        link.missing
        for link in _links.values()
        if link.missing and applies_to(link, user.role_set) and link.initial(user) is None
    ]


def save_links(*, actor, user, values: dict) -> None:
    """Save each link's value; an account without the link's roles loses the link."""
    for name, link in _links.items():
        if name in values:
            link.save(actor=actor, user=user, value=values[name])
        elif not applies_to(link, user.role_set):
            link.save(actor=actor, user=user, value=None)
