import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.core.dossier import header_facts_for, sections_for
from opstap.core.models import AuditEntry
from opstap.core.pagination import SizedPaginator
from opstap.core.timeline import events_for, kind_label

from . import selectors, services
from .forms import (
    AppointmentForm,
    CareMemberForm,
    CaseloadFilterForm,
    ClientForm,
    NoteForm,
    RightForm,
)
from .models import CareTeamMember, IncomeRight
from .rows import caseload_row_html
from .utils import csv_response, form_errors_from

PAGE_SIZE = selectors.CASELOAD_PAGE
SORTS = {
    "name": selectors.NAME_ORDER,
    "-name": ("-last_name", "-first_name", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "ref": ("ref",),
    "-ref": ("-ref",),
}


def _casework_required(request: HttpRequest) -> None:
    if not (request.user.role_set & CASEWORK_ROLES):
        raise Http404


def dossier_context(client, section: str) -> dict:
    """What every dossier section needs: the header and the tabs (one home for all apps)."""
    return {
        "client": client,
        "sections": sections_for(client, section),
        "header_facts": header_facts_for(client),
        "active_right": selectors.active_right_for(client),
        "reference_worker": selectors.reference_worker_for(client),
        "today": datetime.date.today(),
    }


def _default_scope(user) -> str:
    """A head of service without a caseload of their own starts on the team's clients."""
    own = user.role_set & {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.ACTIVATION}
    return "team" if user.has_role(Role.HEAD) and not own else "mine"


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """'My clients': search first, filters beside, a count, sortable, paginated, CSV export."""
    _casework_required(request)
    form = CaseloadFilterForm(
        request.GET or None,
        centre=request.centre,
        scope=_default_scope(request.user),
        show_scope=request.user.has_role(Role.HEAD),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "name")
    plain = not request.GET or dict(request.GET.items()) == {"page": "1"}
    if plain and _default_scope(request.user) == "mine":
        # The list a worker opens all day: its size and first page, read without compiling.
        paginator = Paginator(selectors.own_caseload_first_page(request.user), PAGE_SIZE)
        paginator.count = selectors.own_caseload_count(request.user)
        page = paginator.page(1)
    else:
        right = filters.get("right")
        qs = selectors.caseload_for(
            request.user,
            search=filters.get("q", ""),
            office_id=filters["office"].pk if filters.get("office") else None,
            right_active={"active": True, "none": False}.get(right),
            care_role=filters.get("care_role", ""),
            scope=filters.get("scope") or _default_scope(request.user),
            extra=filters,
            facts=False,  # the page adds them to its own rows; the CSV does not show them
        ).order_by(*SORTS.get(sort, SORTS["name"]))
        if request.GET.get("format") == "csv":
            return csv_response(
                "clients.csv",
                [_("Reference"), _("Last name"), _("First name"), _("Birth date"), _("Office")],
                (
                    [c.ref, c.last_name, c.first_name, c.birth_date.isoformat(), c.office or ""]
                    for c in qs
                ),
            )
        # The team's or a search's page and the list's size in one read (a team of a thousand
        # dossiers: counting them was a second pass over all of them).
        page = SizedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    return render(
        request,
        "clients/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": [caseload_row_html(c) for c in selectors.with_caseload_facts(list(page))],
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "is_head": request.user.has_role(Role.HEAD),
        },
    )


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    """New dossier: a known INSZ is refused with a link; a namesake must be confirmed."""
    _casework_required(request)
    form = ClientForm(request.POST or None, centre=request.centre)
    duplicates = existing = None
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        duplicates = list(
            selectors.possible_duplicates(
                centre=request.centre,
                last_name=data["last_name"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
            )
        )
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            form.add_error(
                "confirm_duplicate",
                _("A client with the same name and birth date exists. Check it, then confirm."),
            )
        else:
            care_role = (
                "counsellor"
                if request.user.has_role(Role.COUNSELLOR)
                and not request.user.has_role(Role.SOCIAL_WORKER)
                else "reference"
            )
            try:
                client = services.client_create(
                    actor=request.user, centre=request.centre, care_role=care_role, **data
                )
            except services.DuplicateInsz as exc:
                existing = exc.existing
                form_errors_from(form, exc)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The dossier was created."))
                return redirect("clients:detail", client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "duplicates": duplicates, "existing": existing, "creating": True},
    )


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier overview: header and timeline."""
    client = selectors.client_get_for(user=request.user, pk=pk)
    context = dossier_context(client, "overview")
    events = events_for(client, request.user)
    kind = request.GET.get("kind", "")
    kinds = sorted(((k, kind_label(k)) for k in {e.kind for e in events}), key=lambda k: k[1])
    if kind:
        events = [e for e in events if e.kind == kind]
    context.update({"events": events, "kinds": kinds, "kind": kind})
    return render(request, "clients/detail.html", context)


@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    form = ClientForm(request.POST or None, instance=client, centre=request.centre)
    existing = None
    if request.method == "POST" and form.is_valid():
        # A failed ModelForm validation changed the instance in memory: reload before the service.
        fresh = selectors.client_get_for(user=request.user, pk=pk, audit=False)
        try:
            services.client_update(actor=request.user, client=fresh, **form.service_fields())
        except services.DuplicateInsz as exc:
            existing = exc.existing
            form_errors_from(form, exc)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("clients:detail", pk)
    context = dossier_context(client, "overview")
    context.update({"form": form, "existing": existing, "creating": False})
    return render(request, "clients/client_form.html", context)


@login_required
def rights(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    form = RightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.right_create(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The income right was added."))
            return redirect("clients:rights", pk)
    context = dossier_context(client, "rights")
    context.update({"form": form, "rights": selectors.rights_of(client)})
    return render(request, "clients/rights.html", context)


@login_required
def right_edit(request: HttpRequest, pk: int, right_pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    right = get_object_or_404(IncomeRight, pk=right_pk, client=client)
    form = RightForm(request.POST or None, instance=right)
    if request.method == "POST" and form.is_valid():
        right = IncomeRight.objects.get(pk=right.pk)
        try:
            services.right_update(actor=request.user, right=right, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("clients:rights", pk)
    context = dossier_context(client, "rights")
    context.update({"form": form, "right": right})
    return render(request, "clients/right_form.html", context)


@login_required
def care_team(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    form = CareMemberForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_member_add(
                actor=request.user,
                client=client,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                start_date=form.cleaned_data.get("start_date"),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The care team was updated."))
            return redirect("clients:care-team", pk)
    context = dossier_context(client, "care")
    context.update({"form": form, "members": selectors.care_team_listed(client)})
    return render(request, "clients/care_team.html", context)


@login_required
@require_POST
def care_member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk, audit=False)
    member = get_object_or_404(CareTeamMember, pk=member_pk, client=client)
    try:
        services.care_member_end(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The care team was updated."))
    return redirect("clients:care-team", pk)


@login_required
def journal(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The note was added to the journal."))
            return redirect("clients:journal", pk)
    context = dossier_context(client, "journal")
    context.update({"form": form, "notes": selectors.journal_rows_of(client, request.user)})
    return render(request, "clients/journal.html", context)


@login_required
def appointments(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(
                actor=request.user, client=client, worker=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The appointment was planned."))
            return redirect("clients:appointments", pk)
    context = dossier_context(client, "appointments")
    context.update({"form": form, "appointments": selectors.appointments_for(client)})
    return render(request, "clients/appointments.html", context)


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    client = selectors.client_get_for(user=request.user, pk=pk, audit=False)
    appointment = get_object_or_404(client.appointments, pk=appointment_pk)
    services.appointment_cancel(actor=request.user, appointment=appointment)
    messages.success(request, _("The appointment was cancelled."))
    return redirect("clients:appointments", pk)


@login_required
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened or changed this dossier: for heads of service (and administrators, below)."""
    if not request.user.has_role(Role.HEAD, Role.ADMIN):
        raise Http404
    if (
        request.user.has_role(Role.HEAD)
        and selectors.client_queryset_for(request.user).filter(pk=pk).exists()
    ):
        client = selectors.client_get_for(user=request.user, pk=pk)
        context = dossier_context(client, "access")
    elif request.user.has_role(Role.ADMIN):
        # Administrators see the log, not the dossier's content.
        from .models import Client

        client = get_object_or_404(Client, pk=pk, centre=request.centre)
        context = {"client": client, "sections": [], "admin_view": True}
    else:
        raise Http404
    entries = AuditEntry.objects.filter(client_id=client.pk).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context.update({"page": page})
    return render(request, "clients/access_log.html", context)


def dossier_url(client) -> str:
    return reverse("clients:detail", args=[client.pk])
