"""The administration of a centre: its users, offices, teams and settings. Every change is audited.

The views fetch every object through `selectors` scoped to the administrator's centre; these
functions check it again so no caller can reach into another centre by mistake.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import diff, log_action, snapshot
from opstap.core.models import Centre, Office, Team

from .models import User
from .roles import Role
from .user_links import save_links

USER_FIELDS = ["first_name", "last_name", "email", "job_title", "language", "is_active"]
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or over the phone


def temporary_password() -> str:
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def _same_centre(actor: User, *objects) -> None:
    if actor.centre_id is None or any(o.centre_id != actor.centre_id for o in objects):
        raise PermissionDenied


def _clean_user(*, centre: Centre, email: str, roles, teams) -> None:
    errors = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if not roles:
        errors["roles"] = _("Choose at least one role.")
    elif set(roles) - {r.value for r in Role}:
        errors["roles"] = _("Choose the roles from the list.")
    if any(t.centre_id != centre.pk for t in teams):
        errors["teams"] = _("Choose the teams from the list.")
    if errors:
        raise ValidationError(errors)


def _user_state(user: User) -> dict:
    state = snapshot(user, USER_FIELDS)
    state["roles"] = sorted(user.role_set)
    state["teams"] = sorted(t.name for t in user.teams.all())
    return state


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    roles,
    teams=(),
    job_title: str = "",
    language: str = "nl",
    links: dict | None = None,
) -> tuple[User, str]:
    """Create a user of the actor's centre with a temporary password they must change."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Enter a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    _clean_user(centre=actor.centre, email=email, roles=roles, teams=teams)
    password = temporary_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        language=language,
        centre=actor.centre,
        must_change_password=True,
    )
    user.set_roles(roles)
    user.set_password(password)
    user.save()
    user.teams.set(teams)
    log_action(actor=actor, action="user.created", obj=user, changes=diff({}, _user_state(user)))
    save_links(actor=actor, user=user, values=links or {})
    return user, password


@transaction.atomic
def user_update(*, actor: User, user: User, roles, teams, links=None, **fields) -> User:
    """Change a user's details, roles, teams and links (user_links). An admin stays an admin."""
    _same_centre(actor, user)
    _clean_user(centre=actor.centre, email=fields.get("email", ""), roles=roles, teams=teams)
    if user.pk == actor.pk and Role.ADMIN not in roles:
        raise ValidationError({"roles": _("You cannot remove your own administrator role.")})
    if user.pk == actor.pk and not fields.get("is_active", True):
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    old = _user_state(user)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise TypeError(name)
        setattr(user, name, value)
    user.set_roles(roles)
    user.save()
    user.teams.set(teams)
    changes = diff(old, _user_state(user))
    if changes:
        log_action(actor=actor, action="user.updated", obj=user, changes=changes)
    save_links(actor=actor, user=user, values=links or {})
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    """Lift a lock-out after too many failed log-ins."""
    _same_centre(actor, user)
    old = str(user.locked_until) if user.locked_until else None
    user.locked_until, user.failed_logins = None, 0
    user.save(update_fields=["locked_until", "failed_logins"])
    log_action(actor=actor, action="user.unlocked", obj=user, changes={"locked_until": [old, None]})


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """Give a user a new temporary password (returned once), to change at their next log-in."""
    _same_centre(actor, user)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.locked_until, user.failed_logins = None, 0
    user.save(update_fields=["password", "must_change_password", "locked_until", "failed_logins"])
    log_action(actor=actor, action="user.password_reset", obj=user)
    return password


@transaction.atomic
def user_totp_reset(*, actor: User, user: User) -> None:
    """Remove a user's second factor (a lost phone); they set up a new one at next log-in."""
    _same_centre(actor, user)
    was = user.totp_enabled
    user.totp_secret, user.totp_enabled, user.totp_last_step = "", False, None
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    log_action(
        actor=actor, action="user.totp_reset", obj=user, changes={"totp_enabled": [was, False]}
    )


