from django.http import HttpRequest

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
