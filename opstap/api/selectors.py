"""Reads of API tokens: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from opstap.accounts.models import ApiToken


def token_list_for(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get_for(*, user, pk: int) -> ApiToken:
    """One of the user's own tokens, or 404 (another user's token looks missing)."""
    token = token_list_for(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