def _clean_name(model, *, centre: Centre, name: str, exclude_pk=None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    clash = model.objects.filter(centre=centre, name__iexact=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("This name is already used in your centre.")})
    return name


@transaction.atomic
def office_create(*, actor: User, name: str, address: str = "") -> Office:
    """Add an office (neighbourhood centre or service location) to the actor's centre."""
    name = _clean_name(Office, centre=actor.centre, name=name)
    office = Office.objects.create(centre=actor.centre, name=name, address=address)
    log_action(actor=actor, action="office.created", obj=office, changes={"name": [None, name]})
    return office


@transaction.atomic
def office_update(*, actor: User, office: Office, name: str, address: str, active: bool) -> Office:
    """Rename an office, change its address, or (de)activate it."""
    _same_centre(actor, office)
    name = _clean_name(Office, centre=actor.centre, name=name, exclude_pk=office.pk)
    fields = ["name", "address", "active"]
    old = snapshot(office, fields)
    office.name, office.address, office.active = name, address, active
    office.save(update_fields=fields)
    changes = diff(old, snapshot(office, fields))
    if changes:
        log_action(actor=actor, action="office.updated", obj=office, changes=changes)
    return office


def _clean_office(actor: User, office: Office | None) -> None:
    if office is not None and office.centre_id != actor.centre_id:
        raise ValidationError({"office": _("Choose the office from the list.")})


@transaction.atomic
def team_create(*, actor: User, name: str, office: Office | None = None) -> Team:
    """Add a team to the actor's centre."""
    name = _clean_name(Team, centre=actor.centre, name=name)
    _clean_office(actor, office)
    team = Team.objects.create(centre=actor.centre, name=name, office=office)
    log_action(
        actor=actor,
        action="team.created",
        obj=team,
        changes=diff({}, {"name": name, "office": office}),
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str, office: Office | None) -> Team:
    """Rename a team or move it to another office."""
    _same_centre(actor, team)
    name = _clean_name(Team, centre=actor.centre, name=name, exclude_pk=team.pk)
    _clean_office(actor, office)
    old = snapshot(team, ["name", "office"])
    team.name, team.office = name, office
    team.save(update_fields=["name", "office"])
    changes = diff(old, snapshot(team, ["name", "office"]))
    if changes:
        log_action(actor=actor, action="team.updated", obj=team, changes=changes)
    return team


CENTRE_FIELDS = ["name", "hourly_premium_eur", "gpmi_evaluation_months", "require_2fa_roles"]


@transaction.atomic
def centre_update(
    *,
    actor: User,
    name: str,
    hourly_premium_eur: Decimal,
    gpmi_evaluation_months: int,
    require_2fa_roles: list[str] | tuple[str, ...] = (),
) -> Centre:
    """Change the settings of the actor's own centre."""
    centre = Centre.objects.select_for_update().get(pk=actor.centre_id)
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    if hourly_premium_eur is None or not (Decimal("0") <= hourly_premium_eur <= Decimal("100")):
        errors["hourly_premium_eur"] = _("Enter an amount between 0 and 100 euro.")
    if gpmi_evaluation_months is None or not (1 <= gpmi_evaluation_months <= 12):
        errors["gpmi_evaluation_months"] = _("Enter a number of months from 1 to 12.")
    if errors:
        raise ValidationError(errors)
    old = snapshot(centre, CENTRE_FIELDS)
    centre.name = name.strip()
    centre.hourly_premium_eur = hourly_premium_eur.quantize(Decimal("0.01"))
    centre.gpmi_evaluation_months = gpmi_evaluation_months
    chosen = sorted({str(r) for r in require_2fa_roles} & {r.value for r in Role})
    centre.require_2fa_roles = f",{','.join(chosen)}," if chosen else ""
    centre.save(update_fields=CENTRE_FIELDS)
    changes = diff(old, snapshot(centre, CENTRE_FIELDS))
    if changes:
        log_action(actor=actor, action="centre.updated", obj=centre, centre=centre, changes=changes)
    return centre
