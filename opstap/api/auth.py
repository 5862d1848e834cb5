"""API authentication: a personal API token (Authorization: Bearer …) or the browser session.

The token is tried first: a request that carries a bearer token is judged on that token alone, so
a bad token is refused (401) instead of silently falling back to a session cookie.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from opstap.accounts.models import ApiToken, User

# last_used_at is written at most this often per token, so busy clients do not write every call.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def second_factor_done(request: HttpRequest) -> bool:
    """The session passed the second factor where the user has one or must have one."""
    user = request.user
    if user.totp_enabled:
        return bool(request.session.get("otp_verified"))
    return not user.needs_second_factor


def token_lookup(key: str) -> ApiToken | None:
    """The valid (not expired, not revoked) token with this key, of an active user, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__centre")
        .filter(key_hash=ApiToken.hash_key(key))
        .first()
    )
    if token is None or not token.is_valid or not token.user.is_active:
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Record the use of a token, at most once per LAST_USED_GRANULARITY."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _act_as(request: HttpRequest, user: User) -> None:
    # Selectors, services and the audit log read the user and the tenant from the request.
    request.user = user
    request.centre = user.centre


class TokenAuth(HttpBearer):
    """A personal API token; only its SHA-256 hash is stored (opstap.accounts.models.ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = token_lookup(token.strip())
        if api_token is None:
            raise AuthenticationError(message=_("Invalid, expired or revoked API token."))
        token_touch(api_token)
        request.api_token = api_token
        _act_as(request, api_token.user)
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check runs in authenticate(), only for a logged-in session: an anonymous
        # request must get 401, not a CSRF error.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated or not second_factor_done(request):
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise HttpError(403, _("CSRF check failed. Send the X-CSRFToken header."))
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()

api_auth = [token_auth, session_auth]
