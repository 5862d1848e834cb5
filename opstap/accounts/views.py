import pyotp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.core.audit import log_action

from .forms import LoginForm, OtpForm
from .services import login_succeeded


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        login(request, user)
        login_succeeded(user=user)
        if user.totp_enabled:
            response = redirect(f"{reverse('accounts:otp-verify')}?next={_safe_next(request)}")
        else:
            response = redirect(_safe_next(request))
        # The interface follows the user's language until they switch it.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        log_action(actor=request.user, action="user.logged_out", obj=request.user)
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = pyotp.TOTP(request.user.totp_secret)
        if totp.verify(form.cleaned_data["code"].strip(), valid_window=1):
            request.session["otp_verified"] = True
            log_action(actor=request.user, action="user.otp_verified", obj=request.user)
            return redirect(_safe_next(request))
        form.add_error("code", _("This code is not correct. Codes change every 30 seconds."))
    return render(request, "accounts/otp_verify.html", {"form": form})
