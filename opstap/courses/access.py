"""Who may see and change what in the modules app. Refused access answers 404, like missing.

Module staff (the casework roles) run the modules: they see the participants of every edition,
because a group course is coordinated across caseloads, propose their own clients, keep the
attendance registers and the step plans. Administrators also edit modules and editions.
Management reads modules, editions and figures, never participants. A partner contact reads the
editions of the modules its organisation delivers (schedule and numbers, no participants).
"""

from __future__ import annotations

from django.http import Http404

from opstap.accounts.roles import CASEWORK_ROLES, Role

STAFF_ROLES = frozenset(CASEWORK_ROLES)
EDITOR_ROLES = STAFF_ROLES | {Role.ADMIN}
READER_ROLES = EDITOR_ROLES | {Role.MANAGEMENT}
NAV_ROLES = READER_ROLES


def _in_centre(user) -> bool:
    return user.is_authenticated and user.centre_id is not None


def is_reader(user) -> bool:
    return _in_centre(user) and bool(user.role_set & READER_ROLES)


def can_edit(user) -> bool:
    return _in_centre(user) and bool(user.role_set & EDITOR_ROLES)


def is_staff(user) -> bool:
    """Sees participants, proposes clients, fills in registers and step plans."""
    return _in_centre(user) and bool(user.role_set & STAFF_ROLES)


def is_partner(user) -> bool:
    return _in_centre(user) and user.has_role(Role.PARTNER)


def require_reader(user) -> None:
    if not is_reader(user):
        raise Http404


def require_editor(user) -> None:
    if not can_edit(user):
        raise Http404


def require_staff(user) -> None:
    if not is_staff(user):
        raise Http404
