from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.clients.selectors import own_caseload_count, upcoming_appointments_for_worker


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what needs doing today, then shortcuts."""
    user = request.user
    if user.role_set == {Role.PARTNER}:
        return redirect("core:partner-home")
    # The size of the worker's own caseload, as the caseload page counts it unfiltered (a
    # statement built once); no one else has one.
    own = own_caseload_count(user) if user.role_set & CASEWORK_ROLES else 0
    context = {"caseload_count": own}
    if apps.is_installed("opstap.dashboards"):
        from opstap.dashboards.home import start_page_context

        context.update(start_page_context(request))
    else:
        context["appointments"] = {"week": upcoming_appointments_for_worker(user)[:20]}
    return render(request, "core/home.html", context)


@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    # The partner portal lives with the partner organisations.
    return redirect("network:partner-home")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; opening the page marks them read."""
    from django.core.paginator import Paginator

    from .models import Notification
    from .notifications import mark_read

    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    unread_ids = {n.pk for n in page if n.read_at is None}
    mark_read(user=request.user)
    return render(request, "core/notifications.html", {"page": page, "unread_ids": unread_ids})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
