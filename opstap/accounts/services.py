"""Log-in bookkeeping and user administration. Every change is audited."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opstap.core.audit import log_action

from .models import User


def login_failed(*, username: str) -> None:
    """Count a failed log-in; lock the account after LOGIN_MAX_FAILURES in a row."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + datetime.timedelta(
                minutes=settings.LOGIN_LOCKOUT_MINUTES
            )
            user.failed_logins = 0
            user.save(update_fields=["locked_until", "failed_logins"])
            log_action(actor=None, action="user.locked", obj=user, centre=user.centre)
        else:
            log_action(actor=None, action="user.login_failed", obj=user, centre=user.centre)


def login_succeeded(*, user: User) -> None:
    """Reset the failure count and audit the log-in."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        log_action(actor=user, action="user.logged_in", obj=user)
