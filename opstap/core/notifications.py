"""In-app notifications, and e-mail when the centre has SMTP configured."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation

from .models import Notification
from .prepared import PreparedRead


def notify(
    *,
    user,
    kind: str,
    message: str,
    key: str,
    url: str = "",
    client_id: int | None = None,
    email: bool = True,
) -> Notification | None:
    """Notify a user once per `key`; returns None when this notification was already sent.

    `message` should be built inside translation.override(user.language) by the caller.
    """
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                centre_id=user.centre_id,
                user=user,
                kind=kind,
                message=message[:400],
                url=url,
                client_id=client_id,
                key=key[:200],
            )
    except IntegrityError:  # sent concurrently by another worker
        return None
    if email and user.email and settings.EMAIL_HOST:
        with translation.override(user.language):
            send_mail(
                subject=f"Opstap: {message[:80]}",
                message=message + (f"\n\n{url}" if url else ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
    return notification


def unread_for(user):
    """The user's unread notifications (`user` an account or its key)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)


# The count every page's header shows: one row (the count) or none (nothing unread).
_UNREAD_COUNT = PreparedRead(
    lambda user_id: (
        unread_for(user_id).values("user_id").annotate(n=Count("pk")).values_list("n", flat=True)
    )
)


def unread_count(user) -> int:
    return next(iter(_UNREAD_COUNT.list(user.pk)), 0)


def mark_read(*, user, pk: int | None = None) -> int:
    """Mark one (or every) notification of the user as read."""
    qs = unread_for(user)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
