"""Pages of the collective modules: modules, editions, schedule, registers, enrolments."""

from __future__ import annotations

import calendar
import datetime
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opstap.clients import selectors as client_selectors
from opstap.clients.utils import form_errors_from
from opstap.clients.views import dossier_context
from opstap.network.selectors import partner_organisation_for

from . import access, gpmi_link, selectors, services
from .forms import (
    REASON_CHOICES,
    ClientSearchForm,
    DropForm,
    EditionForm,
    EvaluationForm,
    ModuleFilterForm,
    ModuleForm,
    PhaseFormSet,
    ProposeForm,
    SessionCancelForm,
    SessionMoveForm,
    StepForm,
    WithdrawForm,
)
from .models import AttendanceStatus, EnrolmentStatus, PlanStep

# --- modules ---------------------------------------------------------------------------------


def _home(request: HttpRequest):
    """Partners land on the modules their organisation delivers; others need reader roles."""
    if access.is_reader(request.user):
        return
    if not (access.is_partner(request.user) and partner_organisation_for(request.user)):
        raise Http404


@login_required
def module_list(request: HttpRequest) -> HttpResponse:
    _home(request)
    form = ModuleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    modules = list(
        selectors.module_list_for(
            request.user, search=filters.get("q", ""), show=filters.get("show") or "active"
        )
    )
    today = datetime.date.today()
    editions = list(
        selectors.edition_list_for(request.user).filter(end_date__gte=today).order_by("start_date")
    )
    return render(
        request,
        "courses/module_list.html",
        {
            "form": form,
            "modules": modules,
            "editions": editions,
            "today": today,
            "can_edit": access.can_edit(request.user),
        },
    )


