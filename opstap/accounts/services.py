"""Log-in bookkeeping, the second factor and a user's own account. Every change is audited."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import log_action

from . import totp
from .models import User

LANGUAGES = {"nl", "fr", "en"}
WRONG_CODE = _("This code is not correct. Codes change every 30 seconds.")


def _lock_period() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


# Unknown usernames are counted too (in the cache), so "locked" appears after the same number of
# attempts whether or not the account exists: the answer never tells an attacker who has one.
def _unknown_key(username: str) -> str:
    return "login-unknown:" + hashlib.sha256(username.lower().encode()).hexdigest()


def unknown_username_locked(*, username: str) -> bool:
    locked_until = cache.get(_unknown_key(username), {}).get("locked_until")
    return locked_until is not None and locked_until > timezone.now()


def _unknown_failed(username: str) -> bool:
    key = _unknown_key(username)
    state = cache.get(key, {})
    failures = state.get("failures", 0) + 1
    if failures >= settings.LOGIN_MAX_FAILURES:
        state = {"failures": 0, "locked_until": timezone.now() + _lock_period()}
    else:
        state = {"failures": failures}
    cache.set(key, state, timeout=int(_lock_period().total_seconds()) + 3600)
    return "locked_until" in state


def login_failed(*, username: str, user: User | None = None, action: str = "user.login_failed"):
    """Count a failed password or code; lock after LOGIN_MAX_FAILURES in a row. True if locked."""
    if user is None:
        user = User.objects.filter(username=username).first()
    if user is None:
        return _unknown_failed(username)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        if user.failed_logins < settings.LOGIN_MAX_FAILURES:
            log_action(actor=None, action=action, obj=user, centre=user.centre)
            return False
        user.locked_until = timezone.now() + _lock_period()
        user.failed_logins = 0
        user.save(update_fields=["locked_until", "failed_logins"])
        log_action(
            actor=None,
            action="user.locked",
            obj=user,
            centre=user.centre,
            changes={"locked_until": [None, str(user.locked_until)]},
        )
        return True


def login_succeeded(*, user: User) -> None:
    """Reset the failure count and audit the log-in (after the second factor, if any)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        user.failed_logins, user.locked_until = 0, None
        log_action(actor=user, action="user.logged_in", obj=user)


def otp_check(*, user: User, code: str) -> bool:
    """Accept a second-factor code once. A wrong code counts as a failed log-in, and a locked
    account accepts no code at all, so codes cannot be guessed faster than passwords."""
    if user.is_locked:
        return False
    step = totp.matching_step(secret=user.totp_secret, code=code, after_step=user.totp_last_step)
    if step is None:
        login_failed(username=user.username, user=user, action="user.otp_failed")
        return False
    with transaction.atomic():
        user.totp_last_step = step
        user.save(update_fields=["totp_last_step"])
    return True


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> None:
    """Switch the second factor on once the user proved their app shows the right codes."""
    step = totp.matching_step(secret=secret, code=code)
    if step is None:
        raise ValidationError({"code": WRONG_CODE})
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, step
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    log_action(actor=user, action="user.totp_enabled", obj=user)


def totp_disable(*, user: User, code: str) -> None:
    """Switch the second factor off; needs a current code (a wrong one counts as a failure)."""
    if not otp_check(user=user, code=code):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        user.totp_secret, user.totp_enabled, user.totp_last_step = "", False, None
        user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
        log_action(actor=user, action="user.totp_disabled", obj=user)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change one's own password: the old one must be right and the new one pass the rules."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password is not correct.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor=user, action="user.password_changed", obj=user)


@transaction.atomic
def language_set(*, user: User, language: str) -> None:
    """Save the interface language of a user."""
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    old = user.language
    if old == language:
        return
    user.language = language
    user.save(update_fields=["language"])
    log_action(
        actor=user, action="user.language_set", obj=user, changes={"language": [old, language]}
    )
