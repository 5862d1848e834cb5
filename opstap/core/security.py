"""HTTP hardening beyond Django's own: a Content Security Policy and an API rate limit.

Content Security Policy: Opstap serves every script and style itself and writes no inline script
or style, so the policy can forbid everything else. A cross-site scripting bug then cannot run
injected script, and no other site can frame a page (clickjacking).

API rate limit: a fixed window of one minute per caller (the token, else the logged-in user,
else the address), counted in Django's cache. Over the limit the API answers 429 with
Retry-After. The limit is API_RATE_LIMIT requests per minute (0 turns it off). With several
application servers, configure a shared cache (CACHES) or the limit applies per process.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def policy_header(policy: dict[str, str] | None = None) -> str:
    return "; ".join(f"{name} {value}" for name, value in (policy or DEFAULT_POLICY).items())


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", None))

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


def _caller(request: HttpRequest) -> str:
    """Who is counted: the bearer token (hashed), else the session's user, else the address."""
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(authorization[7:].strip().encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def rate_limit_hit(key: str, limit: int, window: int = 60) -> int:
    """Count one request of `key`; 0 if allowed, else the seconds until the window ends."""
    now = int(time.time())
    start = now - now % window
    cache_key = f"ratelimit:{key}:{start}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return 0 if count <= limit else max(1, start + window - now)


class ApiRateLimitMiddleware:
    """Answer 429 to an API caller past API_RATE_LIMIT requests in the current minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        limit = getattr(settings, "API_RATE_LIMIT", 0)
        if limit and request.path.startswith(getattr(settings, "API_RATE_LIMIT_PREFIX", "/api/")):
            wait = rate_limit_hit(_caller(request), limit)
            if wait:
                response = JsonResponse(
                    {
                        "detail": _("Too many requests. Try again in %(seconds)s seconds.")
                        % {"seconds": wait}
                    },
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
