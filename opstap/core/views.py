from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opstap.accounts.roles import Role
from opstap.clients.selectors import caseload_for, upcoming_appointments_for_worker


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what needs doing today, then shortcuts."""
    user = request.user
    if user.role_set == {Role.PARTNER}:
        return redirect("core:partner-home")
    context = {
        "appointments": upcoming_appointments_for_worker(user)[:20],
        "caseload_count": caseload_for(user).count(),
    }
    return render(request, "core/home.html", context)


@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    # The partner portal lives with the partner organisations.
    return redirect("network:partner-home")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
