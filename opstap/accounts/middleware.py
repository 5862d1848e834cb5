from django.shortcuts import redirect
from django.urls import reverse


class SecondFactorMiddleware:
    """After the password, a user with a second factor must enter their code before anything else.

    A user whose centre makes the second factor mandatory for their role must set one up first.
    """

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            if user.totp_enabled and not request.session.get("otp_verified"):
                return redirect(f"{reverse('accounts:otp-verify')}?next={request.path}")
            if not user.totp_enabled and user.needs_second_factor:
                return redirect("accounts:otp-setup")
        return self.get_response(request)
