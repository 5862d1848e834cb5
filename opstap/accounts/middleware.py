from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse


class SecondFactorMiddleware:
    """Hold a logged-in user at the door until their account is in order.

    - a user with a second factor must have entered a code in this session;
    - a user whose centre makes the second factor mandatory for their role must set one up;
    - a user given a temporary password must choose their own.
    Only the pages needed to do that (and log-out) are open meanwhile.
    """

    OPEN_URL_NAMES = (
        "accounts:login",
        "accounts:logout",
        "accounts:otp-verify",
        "accounts:otp-setup",
        "accounts:password-change",
    )
    OPEN_PREFIXES = ("/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in self.OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path not in self.open_paths()
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            target = self._door(request, user)
            if target:
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _door(request, user) -> str | None:
        if user.totp_enabled and not request.session.get("otp_verified"):
            return "accounts:otp-verify"
        if not user.totp_enabled and user.needs_second_factor:
            return "accounts:otp-setup"
        if user.must_change_password:
            return "accounts:password-change"
        return None
