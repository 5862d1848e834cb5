"""The administration area of a centre: users, offices, teams, settings and the audit log.

Only administrators reach it (the audit log also heads of service); everyone else gets 404, and an
administrator only ever sees their own centre.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from opstap.clients.models import Client
from opstap.clients.utils import csv_response, form_errors_from

from . import admin_services, selectors, user_links
from .admin_area import catalogue_links
from .forms import (
    AuditFilterForm,
    CentreForm,
    OfficeForm,
    TeamForm,
    UserFilterForm,
    UserForm,
)
from .models import User
from .roles import Role

USERS_PER_PAGE = 50
AUDIT_PER_PAGE = 50
AUDIT_CSV_LIMIT = 100_000


def _role_required(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.centre is None or not request.user.has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


admin_required = _role_required(Role.ADMIN)


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@admin_required
def admin_home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = User.objects.filter(centre=request.centre).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        locked=Count("pk", filter=Q(locked_until__gt=now)),
    )
    return render(
        request,
        "accounts/admin/home.html",
        {
            "counts": counts,
            "office_count": selectors.office_list_for(admin=request.user).count(),
            "team_count": selectors.team_list_for(admin=request.user).count(),
            "catalogues": catalogue_links(),
            "second_factor_roles": [
                Role(r).label for r in sorted(request.centre.second_factor_roles)
            ],
        },
    )


# --- users -------------------------------------------------------------------------------------


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.user_list_for(
        admin=request.user, search=filters.get("q", ""), role=filters.get("role", "")
    )
    page = Paginator(qs, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/admin/user_list.html",
        {"form": form, "page": page, "query": _query_without(request, "page")},
    )


def _show_password(request: HttpRequest, user: User, password: str, created: bool) -> HttpResponse:
    """Show a temporary password once. It is never stored in a message or the session."""
    response = render(
        request,
        "accounts/admin/password_shown.html",
        {"target": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@admin_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        fields, links = user_links.split_values(form.cleaned_data)
        try:
            user, password = admin_services.user_create(actor=request.user, links=links, **fields)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            _warn_missing_links(request, user)
            return _show_password(request, user, password, created=True)
    return render(request, "accounts/admin/user_form.html", {"form": form, "target": None})


@admin_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for(admin=request.user, pk=pk)
    form = UserForm(
        request.POST or None,
        centre=request.centre,
        editing=True,
        target_roles=target.role_set,
        initial=UserForm.initial_for(target),
    )
    if request.method == "POST" and form.is_valid():
        fields, links = user_links.split_values(form.cleaned_data)
        try:
            admin_services.user_update(actor=request.user, user=target, links=links, **fields)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes to %(user)s are saved.") % {"user": target})
            if _warn_missing_links(request, target):
                return redirect("accounts:admin-user-edit", target.pk)
            return redirect("accounts:admin-users")
    return render(request, "accounts/admin/user_form.html", {"form": form, "target": target})


def _warn_missing_links(request: HttpRequest, user: User) -> bool:
    """Say what the account's roles still call for (e.g. a partner's organisation)."""
    missing = user_links.missing_messages(user)
    for message in missing:
        messages.warning(request, message)
    return bool(missing)


@require_POST
@admin_required
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for(admin=request.user, pk=pk)
    admin_services.user_unlock(actor=request.user, user=target)
    messages.success(request, _("%(user)s can log in again.") % {"user": target})
    return redirect("accounts:admin-user-edit", target.pk)


@never_cache
@require_POST
@admin_required
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for(admin=request.user, pk=pk)
    password = admin_services.user_password_reset(actor=request.user, user=target)
    return _show_password(request, target, password, created=False)


@require_POST
@admin_required
def user_totp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for(admin=request.user, pk=pk)
    admin_services.user_totp_reset(actor=request.user, user=target)
    messages.success(
        request,
        _("The second factor of %(user)s is removed. They can set up a new one.")
        % {"user": target},
    )
    return redirect("accounts:admin-user-edit", target.pk)


# --- offices and teams -------------------------------------------------------------------------


@admin_required
def office_list(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_list_for(admin=request.user).annotate(team_count=Count("team"))
    return render(request, "accounts/admin/office_list.html", {"offices": offices})


@admin_required
def office_create(request: HttpRequest) -> HttpResponse:
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office = admin_services.office_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The office %(name)s is added.") % {"name": office.name})
            return redirect("accounts:admin-offices")
    return render(request, "accounts/admin/office_form.html", {"form": form, "office": None})


@admin_required
def office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office = selectors.office_get_for(admin=request.user, pk=pk)
    initial = {"name": office.name, "address": office.address, "active": office.active}
    form = OfficeForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.office_update(actor=request.user, office=office, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The office is saved."))
            return redirect("accounts:admin-offices")
    return render(request, "accounts/admin/office_form.html", {"form": form, "office": office})


@admin_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list_for(admin=request.user).annotate(member_count=Count("members"))
    return render(request, "accounts/admin/team_list.html", {"teams": teams})


@admin_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        try:
            team = admin_services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The team %(name)s is added.") % {"name": team.name})
            return redirect("accounts:admin-teams")
    return render(request, "accounts/admin/team_form.html", {"form": form, "team": None})


@admin_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for(admin=request.user, pk=pk)
    initial = {"name": team.name, "office": team.office_id}
    form = TeamForm(request.POST or None, centre=request.centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.team_update(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("accounts:admin-teams")
    return render(request, "accounts/admin/team_form.html", {"form": form, "team": team})


# --- centre settings ---------------------------------------------------------------------------


@admin_required
def centre_settings(request: HttpRequest) -> HttpResponse:
    centre = request.centre
    initial = {name: getattr(centre, name) for name in admin_services.CENTRE_FIELDS}
    initial["require_2fa_roles"] = sorted(centre.second_factor_roles)
    form = CentreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.centre_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The settings of the centre are saved."))
            return redirect("accounts:admin-home")
    return render(request, "accounts/admin/centre_form.html", {"form": form})


# --- audit log ---------------------------------------------------------------------------------


def _audit_entries(request: HttpRequest, form: AuditFilterForm):
    filters = form.cleaned_data if form.is_valid() else {}
    client_ids = None
    if filters.get("client_ref"):
        client_ids = list(
            Client.objects.filter(
                centre=request.centre, ref=filters["client_ref"].strip()
            ).values_list("pk", flat=True)
        )
    return selectors.audit_list_for(
        user=request.user,
        actor=filters.get("actor"),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        client_ids=client_ids,
    )


def _client_refs(request: HttpRequest, entries) -> dict[int, str]:
    ids = {e.client_id for e in entries if e.client_id}
    if not ids:
        return {}
    return dict(Client.objects.filter(centre=request.centre, pk__in=ids).values_list("pk", "ref"))


def _plain_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _changes_text(changes: dict) -> str:
    """Changes as 'field: old → new; …', readable by a person and in a spreadsheet."""
    if not isinstance(changes, dict):
        return str(changes)
    parts = []
    for field, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            parts.append(f"{field}: {_plain_value(value[0])} → {_plain_value(value[1])}")
        else:
            parts.append(f"{field}: {_plain_value(value)}")
    return "; ".join(parts)


@_role_required(Role.ADMIN, Role.HEAD)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None,
        centre=request.centre,
        actions=selectors.audit_actions_for(user=request.user),
    )
    entries = _audit_entries(request, form)
    if request.GET.get("format") == "csv":
        rows = list(entries[:AUDIT_CSV_LIMIT])
        refs = _client_refs(request, rows)
        return csv_response(
            "audit-log.csv",
            [
                _("When"),
                _("Who"),
                _("Action"),
                _("Object"),
                _("Client reference"),
                _("Changes"),
                _("IP address"),
            ],
            (
                [
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                    e.actor.username if e.actor else "",
                    e.action,
                    e.object_repr,
                    refs.get(e.client_id, ""),
                    _changes_text(e.changes),
                    e.ip or "",
                ]
                for e in rows
            ),
        )
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    refs = _client_refs(request, page.object_list)
    for entry in page.object_list:
        entry.changes_text = _changes_text(entry.changes)
        entry.client_ref = refs.get(entry.client_id, "")
    return render(
        request,
        "accounts/admin/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": _query_without(request, "page", "format"),
            "is_admin": request.user.has_role(Role.ADMIN),
        },
    )
