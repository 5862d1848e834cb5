"""The page where a user manages their personal API tokens (/api/tokens/)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .auth import second_factor_done
from .forms import TokenForm


def second_factor_required(view):
    """SecondFactorMiddleware leaves /api/ alone; a token must not bypass the second factor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not second_factor_done(request):
            if request.user.totp_enabled:
                return redirect(f"{reverse('accounts:otp-verify')}?next={request.path}")
            return redirect("accounts:otp-setup")
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@login_required
@second_factor_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and create one; a new key is shown on this response only."""
    form = TokenForm(request.POST or None)
    new_key = new_token = None
    if request.method == "POST" and form.is_valid():
        new_token, new_key = services.token_create(
            actor=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    context = {
        "form": form,
        "tokens": selectors.token_list_for(request.user),
        "new_key": new_key,
        "new_token": new_token,
        "now": timezone.now(),
        "api_base": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/token_list.html", context)


@login_required
@second_factor_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get_for(user=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens:token-list")
