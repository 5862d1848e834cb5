"""GPMI pages: the dossier's GPMI section, the contract, its workflow, evaluations, sanctions."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opstap.accounts.roles import Role
from opstap.balance.models import Balance
from opstap.balance.selectors import balances_of
from opstap.clients import selectors as client_selectors
from opstap.clients.utils import form_errors_from
from opstap.clients.views import dossier_context
from opstap.documents.pdf import pdf_response, render_pdf
from opstap.network.models import SupportOffer

from . import diffing, rules, selectors, services
from .defaults import BARRIER_DOMAINS, RUNG_DOMAINS
from .forms import (
    AmendForm,
    ContractForm,
    CreateForm,
    DecisionForm,
    DomainForm,
    EndForm,
    EvaluationForm,
    ExemptForm,
    GoalForm,
    GoalStatusForm,
    HearingForm,
    PriorityForm,
    ProposeForm,
    SignForm,
    StepDoneForm,
    StepForm,
    ThirdPartyForm,
    VersionForm,
    WarningForm,
)
from .models import Gpmi, GpmiKind, GpmiStatus, LifeDomain, Priority


def _client(request: HttpRequest, pk: int, audit: bool = False):
    return client_selectors.client_get_for(user=request.user, pk=pk, audit=audit)


def _gpmi(request: HttpRequest, pk: int, gid: int) -> Gpmi:
    return selectors.gpmi_get_for(client=_client(request, pk), pk=gid)


def _detail_url(gpmi: Gpmi) -> str:
    return reverse("gpmi:detail", args=[gpmi.client_id, gpmi.pk])


def _offers(centre):
    return SupportOffer.objects.filter(centre=centre, active=True).select_related("provider")


# --- the dossier section --------------------------------------------------------------------------


@login_required
def client_gpmi(request: HttpRequest, pk: int) -> HttpResponse:
    """The GPMI section: the current contract with its next evaluation, then the others."""
    client = _client(request, pk, audit=True)
    contracts = selectors.contracts_of(client)
    current = selectors.current_gpmi(client)
    right = client_selectors.active_right_for(client)
    context = dossier_context(client, "gpmi")
    context.update(
        {
            "contracts": contracts,
            "current": current,
            "next_evaluation": selectors.next_evaluation_for(current) if current else None,
            "warning_years": selectors.in_person_warning_years(current) if current else [],
            "conclude_by": rules.conclude_by(right.start_date) if right else None,
            "balances": [b for b in balances_of(client) if b.finished],
            "sanctions_visible": selectors.is_care_team_member(client, request.user),
        }
    )
    return render(request, "gpmi/client_gpmi.html", context)


def _prefill(balance: Balance | None, centre) -> tuple[list[int], str]:
    """Priorities and needs analysis suggested by a finished balance's synthesis."""
    if balance is None:
        return [], ""
    codes = [BARRIER_DOMAINS.get(b.code) for b in balance.barriers.all() if b.code]
    if balance.proposed_rung:
        codes.insert(0, RUNG_DOMAINS.get(balance.proposed_rung))
    first_priority: dict[str, int] = {}
    for domain in selectors.life_domains_for(centre):
        priorities = list(domain.priorities.all())
        if priorities:
            first_priority[domain.code] = priorities[0].pk
    chosen = list(dict.fromkeys(first_priority[c] for c in codes if c in first_priority))
    parts = [balance.conclusions]
    barriers = [str(b) for b in balance.barriers.all()]
    if barriers:
        parts.append(_("Barriers: %(list)s") % {"list": ", ".join(barriers)})
    if balance.proposed_rung:
        parts.append(_("Proposed rung: %(rung)s") % {"rung": balance.get_proposed_rung_display()})
    return chosen, "\n\n".join(p for p in parts if p)


