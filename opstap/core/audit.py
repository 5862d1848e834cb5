"""The audit log: every read of a dossier and every change, written in the caller's transaction."""

from __future__ import annotations

import datetime
import decimal
from contextvars import ContextVar
from typing import Any

from django.db import models

from .models import AuditEntry

# Set per request by CentreMiddleware so services need not pass the request down.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {
        key: [_plain(old.get(key)), _plain(new.get(key))]
        for key in new
        if _plain(old.get(key)) != _plain(new.get(key))
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def log_action(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    client_id: int | None = None,
    centre=None,
    changes: dict | None = None,
) -> AuditEntry:
    """Write one audit entry (call inside the transaction of the change it records)."""
    if centre is None and obj is not None:
        centre = getattr(obj, "centre", None)
    if centre is None and actor is not None:
        centre = getattr(actor, "centre", None)
    return AuditEntry.objects.create(
        centre=centre,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        client_id=client_id,
        changes=changes or {},
        ip=request_ip.get(),
    )