def _module_form_page(request: HttpRequest, module=None) -> HttpResponse:
    access.require_editor(request.user)
    form = ModuleForm(request.POST or None, instance=module, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_save(
                actor=request.user, centre=request.centre, module=module, **form.service_fields()
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The module is saved."))
            return redirect("courses:module-detail", module.pk)
    return render(request, "courses/module_form.html", {"form": form, "module": module})


@login_required
def module_create(request: HttpRequest) -> HttpResponse:
    return _module_form_page(request)


@login_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_editor(request.user)
    return _module_form_page(request, selectors.module_get_for(user=request.user, pk=pk))


@login_required
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _home(request)
    module = selectors.module_get_for(user=request.user, pk=pk)
    return render(
        request,
        "courses/module_detail.html",
        {
            "module": module,
            "editions": list(selectors.edition_list_for(request.user, module=module)),
            "can_edit": access.can_edit(request.user),
            "today": datetime.date.today(),
        },
    )


# --- editions --------------------------------------------------------------------------------


def _edition_form_page(request: HttpRequest, module, edition=None) -> HttpResponse:
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_save(
                actor=request.user,
                centre=request.centre,
                module=module,
                edition=edition,
                **form.service_fields(),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The edition is saved."))
            if not edition.phases.exists():
                return redirect("courses:schedule-edit", edition.pk)
            return redirect("courses:edition-detail", edition.pk)
    return render(
        request, "courses/edition_form.html", {"form": form, "module": module, "edition": edition}
    )


@login_required
def edition_create(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_editor(request.user)
    return _edition_form_page(request, selectors.module_get_for(user=request.user, pk=pk))


@login_required
def edition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_editor(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=pk)
    return _edition_form_page(request, edition.module, edition)


def _weeks(sessions) -> list[tuple[int, list]]:
    weeks: OrderedDict[int, list] = OrderedDict()
    for session in sessions:
        weeks.setdefault(session.week, []).append(session)
    return list(weeks.items())


def _months(sessions) -> list[dict]:
    """Month grids (Monday to Friday) holding the sessions, for the calendar view."""
    by_day: dict[datetime.date, list] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(session)
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(year, month):
            days = [
                {"date": d, "in_month": d.month == month, "sessions": by_day.get(d, [])}
                for d in week[:5]
            ]
            weeks.append(days)
        months.append({"first": datetime.date(year, month, 1), "weeks": weeks})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@login_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _home(request)
    edition = selectors.edition_get_for(user=request.user, pk=pk)
    sessions = selectors.sessions_for(edition)
    enrolments = selectors.enrolments_for(request.user, edition)
    rates = selectors.attendance_rates(edition) if enrolments else {}
    for enrolment in enrolments:
        enrolment.rate = rates.get(enrolment.pk, selectors.Rate())
    participants = [e for e in enrolments if e.status in ("enrolled", "completed", "dropped")]
    waiting = sorted(
        (e for e in enrolments if e.status in ("waiting", "offered")),
        key=lambda e: (e.status != "offered", e.proposed_on, e.created_at),
    )
    view = request.GET.get("view", "list")
    search = ClientSearchForm(request.GET or None)
    found = []
    if access.is_staff(request.user) and search.is_valid() and search.cleaned_data["q"]:
        taken = {e.client_id for e in enrolments}
        found = [
            c
            for c in client_selectors.caseload_for(request.user, search=search.cleaned_data["q"])[
                :15
            ]
            if c.pk not in taken
        ]
    phases = list(edition.phases.all())
    week = 1
    for phase in phases:
        phase.first_week, phase.last_week = week, week + phase.weeks - 1
        week += phase.weeks
    return render(
        request,
        "courses/edition_detail.html",
        {
            "edition": edition,
            "module": edition.module,
            "phases": phases,
            "total_hours": sum(p.hours for p in phases),
            "sessions": sessions,
            "weeks": _weeks(sessions) if view == "list" else [],
            "months": _months(sessions) if view == "calendar" else [],
            "view": view,
            "participants": participants,
            "waiting": waiting,
            "is_staff": access.is_staff(request.user),
            "can_edit": access.can_edit(request.user),
            "search": search,
            "found": found,
            "searched": bool(search.is_valid() and search.cleaned_data["q"]),
            "evaluation_form": EvaluationForm(initial={"evaluation": edition.evaluation}),
            "today": datetime.date.today(),
        },
    )


@login_required
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_editor(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=pk)
    initial = [
        {
            "kind": p.kind,
            "label": p.label,
            "weeks": p.weeks,
            "hours": p.hours,
            "days_per_week": p.days_per_week,
        }
        for p in edition.phases.all()
    ]
    formset = PhaseFormSet(request.POST or None, initial=initial, prefix="phase")
    error = None
    if request.method == "POST" and formset.is_valid():
        phases = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            sessions = services.schedule_save(actor=request.user, edition=edition, phases=phases)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(n)d sessions are planned from the schedule.") % {"n": len(sessions)}
            )
            return redirect("courses:edition-detail", edition.pk)
    return render(
        request,
        "courses/schedule_form.html",
        {"edition": edition, "formset": formset, "error": error},
    )


@login_required
@require_POST
def edition_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        services.edition_evaluate(
            actor=request.user, edition=edition, evaluation=form.cleaned_data["evaluation"]
        )
        messages.success(request, _("The group evaluation is saved."))
    return redirect(reverse("courses:edition-detail", args=[edition.pk]) + "#evaluation")


# --- sessions --------------------------------------------------------------------------------


@login_required
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    session = selectors.session_get_for(user=request.user, pk=pk)
    move = SessionMoveForm(
        request.POST if request.POST.get("action") == "move" else None,
        initial={"date": session.date, "start_time": session.start_time, "note": session.note},
    )
    cancel = SessionCancelForm(request.POST if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        form = move if request.POST.get("action") == "move" else cancel
        if form.is_valid():
            try:
                if form is move:
                    services.session_move(actor=request.user, session=session, **form.cleaned_data)
                    messages.success(request, _("The session is moved."))
                else:
                    services.session_cancel(
                        actor=request.user, session=session, note=form.cleaned_data["note"]
                    )
                    messages.success(request, _("The session is cancelled."))
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("courses:edition-detail", session.edition_id)
    return render(
        request,
        "courses/session_form.html",
        {"session": session, "edition": session.edition, "move": move, "cancel": cancel},
    )


@login_required
@require_POST
def session_restore(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    session = selectors.session_get_for(user=request.user, pk=pk)
    services.session_restore(actor=request.user, session=session)
    messages.success(request, _("The session is planned again."))
    return redirect("courses:edition-detail", session.edition_id)


@login_required
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance register of one session: a radio group per participant, one Save."""
    access.require_staff(request.user)
    session = selectors.session_get_for(user=request.user, pk=pk)
    participants = selectors.participants_of(session)
    recorded = selectors.register_for(session)
    errors: dict = {}
    if request.method == "POST":
        entries = {
            e.pk: (
                request.POST.get(f"status_{e.pk}", ""),
                request.POST.get(f"reason_{e.pk}", ""),
            )
            for e in participants
        }
        try:
            services.register_save(actor=request.user, session=session, entries=entries)
        except ValidationError as exc:
            errors = {key: msgs[0] for key, msgs in exc.message_dict.items()}
        else:
            messages.success(request, _("The register is saved."))
            target = reverse("courses:edition-detail", args=[session.edition_id]) + "#participants"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        recorded = {}
    rows = []
    for e in participants:
        record = recorded.get(e.pk)
        posted = request.POST if request.method == "POST" else {}
        rows.append(
            {
                "enrolment": e,
                "status": posted.get(f"status_{e.pk}") or (record.status if record else ""),
                "reason": posted.get(f"reason_{e.pk}") or (record.reason if record else ""),
                "error": errors.get(f"status_{e.pk}") or errors.get(f"reason_{e.pk}"),
            }
        )
    return render(
        request,
        "courses/session_register.html",
        {
            "session": session,
            "edition": session.edition,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "reasons": REASON_CHOICES,
            "errors": errors,
        },
    )


# --- proposing and enrolments ----------------------------------------------------------------


@login_required
def enrolment_propose(request: HttpRequest, pk: int, client_pk: int) -> HttpResponse:
    """The target-group check for one client and one edition, then the proposal."""
    access.require_staff(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=pk)
    client = client_selectors.client_get_for(user=request.user, pk=client_pk, audit=False)
    check = selectors.target_group_check(edition.module, client, day=edition.start_date)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_propose(
                actor=request.user,
                edition=edition,
                client=client,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.warning(
                    request, _("The edition is full: the client is on the waiting list.")
                )
            else:
                messages.success(request, _("The client is enrolled."))
            if request.GET.get("from") == "dossier":
                return redirect("courses:client-modules", client.pk)
            return redirect("courses:edition-detail", edition.pk)
    full = edition.capacity is not None and edition.n_places >= edition.capacity
    return render(
        request,
        "courses/propose.html",
        {"edition": edition, "client": client, "check": check, "form": form, "full": full},
    )


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant: status, individual evaluation and step plan."""
    enrolment = selectors.enrolment_get_for(user=request.user, pk=pk)
    edition = enrolment.edition
    action = request.POST.get("action", "") if request.method == "POST" else ""
    drop = DropForm(request.POST if action == "drop" else None)
    withdraw = WithdrawForm(request.POST if action == "withdraw" else None)
    step_form = StepForm(request.POST if action == "step" else None)
    evaluation = EvaluationForm(
        request.POST if action == "evaluate" else None,
        initial={"evaluation": enrolment.evaluation},
    )
    if action:
        done = _enrolment_action(request, enrolment, action, drop, withdraw, step_form, evaluation)
        if done:
            return redirect("courses:enrolment-detail", enrolment.pk)
    rate = selectors.attendance_rates(edition).get(enrolment.pk, selectors.Rate())
    steps = list(enrolment.steps.all())
    return render(
        request,
        "courses/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "edition": edition,
            "client": enrolment.client,
            "rate": rate,
            "steps": steps,
            "drop": drop,
            "withdraw": withdraw,
            "step_form": step_form,
            "evaluation": evaluation,
            "can_carry": gpmi_link.available(),
            "to_carry": sum(1 for s in steps if not s.carried_on),
        },
    )


def _enrolment_action(request, enrolment, action, drop, withdraw, step_form, evaluation) -> bool:
    user = request.user
    try:
        if action == "accept":
            services.enrolment_accept_offer(actor=user, enrolment=enrolment)
        elif action == "complete":
            services.enrolment_complete(actor=user, enrolment=enrolment)
        elif action == "drop" and drop.is_valid():
            services.enrolment_drop(actor=user, enrolment=enrolment, **drop.cleaned_data)
        elif action == "withdraw" and withdraw.is_valid():
            services.enrolment_withdraw(actor=user, enrolment=enrolment, **withdraw.cleaned_data)
        elif action == "evaluate" and evaluation.is_valid():
            services.enrolment_evaluate(
                actor=user, enrolment=enrolment, evaluation=evaluation.cleaned_data["evaluation"]
            )
        elif action == "step" and step_form.is_valid():
            services.plan_step_add(actor=user, enrolment=enrolment, **step_form.cleaned_data)
        elif action == "delete-step":
            step = PlanStep.objects.filter(
                enrolment=enrolment, pk=request.POST.get("step") or 0
            ).first()
            if step is None:
                raise Http404
            services.plan_step_delete(actor=user, step=step)
        elif action == "carry" and gpmi_link.available():
            _carry(request, enrolment)
        else:
            return False
    except ValidationError as exc:
        # Actions without a form of their own answer with a message on the page.
        if action in ("accept", "complete", "delete-step", "carry"):
            messages.error(request, " ".join(exc.messages))
            return True
        form = {"drop": drop, "withdraw": withdraw, "step": step_form}.get(action, evaluation)
        form_errors_from(form, exc)
        return False
    if action != "carry":
        messages.success(request, _("Saved."))
    return True


def _carry(request, enrolment) -> None:
    try:
        n, goal = gpmi_link.carry_steps(actor=request.user, enrolment=enrolment)
    except ValidationError as exc:
        if exc.code != "no_gpmi":
            raise
        url = reverse("gpmi:client", args=[enrolment.client_id])
        text = " ".join(exc.messages)
        messages.error(request, format_html('{} <a href="{}">{}</a>', text, url, _("GPMI tab")))
        return
    if not n:
        messages.info(request, _("All steps are already in the GPMI."))
        return
    url = reverse("gpmi:detail", args=[enrolment.client_id, goal.gpmi_id])
    text = ngettext(
        "%(n)d step is added to the GPMI under the goal “%(goal)s”.",
        "%(n)d steps are added to the GPMI under the goal “%(goal)s”.",
        n,
    ) % {"n": n, "goal": goal.text}
    messages.success(request, format_html('{} <a href="{}">{}</a>', text, url, _("Open the GPMI")))


# --- the client's dossier --------------------------------------------------------------------


@login_required
def client_modules(request: HttpRequest, pk: int) -> HttpResponse:
    """Dossier section: the client's modules, and editions to propose them for."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    enrolments = selectors.client_enrolments(client)
    taken = {e.edition_id for e in enrolments}
    open_editions = [e for e in selectors.open_editions_for(request.centre) if e.pk not in taken]
    for edition in open_editions:
        edition.check = selectors.target_group_check(edition.module, client, day=edition.start_date)
    return render(
        request,
        "courses/client_modules.html",
        {
            **dossier_context(client, "modules"),
            "enrolments": enrolments,
            "open_editions": open_editions,
        },
    )