@login_required
def gpmi_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a contract: choose the kind and the priorities, optionally from a balance."""
    client = _client(request, pk)
    balance = None
    balance_id = request.POST.get("balance") or request.GET.get("balance")
    if balance_id and str(balance_id).isdigit():
        balance = client.balances.filter(pk=int(balance_id)).first()
        if balance is None or not balance.finished:
            raise Http404
    chosen, needs = _prefill(balance, client.centre)
    initial = {"priorities": chosen, "needs_analysis": needs, "balance": balance and balance.pk}
    if balance and balance.proposed_rung == "sociaal":
        initial["kind"] = GpmiKind.SOCIAL_ACTIVATION
    form = CreateForm(request.POST or None, centre=client.centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            gpmi = services.gpmi_create(
                actor=request.user,
                client=client,
                kind=form.cleaned_data["kind"],
                priorities=list(form.cleaned_data["priorities"]),
                balance=balance,
                needs_analysis=form.cleaned_data["needs_analysis"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Draft contract created. Word the goals with the client."))
            return redirect("gpmi:edit", client.pk, gpmi.pk)
    context = dossier_context(client, "gpmi")
    context.update(
        {
            "form": form,
            "domains": selectors.life_domains_for(client.centre),
            "selected": {int(v) for v in (form["priorities"].value() or [])},
            "balance": balance,
        }
    )
    return render(request, "gpmi/create.html", context)


@login_required
def gpmi_exempt(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = ExemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.gpmi_exempt(
                actor=request.user,
                client=client,
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
                exempted_on=form.cleaned_data["exempted_on"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Exemption recorded."))
            return redirect("gpmi:client", client.pk)
    context = dossier_context(client, "gpmi")
    context.update({"form": form, "title": _("Exempt from a GPMI")})
    return render(request, "gpmi/form.html", context)


# --- one contract ---------------------------------------------------------------------------------


@login_required
def gpmi_detail(request: HttpRequest, pk: int, gid: int) -> HttpResponse:
    client = _client(request, pk, audit=True)
    gpmi = selectors.gpmi_get_for(client=client, pk=gid)
    goals = selectors.goals_for(gpmi)
    version = {"version": gpmi.version}
    reflection = rules.reflection_ends(gpmi.proposed_on) if gpmi.proposed_on else None
    context = dossier_context(client, "gpmi")
    context.update(
        {
            "gpmi": gpmi,
            "goals": goals,
            "evaluations": selectors.evaluations_for(gpmi),
            "versions": selectors.versions_for(gpmi),
            "third_parties": list(gpmi.third_parties.all()),
            "supports": list(gpmi.supports.select_related("provider")),
            "next_evaluation": selectors.next_evaluation_for(gpmi),
            "warning_years": selectors.in_person_warning_years(gpmi),
            "reflection_ends": reflection,
            "version_form": VersionForm(initial=version),
            "goal_form": GoalForm(centre=client.centre, initial=version),
            "third_party_form": ThirdPartyForm(initial=version),
            "statuses": GpmiStatus,
        }
    )
    return render(request, "gpmi/detail.html", context)


def _save_form(
    request: HttpRequest,
    gpmi: Gpmi,
    form,
    save: Callable[[dict], object],
    *,
    title: str,
    done: str,
    intro: str = "",
    template: str = "gpmi/form.html",
) -> HttpResponse:
    """A form on the contract: on a valid POST `save(cleaned_data)` and go back to the contract
    with `done`; a refusal of the service (a stale version, a broken rule) shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(gpmi))
    context = dossier_context(gpmi.client, "gpmi")
    context.update({"form": form, "gpmi": gpmi, "title": title, "intro": intro})
    return render(request, template, context)


