from django.http import HttpRequest
from django.utils import timezone

from .audit import request_ip


class CentreMiddleware:
    """Resolve the tenant once per request: the centre of the logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        request.centre = user.centre if user is not None and user.is_authenticated else None
        token = request_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)


class SessionRefreshMiddleware:
    """Slide the idle timeout of a signed-in session without writing it on every request.

    The session's expiry is pushed back (by saving it) at most once per REFRESH_SECONDS, so a
    session still ends SESSION_COOKIE_AGE after the last request, give or take that minute,
    and a page costs no write transaction of its own.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or session.modified:
            return response
        now = int(timezone.now().timestamp())
        if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
            session[self.KEY] = now
        return response


def session_refreshed_at_login(sender, request, user, **kwargs) -> None:
    """A log-in writes the session anyway: the next minute needs no refresh."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionRefreshMiddleware.KEY] = int(timezone.now().timestamp())
