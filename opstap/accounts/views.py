"""Log-in, log-out, the second factor and a user's own account ("My account")."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from opstap.clients.utils import form_errors_from
from opstap.core.audit import log_action

from . import services, totp
from .forms import LanguageForm, LoginForm, OtpForm, PasswordChangeForm
from .models import User

BACKEND = settings.AUTHENTICATION_BACKENDS[0]
# Between the password and the code: who passed the password, and when. Not logged in yet.
PENDING_KEY = "otp_pending"
PENDING_SECONDS = 300
NEW_SECRET_KEY = "totp_new_secret"


def _safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def _complete_login(request: HttpRequest, user: User, target: str) -> HttpResponse:
    login(request, user, backend=BACKEND)
    request.session["otp_verified"] = user.totp_enabled
    services.login_succeeded(user=user)
    if user.must_change_password:
        response = redirect(_with_next("accounts:password-change", target))
    else:
        response = redirect(target)
    # The interface follows the user's language until they switch it.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        target = _safe_next(request)
        if not user.totp_enabled:
            return _complete_login(request, user, target)
        request.session.cycle_key()
        request.session[PENDING_KEY] = {"uid": user.pk, "at": time.time()}
        return redirect(_with_next("accounts:otp-verify", target))
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


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if pending and time.time() - pending["at"] < PENDING_SECONDS:
        return User.objects.filter(pk=pending["uid"], is_active=True, totp_enabled=True).first()
    return None


def _locked_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    messages.error(request, LoginForm.error_messages["locked"])
    return redirect("accounts:login")


@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in: a code from the authenticator app."""
    user = _pending_user(request)
    if user is None and request.user.is_authenticated:
        if request.user.totp_enabled and not request.session.get("otp_verified"):
            user = request.user
        else:
            return redirect(_safe_next(request))
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if user.is_locked:
        return _locked_out(request)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_check(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            return _complete_login(request, user, _safe_next(request))
        if user.is_locked:
            return _locked_out(request)
        form.add_error("code", services.WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form})


def _new_secret(request: HttpRequest) -> str:
    """The secret being enrolled, kept in the session until the user confirms a code."""
    secret = request.session.get(NEW_SECRET_KEY)
    if not secret:
        secret = request.session[NEW_SECRET_KEY] = totp.new_secret()
    return secret


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a second factor: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    if user.totp_enabled:
        messages.info(request, _("Your second factor is already set up."))
        return redirect("accounts:profile")
    secret = _new_secret(request)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_enable(user=user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            request.session.pop(NEW_SECRET_KEY, None)
            request.session["otp_verified"] = True
            messages.success(request, _("Your second factor is on. Keep your phone at hand."))
            return redirect(_safe_next(request, reverse("accounts:profile")))
    uri = totp.provisioning_uri(
        secret=secret, account=user.username, centre_name=user.centre.name if user.centre else ""
    )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "otpauth_uri": uri,
            "qr_svg": totp.qr_svg(uri),
            "required": user.needs_second_factor,
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: language, password and second factor."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    language_form = LanguageForm(
        request.POST if action == "language" else None, initial={"language": user.language}
    )
    disable_form = OtpForm(request.POST if action == "totp_disable" else None)
    disable_form.fields["code"].widget.attrs.pop("autofocus", None)
    if action == "language" and language_form.is_valid():
        language = language_form.cleaned_data["language"]
        services.language_set(user=user, language=language)
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        messages.success(request, _("Your language is saved."))
        return response
    if action == "totp_disable" and disable_form.is_valid():
        try:
            services.totp_disable(user=user, code=disable_form.cleaned_data["code"])
        except ValidationError as exc:
            user.refresh_from_db(fields=["locked_until", "failed_logins"])
            if user.is_locked:
                return _locked_out(request)
            form_errors_from(disable_form, exc)
        else:
            messages.success(request, _("Your second factor is off."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"language_form": language_form, "disable_form": disable_form},
    )


@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect(_safe_next(request, reverse("accounts:profile")))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": request.GET.get("next", "")},
    )
