"""Administrators adapt the centre's instruments and barrier list (the handbook's CD-ROM)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.accounts.roles import Role
from opstap.clients.utils import form_errors_from

from . import selectors, services
from .forms import CentreBarrierForm, QuestionForm, SectionForm, TemplateForm
from .models import InstrumentSection, Question


def _admin_required(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ADMIN) or request.centre is None:
        raise Http404


def _template(request: HttpRequest, pk: int):
    _admin_required(request)
    template = selectors.template_get(centre=request.centre, pk=pk)
    if not template.latest:
        raise Http404
    return template


def _changed(request: HttpRequest, old, new) -> HttpResponse:
    if new.pk != old.pk:
        messages.info(
            request,
            _(
                "This instrument was already used in balances, so version %(v)s was made. "
                "Balances filled in before keep the questions they answered."
            )
            % {"v": new.version},
        )
    else:
        messages.success(request, _("The instrument was saved."))
    return redirect("balance:instrument-edit", new.pk)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    _admin_required(request)
    services.ensure_default_instruments(request.centre)
    templates = selectors.instrument_admin_list(request.centre)
    return render(request, "balance/admin/instrument_list.html", {"templates": templates})


@login_required
def instrument_create(request: HttpRequest) -> HttpResponse:
    _admin_required(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(
                actor=request.user, centre=request.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return redirect("balance:instrument-edit", template.pk)
    return render(request, "balance/admin/instrument_form.html", {"form": form})


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = TemplateForm(request.POST or None, instance=template)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if not data:
            return redirect("balance:instrument-edit", pk)
        fresh = selectors.template_get(centre=request.centre, pk=pk)
        try:
            new = services.template_update(actor=request.user, template=fresh, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return _changed(request, fresh, new)
    return render(
        request,
        "balance/admin/instrument_edit.html",
        {"template": template, "form": form, "section_form": SectionForm(prefix="new")},
    )


@login_required
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    template = _template(request, pk)
    section = None
    if section_pk is not None:
        section = next((s for s in template.sections.all() if s.pk == section_pk), None)
        if section is None:
            raise Http404
    form = SectionForm(
        request.POST or None,
        instance=section or InstrumentSection(),
        prefix=None if section else "new",
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.section_save(
                actor=request.user, template=template, section_id=section_pk, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return _changed(request, template, new)
    return render(
        request,
        "balance/admin/section_form.html",
        {"template": template, "section": section, "form": form},
    )


@login_required
def question_edit(
    request: HttpRequest, pk: int, section_pk: int, question_pk: int | None = None
) -> HttpResponse:
    template = _template(request, pk)
    section = next((s for s in template.sections.all() if s.pk == section_pk), None)
    if section is None:
        raise Http404
    question = None
    if question_pk is not None:
        question = next((q for q in section.questions.all() if q.pk == question_pk), None)
        if question is None:
            raise Http404
    form = QuestionForm(request.POST or None, instance=question or Question(section=section))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.question_save(
                actor=request.user,
                template=template,
                section_id=section_pk,
                question_id=question_pk,
                **form.service_fields(),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return _changed(request, template, new)
    return render(
        request,
        "balance/admin/question_form.html",
        {"template": template, "section": section, "question": question, "form": form},
    )


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, kind: str, item_pk: int, action: str):
    """Move a section or question up or down, or delete it."""
    template = _template(request, pk)
    if kind not in ("section", "question") or action not in ("up", "down", "delete"):
        raise Http404
    if action == "delete":
        new = services.item_delete(actor=request.user, template=template, kind=kind, pk=item_pk)
    else:
        step = -1 if action == "up" else 1
        new = services.item_move(
            actor=request.user, template=template, kind=kind, pk=item_pk, step=step
        )
    return _changed(request, template, new)


@login_required
def barrier_list(request: HttpRequest) -> HttpResponse:
    """The centre's own barriers, added to the common list in every balance."""
    _admin_required(request)
    form = CentreBarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_barrier_create(
                actor=request.user, centre=request.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The barrier was added."))
            return redirect("balance:barrier-list")
    barriers = selectors.centre_barriers(request.centre)
    return render(request, "balance/admin/barrier_list.html", {"form": form, "barriers": barriers})


@login_required
@require_POST
def barrier_toggle(request: HttpRequest, barrier_pk: int) -> HttpResponse:
    _admin_required(request)
    barrier = selectors.centre_barriers(request.centre).filter(pk=barrier_pk).first()
    if barrier is None:
        raise Http404
    services.centre_barrier_set_active(
        actor=request.user, barrier=barrier, active=not barrier.active
    )
    return redirect("balance:barrier-list")