def _version_button(
    request: HttpRequest, gpmi: Gpmi, call: Callable[[int], object], *, done: str = "", to: str = ""
) -> HttpResponse:
    """A button without fields: `call(version)` with the version the page showed, then back to
    the contract (or `to`) with `done`; a refusal goes back to the contract as error messages."""
    form = VersionForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        raise Http404
    try:
        call(form.cleaned_data["version"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_detail_url(gpmi))
    if done:
        messages.success(request, done)
    return redirect(to or _detail_url(gpmi))


@login_required
def gpmi_edit(request: HttpRequest, pk: int, gid: int) -> HttpResponse:
    """The contract's text, duration, support and student details."""
    gpmi = _gpmi(request, pk, gid)
    if not gpmi.editable:
        messages.error(request, _("A signed contract changes only through an amendment."))
        return redirect(_detail_url(gpmi))
    offers = _offers(gpmi.centre)
    form = ContractForm(
        request.POST or None,
        instance=gpmi,
        offers=offers,
        initial={"version": gpmi.version},
    )
    return _save_form(
        request,
        gpmi,
        form,
        lambda d: services.gpmi_update(
            actor=request.user, gpmi=gpmi, expected_version=d["version"], **form.service_fields()
        ),
        title=_("Edit the contract"),
        done=_("Contract saved."),
    )


def _action(
    request: HttpRequest,
    pk: int,
    gid: int,
    form_class,
    call: Callable[[Gpmi, dict], object],
    title: str,
    done: str,
    intro: str = "",
    form_kwargs: dict | None = None,
    template: str = "gpmi/form.html",
) -> HttpResponse:
    """A one-form step of the workflow: show the form, call the service, or show its errors."""
    gpmi = _gpmi(request, pk, gid)
    form = form_class(
        request.POST or None, initial={"version": gpmi.version}, **(form_kwargs or {})
    )
    return _save_form(
        request,
        gpmi,
        form,
        lambda d: call(gpmi, d),
        title=title,
        done=done,
        intro=intro,
        template=template,
    )


def _post_only(request, pk, gid, service, done: str, **extra) -> HttpResponse:
    """A button without fields (start, finish an amendment, back to draft, delete)."""
    if request.method != "POST":
        raise Http404
    gpmi = _gpmi(request, pk, gid)
    return _version_button(
        request,
        gpmi,
        lambda version: service(actor=request.user, gpmi=gpmi, expected_version=version),
        done=done,
        to=reverse("gpmi:client", args=[pk]) if extra.get("to_section") else "",
    )


@login_required
def gpmi_propose(request, pk: int, gid: int) -> HttpResponse:
    return _action(
        request,
        pk,
        gid,
        ProposeForm,
        lambda g, d: services.gpmi_propose(
            actor=request.user, gpmi=g, expected_version=d["version"], proposed_on=d["proposed_on"]
        ),
        _("Propose the contract to the client"),
        _("The contract is proposed. The client has 5 calendar days to reflect."),
    )


@login_required
def gpmi_sign(request, pk: int, gid: int) -> HttpResponse:
    def sign(g, d):
        services.gpmi_sign(
            actor=request.user,
            gpmi=g,
            expected_version=d["version"],
            signed_on=d["signed_on"],
            centre_signed_on=d["centre_signed_on"],
            committee_decision_on=d["committee_decision_on"],
            early_signature_reason=d["early_signature_reason"],
            assisted_by=d["assisted_by"],
        )

    gpmi = _gpmi(request, pk, gid)
    intro = ""
    if gpmi.proposed_on:
        intro = _("Proposed on %(p)s: the client may sign without a reason from %(d)s.") % {
            "p": gpmi.proposed_on.strftime("%d/%m/%Y"),
            "d": rules.reflection_ends(gpmi.proposed_on).strftime("%d/%m/%Y"),
        }
    return _action(
        request, pk, gid, SignForm, sign, _("Record the signatures"), _("Contract signed."), intro
    )


@login_required
def gpmi_end(request, pk: int, gid: int) -> HttpResponse:
    return _action(
        request,
        pk,
        gid,
        EndForm,
        lambda g, d: services.gpmi_end(
            actor=request.user,
            gpmi=g,
            expected_version=d["version"],
            ended_on=d["ended_on"],
            reason=d["reason"],
        ),
        _("End the contract"),
        _("Contract ended."),
    )


@login_required
def gpmi_amend(request, pk: int, gid: int) -> HttpResponse:
    return _action(
        request,
        pk,
        gid,
        AmendForm,
        lambda g, d: services.gpmi_amend_start(
            actor=request.user,
            gpmi=g,
            expected_version=d["version"],
            reason=d["reason"],
            amended_on=d["amended_on"],
        ),
        _("Amend the contract"),
        _("The signed version is kept. Make the changes, then finish the amendment."),
        _("The contract as signed now stays readable as an earlier version."),
    )


@login_required
def gpmi_start(request, pk: int, gid: int) -> HttpResponse:
    return _post_only(request, pk, gid, services.gpmi_start, _("The contract is running."))


@login_required
def gpmi_amend_finish(request, pk: int, gid: int) -> HttpResponse:
    return _post_only(request, pk, gid, services.gpmi_amend_finish, _("Amendment finished."))


@login_required
def gpmi_back_to_draft(request, pk: int, gid: int) -> HttpResponse:
    return _post_only(request, pk, gid, services.gpmi_back_to_draft, _("Back to draft."))


@login_required
def gpmi_delete(request, pk: int, gid: int) -> HttpResponse:
    return _post_only(
        request, pk, gid, services.gpmi_delete_draft, _("Draft deleted."), to_section=True
    )


@login_required
def evaluation_create(request, pk: int, gid: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    goals = selectors.goals_for(gpmi)
    return _action(
        request,
        pk,
        gid,
        EvaluationForm,
        lambda g, d: services.evaluation_create(
            actor=request.user,
            gpmi=g,
            date=d["date"],
            in_person=d["in_person"],
            summary=d["summary"],
            progress={goal.pk: d.get(f"progress_{goal.pk}", "") for goal in goals},
        ),
        _("Evaluate the contract"),
        _("Evaluation recorded."),
        form_kwargs={"goals": goals},
    )


# --- goals, steps, third parties ------------------------------------------------------------------


@login_required
def goal_add(request, pk: int, gid: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    form = GoalForm(request.POST or None, centre=gpmi.centre, initial={"version": gpmi.version})
    return _save_form(
        request,
        gpmi,
        form,
        lambda d: services.goal_create(
            actor=request.user, gpmi=gpmi, expected_version=d["version"], **form.service_fields()
        ),
        title=_("Add a goal"),
        done=_("Goal added."),
    )


@login_required
def goal_edit(request, pk: int, gid: int, goal_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    goal = gpmi.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    if not gpmi.editable:
        form = GoalStatusForm(
            request.POST or None, initial={"version": gpmi.version, "status": goal.status}
        )
    else:
        form = GoalForm(
            request.POST or None,
            instance=goal,
            centre=gpmi.centre,
            initial={"version": gpmi.version},
        )

    def save(d: dict) -> None:
        status_only = isinstance(form, GoalStatusForm)
        data = {"status": d["status"]} if status_only else form.service_fields()
        services.goal_update(actor=request.user, goal=goal, expected_version=d["version"], **data)

    return _save_form(request, gpmi, form, save, title=_("Change a goal"), done=_("Goal saved."))


@login_required
def goal_delete(request, pk: int, gid: int, goal_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    goal = gpmi.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return _version_button(
        request,
        gpmi,
        lambda version: services.goal_delete(
            actor=request.user, goal=goal, expected_version=version
        ),
        done=_("Goal removed."),
    )


def _step_of(gpmi: Gpmi, step_id: int):
    from .models import GpmiStep

    step = GpmiStep.objects.filter(pk=step_id, goal__gpmi=gpmi).select_related("goal").first()
    if step is None:
        raise Http404
    step.goal.gpmi = gpmi
    return step


@login_required
def step_add(request, pk: int, gid: int, goal_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    goal = gpmi.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    goal.gpmi = gpmi
    form = StepForm(request.POST or None, initial={"version": gpmi.version})
    return _save_form(
        request,
        gpmi,
        form,
        lambda d: services.step_create(
            actor=request.user, goal=goal, expected_version=d["version"], **form.service_fields()
        ),
        title=_("Add a step to: %(goal)s") % {"goal": goal.text},
        done=_("Step added."),
    )


@login_required
def step_edit(request, pk: int, gid: int, step_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    step = _step_of(gpmi, step_id)
    if not gpmi.editable:
        form = StepDoneForm(
            request.POST or None, initial={"version": gpmi.version, "done_on": step.done_on}
        )
    else:
        form = StepForm(request.POST or None, instance=step, initial={"version": gpmi.version})

    def save(d: dict) -> None:
        done_only = isinstance(form, StepDoneForm)
        data = {"done_on": d["done_on"]} if done_only else form.service_fields()
        services.step_update(actor=request.user, step=step, expected_version=d["version"], **data)

    return _save_form(request, gpmi, form, save, title=_("Change a step"), done=_("Step saved."))


@login_required
def step_delete(request, pk: int, gid: int, step_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    step = _step_of(gpmi, step_id)
    return _version_button(
        request,
        gpmi,
        lambda version: services.step_delete(
            actor=request.user, step=step, expected_version=version
        ),
        done=_("Step removed."),
    )


@login_required
def third_party_add(request, pk: int, gid: int) -> HttpResponse:
    return _action(
        request,
        pk,
        gid,
        ThirdPartyForm,
        lambda g, d: services.third_party_add(
            actor=request.user,
            gpmi=g,
            expected_version=d["version"],
            name=d["name"],
            organisation=d["organisation"],
            role=d["role"],
        ),
        _("A third party joins the contract"),
        _("Third party added."),
    )


@login_required
def third_party_remove(request, pk: int, gid: int, party_id: int) -> HttpResponse:
    gpmi = _gpmi(request, pk, gid)
    return _version_button(
        request,
        gpmi,
        lambda version: services.third_party_remove(
            actor=request.user, gpmi=gpmi, expected_version=version, party_id=party_id
        ),
    )


# --- versions and documents -----------------------------------------------------------------------


@login_required
def version_detail(request, pk: int, gid: int, number: int) -> HttpResponse:
    """An earlier version as it was, and what the amendment after it changed."""
    gpmi = _gpmi(request, pk, gid)
    versions = selectors.versions_for(gpmi)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    later = next((v for v in versions if v.number == number + 1), None)
    newer = later.content if later else services.content_of(gpmi)
    context = dossier_context(gpmi.client, "gpmi")
    context.update(
        {
            "gpmi": gpmi,
            "version": version,
            "content": version.content,
            "changes": diffing.changes(version.content, newer),
            "next_label": (
                _("version %(n)s") % {"n": later.number} if later else _("the current version")
            ),
        }
    )
    return render(request, "gpmi/version.html", context)


def _document_context(gpmi: Gpmi) -> dict:
    return {
        "gpmi": gpmi,
        "client": gpmi.client,
        "centre": gpmi.centre,
        "centre_name": gpmi.centre.name,
        "goals": selectors.goals_for(gpmi),
        "third_parties": list(gpmi.third_parties.all()),
        "supports": list(gpmi.supports.all()),
        "next_evaluation": selectors.next_evaluation_for(gpmi),
        "interval": gpmi.centre.gpmi_evaluation_months,
    }


@login_required
def gpmi_pdf(request, pk: int, gid: int) -> HttpResponse:
    """The contract, in the client's language, with signature blocks."""
    gpmi = _gpmi(request, pk, gid)
    if gpmi.is_exemption:
        raise Http404
    data = render_pdf("gpmi/print_contract.html", _document_context(gpmi), gpmi.client.language)
    return pdf_response(data, f"gpmi-{gpmi.client.ref}.pdf")


@login_required
def gpmi_summary_pdf(request, pk: int, gid: int) -> HttpResponse:
    """A short summary in plain words for the client."""
    gpmi = _gpmi(request, pk, gid)
    if gpmi.is_exemption:
        raise Http404
    data = render_pdf("gpmi/print_summary.html", _document_context(gpmi), gpmi.client.language)
    return pdf_response(data, f"gpmi-summary-{gpmi.client.ref}.pdf")


# --- sanctions (care team only) -------------------------------------------------------------------


def _sanction_client(request, pk: int):
    client = _client(request, pk)
    if not selectors.is_care_team_member(client, request.user):
        raise Http404
    return client


@login_required
def sanctions(request, pk: int) -> HttpResponse:
    client = _sanction_client(request, pk)
    context = dossier_context(client, "gpmi")
    context.update({"sanctions": selectors.sanctions_for(client, request.user)})
    return render(request, "gpmi/sanctions.html", context)


def _sanction_form(request, client, form, call, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("gpmi:sanctions", client.pk)
    context = dossier_context(client, "gpmi")
    context.update({"form": form, "title": title})
    return render(request, "gpmi/form.html", context)


@login_required
def sanction_warn(request, pk: int) -> HttpResponse:
    client = _sanction_client(request, pk)
    gpmi = selectors.current_gpmi(client)
    return _sanction_form(
        request,
        client,
        WarningForm(request.POST or None),
        lambda d: services.sanction_warn(
            actor=request.user,
            client=client,
            breach=d["breach"],
            warning_on=d["warning_on"],
            gpmi=gpmi if gpmi and gpmi.is_signed else None,
        ),
        _("Formal warning"),
    )


@login_required
def sanction_hearing(request, pk: int, sid: int) -> HttpResponse:
    client = _sanction_client(request, pk)
    sanction = selectors.sanction_get_for(client=client, user=request.user, pk=sid)
    return _sanction_form(
        request,
        client,
        HearingForm(request.POST or None),
        lambda d: services.sanction_hearing(
            actor=request.user, sanction=sanction, hearing_on=d["hearing_on"], notes=d["notes"]
        ),
        _("Hearing of the client"),
    )


@login_required
def sanction_decide(request, pk: int, sid: int) -> HttpResponse:
    client = _sanction_client(request, pk)
    sanction = selectors.sanction_get_for(client=client, user=request.user, pk=sid)
    return _sanction_form(
        request,
        client,
        DecisionForm(request.POST or None),
        lambda d: services.sanction_decide(
            actor=request.user,
            sanction=sanction,
            decision=d["decision"],
            decided_on=d["decided_on"],
            reason=d["reason"],
            suspension_start=d["suspension_start"],
            suspension_end=d["suspension_end"],
            partial_percent=d["partial_percent"],
        ),
        _("Decision"),
    )


# --- head of service ------------------------------------------------------------------------------


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Every overdue GPMI deadline among the clients of the head's team."""
    if not request.user.has_role(Role.HEAD):
        raise Http404
    rows = selectors.overdue_for_head(request.user)
    workers = selectors.reference_workers({d.client_id for d in rows})
    items = [{"deadline": d, "workers": workers.get(d.client_id, [])} for d in rows]
    return render(request, "gpmi/overdue.html", {"items": items, "today": datetime.date.today()})


# --- catalogue of life domains (administrators) ---------------------------------------------------


def _require_admin(user) -> None:
    if not user.has_role(Role.ADMIN) or user.centre_id is None:
        raise Http404


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = DomainForm(request.POST or None, initial={"position": 200})
    form.instance.centre = request.centre
    if request.method == "POST" and form.is_valid():
        try:
            services.life_domain_save(
                actor=request.user, centre=request.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Life domain added."))
            return redirect("gpmi:catalogue")
    domains = selectors.life_domains_for(request.centre, active_only=False)
    return render(request, "gpmi/catalogue.html", {"domains": domains, "form": form})


@login_required
def catalogue_domain(request: HttpRequest, domain_id: int) -> HttpResponse:
    _require_admin(request.user)
    domain = LifeDomain.objects.filter(centre=request.centre, pk=domain_id).first()
    if domain is None:
        raise Http404
    is_priority = request.POST.get("form") == "priority"
    domain_form = DomainForm(
        request.POST if request.method == "POST" and not is_priority else None, instance=domain
    )
    priority_form = PriorityForm(request.POST if is_priority else None, initial={"position": 200})
    priority_form.instance.domain = domain
    form = priority_form if is_priority else domain_form
    if request.method == "POST" and form.is_valid():
        try:
            if is_priority:
                services.priority_save(actor=request.user, domain=domain, **form.cleaned_data)
            else:
                services.life_domain_save(
                    actor=request.user,
                    centre=request.centre,
                    domain=LifeDomain.objects.get(pk=domain.pk),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("gpmi:catalogue-domain", domain.pk)
    priorities = Priority.objects.filter(domain=domain).order_by("position", "code")
    return render(
        request,
        "gpmi/catalogue_domain.html",
        {
            "domain": domain,
            "domain_form": domain_form,
            "priority_form": priority_form,
            "priorities": priorities,
        },
    )
