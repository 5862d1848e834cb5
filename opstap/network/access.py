"""Who may see and change what in the network app. Refused access answers 404, like missing."""

from django.http import Http404

from opstap.accounts.roles import Role

# Workers who read the catalogue and the partner list.
STAFF_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.ACTIVATION, Role.HEAD, Role.ADMIN}
)
# Who create and edit partner organisations and their places.
ORGANISATION_EDITORS = frozenset({Role.ADMIN, Role.ACTIVATION})
# Who edit the support catalogue.
CATALOGUE_EDITORS = frozenset({Role.ADMIN})


def is_staff(user) -> bool:
    return (
        user.is_authenticated and user.centre_id is not None and bool(user.role_set & STAFF_ROLES)
    )


def can_edit_organisations(user) -> bool:
    return is_staff(user) and bool(user.role_set & ORGANISATION_EDITORS)


def can_edit_catalogue(user) -> bool:
    return is_staff(user) and bool(user.role_set & CATALOGUE_EDITORS)


def require_staff(user) -> None:
    if not is_staff(user):
        raise Http404


def require_organisation_editor(user) -> None:
    if not can_edit_organisations(user):
        raise Http404


def require_catalogue_editor(user) -> None:
    if not can_edit_catalogue(user):
        raise Http404
