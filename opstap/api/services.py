"""Personal API tokens: create and revoke. Each change is audited in the same transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from opstap.accounts.models import ApiToken
from opstap.core.audit import log_action


@transaction.atomic
def token_create(*, actor, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the actor, valid `days` days; returns it with its key (shown once)."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[:12],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_action(
        actor=actor,
        action="api.token_created",
        obj=token,
        changes={"name": [None, name], "expires_at": [None, str(token.expires_at)]},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token at once; it stays listed with its revocation date."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_action(
        actor=actor,
        action="api.token_revoked",
        obj=token,
        changes={"revoked_at": [None, str(token.revoked_at)]},
    )
