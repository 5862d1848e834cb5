"""Balance pages: the dossier's Balance section (one page per phase) and the synthesis PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.clients import selectors as client_selectors
from opstap.clients.utils import form_errors_from
from opstap.clients.views import dossier_context
from opstap.documents.pdf import pdf_response, render_pdf

from . import selectors, services
from .forms import (
    BarriersForm,
    ExplorationForm,
    InstrumentAnswerForm,
    IntakeForm,
    ReopenForm,
    SynthesisForm,
    VersionForm,
)
from .models import Balance, ConsentCategory, LadderRung, Phase


def _get(request: HttpRequest, client_pk: int, pk: int) -> Balance:
    client = client_selectors.client_get_for(user=request.user, pk=client_pk)
    return selectors.balance_get_for(client=client, pk=pk)


def _phase_url(balance: Balance, phase: int) -> str:
    return reverse("balance:phase", args=[balance.client_id, balance.pk, phase])


def _is_stale(exc: ValidationError) -> bool:
    return getattr(exc, "code", None) == "stale"


def _refused(request: HttpRequest, form, exc: ValidationError, balance: Balance) -> None:
    """Put a refusal on the form; on a stale save, let a second save overwrite knowingly."""
    form_errors_from(form, exc)
    if _is_stale(exc):
        data = form.data.copy()
        data["version"] = Balance.objects.values_list("version", flat=True).get(pk=balance.pk)
        form.data = data


@login_required
def client_balance(request: HttpRequest, client_pk: int) -> HttpResponse:
    """The Balance section: the latest balance at its current phase, or a start button."""
    client = client_selectors.client_get_for(user=request.user, pk=client_pk)
    balances = selectors.balances_of(client)
    if balances:
        latest = balances[0]
        latest.client = client
        return _phase_page(request, latest, latest.current_phase or Phase.SYNTHESIS, balances)
    context = dossier_context(client, "balance")
    context["balances"] = []
    return render(request, "balance/start.html", context)


@login_required
@require_POST
def balance_start(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = client_selectors.client_get_for(user=request.user, pk=client_pk, audit=False)
    try:
        balance = services.balance_create(actor=request.user, client=client)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("balance:client", client.pk)
    messages.success(request, _("The balance was started."))
    return redirect(_phase_url(balance, Phase.INTAKE))


@login_required
def phase(request: HttpRequest, client_pk: int, pk: int, number: int) -> HttpResponse:
    """One phase: its form while it is open, what was recorded once completed."""
    if number not in Phase.values:
        raise Http404
    balance = _get(request, client_pk, pk)
    form = None
    if request.method == "POST":
        form = _phase_form(balance, number, request.POST)
        if form.is_valid():
            try:
                _save_phase(request, balance, number, form)
            except ValidationError as exc:
                _refused(request, form, exc, balance)
            else:
                messages.success(request, _("The balance was saved."))
                return redirect(_phase_url(balance, number))
    return _phase_page(request, balance, number, form=form)


def _phase_form(balance: Balance, number: int, data=None):
    if number == Phase.INTAKE:
        return IntakeForm(data, instance=balance)
    if number == Phase.EXPLORATION:
        return ExplorationForm(data, instance=balance)
    consents = {c.category: c.recipients for c in balance.consents.all()}
    return SynthesisForm(data, instance=balance, consents=consents)


def _save_phase(request: HttpRequest, balance: Balance, number: int, form) -> None:
    version = form.cleaned_data["version"]
    if number == Phase.SYNTHESIS:
        services.synthesis_save(
            actor=request.user,
            balance=balance,
            expected_version=version,
            consents=form.consents(),
            **form.service_fields(),
        )
    else:
        services.balance_update(
            actor=request.user,
            balance=balance,
            expected_version=version,
            phase=number,
            **form.service_fields(),
        )


def _phase_page(
    request: HttpRequest,
    balance: Balance,
    number: int,
    balances: list | None = None,
    *,
    form=None,
    barriers_form=None,
    complete_form=None,
    reopen_form=None,
) -> HttpResponse:
    client = balance.client
    context = dossier_context(client, "balance")
    editable = balance.is_open(number)
    if form is None and editable:
        form = _phase_form(balance, number)
    version_initial = {"version": balance.version}
    context.update(
        {
            "balance": balance,
            "balances": balances if balances is not None else selectors.balances_of(client),
            "number": number,
            "phase_label": Phase(number).label,
            "steps": _steps(balance, number),
            "editable": editable,
            "form": form,
            "complete_form": complete_form or VersionForm(initial=version_initial),
            "reopen_form": reopen_form or ReopenForm(initial=version_initial),
            "rung_label": LadderRung(balance.proposed_rung).label if balance.proposed_rung else "",
        }
    )
    if number == Phase.EXPLORATION:
        context.update(_exploration_context(balance, editable, barriers_form))
    if number == Phase.SYNTHESIS:
        context["trajectory_type"] = selectors.proposed_trajectory_type(balance)
        labels = dict(ConsentCategory.choices)
        context["consents"] = [(labels[c.category], c.recipients) for c in balance.consents.all()]
    return render(request, f"balance/phase{number}.html", context)


def _steps(balance: Balance, number: int) -> list[dict]:
    current = balance.current_phase
    return [
        {
            "number": p.value,
            "label": p.label,
            "done": balance.is_done(p.value),
            "current": p.value == current,
            "shown": p.value == number,
            "url": _phase_url(balance, p.value),
        }
        for p in Phase
    ]


def _exploration_context(balance: Balance, editable: bool, barriers_form) -> dict:
    responses = selectors.responses_for(balance)
    answered = {r.template_id for r in responses}
    barriers = selectors.barriers_for(balance)
    resources = list(balance.resources.all())
    offered = list(selectors.instruments_offered(balance.centre_id)) if editable else []
    if editable and barriers_form is None:
        barriers_form = BarriersForm(
            initial={"version": balance.version},
            centre_barriers=selectors.centre_barriers(balance.centre_id),
            barriers=barriers,
            resources=resources,
        )
    return {
        "offered": [(t, t.pk in answered) for t in offered],
        "responses": [(r, selectors.answers_display(r)) for r in responses],
        "barriers": barriers,
        "resources": resources,
        "barriers_form": barriers_form,
    }


@login_required
@require_POST
def barriers(request: HttpRequest, client_pk: int, pk: int) -> HttpResponse:
    balance = _get(request, client_pk, pk)
    form = BarriersForm(
        request.POST,
        centre_barriers=selectors.centre_barriers(balance.centre_id),
        barriers=selectors.barriers_for(balance),
    )
    if form.is_valid():
        try:
            services.barriers_save(
                actor=request.user,
                balance=balance,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            _refused(request, form, exc, balance)
        else:
            messages.success(request, _("Barriers and strengths were saved."))
            return redirect(_phase_url(balance, Phase.EXPLORATION))
    return _phase_page(request, balance, Phase.EXPLORATION, barriers_form=form)


@login_required
def instrument(request: HttpRequest, client_pk: int, pk: int, template_pk: int) -> HttpResponse:
    """Answer one instrument: the form is built from the template version, in the user's language.

    An instrument answered before is shown with the version it was answered with.
    """
    balance = _get(request, client_pk, pk)
    response = next(
        (r for r in selectors.responses_for(balance) if r.template_id == template_pk), None
    )
    if response is not None:
        template = response.template
    else:
        template = selectors.template_get(centre=balance.centre_id, pk=template_pk)
        if not (template.latest and template.active):
            raise Http404
    if not balance.is_open(Phase.EXPLORATION):
        return redirect(_phase_url(balance, Phase.EXPLORATION))
    answers = response.answers if response else None
    form = InstrumentAnswerForm(
        request.POST or None,
        template=template,
        answers=answers,
        initial={"version": balance.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save(
                actor=request.user,
                balance=balance,
                template=template,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _refused(request, form, exc, balance)
        else:
            messages.success(
                request, _("The answers to “%(title)s” were saved.") % {"title": template.title}
            )
            return redirect(_phase_url(balance, Phase.EXPLORATION))
    context = dossier_context(balance.client, "balance")
    context.update(
        {
            "balance": balance,
            "template": template,
            "form": form,
            "steps": _steps(balance, Phase.EXPLORATION),
        }
    )
    return render(request, "balance/instrument_form.html", context)


@login_required
@require_POST
def complete(request: HttpRequest, client_pk: int, pk: int, number: int) -> HttpResponse:
    balance = _get(request, client_pk, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.phase_complete(
                actor=request.user,
                balance=balance,
                phase=number,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, _("The phase cannot be completed yet."))
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_phase_url(balance, number))
        messages.success(request, _("The phase was completed."))
        next_phase = min(number + 1, Phase.SYNTHESIS)
        return redirect(_phase_url(balance, next_phase))
    return redirect(_phase_url(balance, number))


@login_required
@require_POST
def reopen(request: HttpRequest, client_pk: int, pk: int, number: int) -> HttpResponse:
    balance = _get(request, client_pk, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.phase_reopen(
                actor=request.user,
                balance=balance,
                phase=number,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _refused(request, form, exc, balance)
        else:
            messages.success(request, _("The phase was reopened."))
            return redirect(_phase_url(balance, number))
    return _phase_page(request, balance, number, reopen_form=form)


@login_required
def synthesis_pdf(request: HttpRequest, client_pk: int, pk: int) -> HttpResponse:
    """The synthesis as PDF, in the client's language."""
    balance = _get(request, client_pk, pk)
    data = render_pdf(
        "balance/synthesis_pdf.html", synthesis_context(balance), balance.client.language
    )
    return pdf_response(data, f"balance-{balance.client.ref}-{balance.pk}.pdf")


def synthesis_context(balance: Balance) -> dict:
    """What the synthesis document shows (labels are resolved when the template renders)."""
    return {
        "balance": balance,
        "client": balance.client,
        "centre_name": balance.client.centre.name,
        "rung": LadderRung(balance.proposed_rung) if balance.proposed_rung else None,
        "barriers": selectors.barriers_for(balance),
        "resources": list(balance.resources.all()),
        "consents": list(balance.consents.all()),
        "trajectory_type": selectors.proposed_trajectory_type(balance),
        "responses": selectors.responses_for(balance),
    }
