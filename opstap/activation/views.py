"""Pages of social activation: placements, the dossier section, hours, evaluations, payments."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.accounts.roles import Role
from opstap.clients import selectors as client_selectors
from opstap.clients.utils import csv_response, form_errors_from
from opstap.clients.views import dossier_context
from opstap.core.dossier import shared_read
from opstap.core.stored import stored
from opstap.documents.pdf import pdf_response, render_pdf
from opstap.network.models import Place
from opstap.network.selectors import organisation_get_for, partner_organisation_for

from . import selectors, services
from .forms import (
    AgreementForm,
    Art60Form,
    ClientEvaluationForm,
    ConversationForm,
    CorrectionForm,
    EndForm,
    MatchForm,
    MutationForm,
    OrganisationEvaluationForm,
    PaymentForm,
    PlacementFilterForm,
    PlacementForm,
    SettingsForm,
)
from .grid import FIELDS as GRID_FIELDS
from .grid import due_evaluations_html, grid_body_html
from .models import ClientPayment, Evaluation, HoursStatus, Kind, MonthlyHours, Status
from .reports import parse_month

PAGE_SIZE = 25
SORTS = {
    "start": ("start", "id"),
    "-start": ("-start", "-id"),
    "client": ("client__last_name", "client__first_name", "id"),
    "-client": ("-client__last_name", "-client__first_name", "-id"),
    "organisation": ("organisation__name", "id"),
    "-organisation": ("-organisation__name", "-id"),
}


def _require_staff(user) -> None:
    if not selectors.is_staff(user):
        raise Http404


def _require_approver(user) -> None:
    if not selectors.can_approve(user):
        raise Http404


def _month_param(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return parse_month(value) if value else default.replace(day=1)
    except (ValueError, TypeError):
        raise Http404 from None


def _last_month(today: datetime.date | None = None) -> datetime.date:
    today = today or datetime.date.today()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _places(user):
    return Place.objects.filter(organisation__centre_id=user.centre_id).select_related(
        "organisation"
    )


# --- the Activation list ---------------------------------------------------------------------


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    """Placements: search first, filters beside, a count, sortable, paginated, CSV export."""
    _require_staff(request.user)
    organisations = selectors.organisations_for(request.user)
    form = PlacementFilterForm(request.GET or None, organisations=organisations)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.placement_list_for(
        request.user,
        search=f.get("q", ""),
        kind=f.get("kind", ""),
        track=f.get("track", ""),
        status=f.get("status", ""),
        organisation_id=f["organisation"].pk if f.get("organisation") else None,
    )
    sort = request.GET.get("sort", "-start")
    qs = qs.order_by(*SORTS.get(sort, SORTS["-start"]))
    if request.GET.get("format") == "csv":
        return csv_response(
            "placements.csv",
            [
                _("Reference"),
                _("Client"),
                _("Kind"),
                _("Track"),
                _("Organisation"),
                _("Place"),
                _("Status"),
                _("Start"),
                _("End"),
                _("Reason for ending"),
                _("Hours per week"),
            ],
            (
                [
                    p.ref,
                    p.client.full_name,
                    p.get_kind_display(),
                    p.get_track_display(),
                    p.organisation.name,
                    p.place.title if p.place else "",
                    p.get_status_display(),
                    p.start.isoformat() if p.start else "",
                    p.end.isoformat() if p.end else "",
                    p.get_end_reason_display(),
                    p.weekly_hours if p.weekly_hours is not None else "",
                ]
                for p in qs
            ),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "activation/placement_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "to_approve": selectors.hours_to_approve_for(request.user),
            "can_approve": selectors.can_approve(request.user),
        },
    )


# --- the dossier section ---------------------------------------------------------------------


@login_required
def client_activation(request: HttpRequest, pk: int) -> HttpResponse:
    """The Activation section: placements, eligibility hints, fitting places, payment details."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    match_form = MatchForm(request.GET or None)
    hours = None
    if match_form.is_valid() and match_form.cleaned_data.get("hours") is not None:
        hours = float(match_form.cleaned_data["hours"])
    placements = list(selectors.placements_for_client(client))
    # The header's placement fact reads the same list.
    shared_read(client, "placements", lambda: placements)
    context = dossier_context(client, "activation")
    context.update(
        {
            "placements": placements,
            "eligibility": selectors.eligibility_for(client),
            "match_form": match_form,
            "matches": selectors.matching_places_for(client, request.user, hours=hours)
            if request.GET.get("match")
            else None,
            "payment": ClientPayment.objects.filter(client=client).first(),
        }
    )
    return render(request, "activation/client_activation.html", context)


@login_required
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_selectors.client_get_for(user=request.user, pk=pk, audit=False)
    _require_staff(request.user)
    initial = {}
    if request.GET.get("place"):
        place = _places(request.user).filter(pk=request.GET.get("place")).first()
        if place:
            initial = {
                "place": place,
                "organisation": place.organisation,
                "weekly_hours": place.hours_per_week,
            }
    form = PlacementForm(
        request.POST or None,
        initial=initial,
        organisations=selectors.organisations_for(request.user),
        places=_places(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                actor=request.user, client=client, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The placement was added."))
            return redirect("activation:placement-detail", placement.pk)
    context = dossier_context(client, "activation")
    context["form"] = form
    return render(request, "activation/placement_form.html", context)


def _placement_context(request, placement) -> dict:
    client = placement.client
    context = dossier_context(client, "activation")
    hours = list(
        MonthlyHours.objects.filter(placement=placement).prefetch_related(
            "corrections__corrected_by"
        )
    )
    chain = []
    p = placement
    while p.previous_id and len(chain) < 50:
        p = p.previous
        chain.append(p)
    context.update(
        {
            "p": placement,
            "chain": chain,
            "successor": getattr(placement, "next", None)
            if placement.status == Status.ENDED
            else None,
            "hours": hours,
            "evaluations": list(selectors.evaluations_for(placement)),
            "next_due": selectors.current_evaluation_due(placement)
            if placement.is_social
            else None,
            "agreement": getattr(placement, "agreement", None),
            "art60": getattr(placement, "art60", None),
            "end_form": EndForm(),
            "mutation_form": MutationForm(
                organisations=selectors.organisations_for(request.user),
                places=_places(request.user),
            ),
            "can_approve": selectors.can_approve(request.user),
            "statuses": [(s.value, s.label) for s in Status if s != Status.ENDED or placement.end],
        }
    )
    return context


@login_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    client_selectors.client_get_for(user=request.user, pk=placement.client_id)  # audit the read
    return render(
        request, "activation/placement_detail.html", _placement_context(request, placement)
    )


@login_required
@require_POST
def placement_advance(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    try:
        services.placement_advance(actor=request.user, placement=placement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The placement moved to the next step."))
    return redirect("activation:placement-detail", pk)


@login_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(actor=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The placement was ended."))
            return redirect("activation:placement-detail", pk)
    context = _placement_context(request, placement)
    context["end_form"] = form
    return render(
        request, "activation/placement_detail.html", context, status=400 if form.is_bound else 200
    )


@login_required
def placement_mutate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    form = MutationForm(
        request.POST or None,
        organisations=selectors.organisations_for(request.user),
        places=_places(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.placement_mutate(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The client moved to the new place."))
            return redirect("activation:placement-detail", successor.pk)
    context = _placement_context(request, placement)
    context["mutation_form"] = form
    return render(
        request, "activation/placement_detail.html", context, status=400 if form.is_bound else 200
    )


# --- agreement note --------------------------------------------------------------------------


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    note = getattr(placement, "agreement", None)
    initial = {"version": note.version if note else 0}
    if note:
        initial.update({f: getattr(note, f) for f in services.AGREEMENT_FIELDS})
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.agreement_save(
                actor=request.user, placement=placement, version=version, **data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The agreement note was saved."))
            return redirect("activation:placement-detail", pk)
    context = dossier_context(placement.client, "activation")
    context.update({"p": placement, "form": form, "note": note})
    return render(request, "activation/agreement_form.html", context)


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement note in the client's language, with signature blocks for the three parties."""
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    note = getattr(placement, "agreement", None)
    if note is None:
        raise Http404
    data = render_pdf(
        "activation/agreement_print.html",
        {
            "p": placement,
            "note": note,
            "centre": request.centre,
            "centre_name": request.centre.name,
        },
        placement.client.language,
    )
    return pdf_response(data, f"agreement-{placement.ref}.pdf")


# --- payment details, art. 60 ----------------------------------------------------------------


@login_required
def payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_selectors.client_get_for(user=request.user, pk=pk, audit=False)
    _require_staff(request.user)
    payment = ClientPayment.objects.filter(client=client).first()
    initial = {"iban": payment.iban, "account_holder": payment.account_holder} if payment else {}
    form = PaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_payment_set(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The payment details were saved."))
            return redirect("activation:client", client.pk)
    context = dossier_context(client, "activation")
    context["form"] = form
    return render(
        request, "activation/simple_form.html", {**context, "title": _("Payment details")}
    )


@login_required
def art60_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    if placement.kind != Kind.ART60:
        raise Http404
    employment = getattr(placement, "art60", None)
    initial = {f: getattr(employment, f) for f in services.ART60_FIELDS} if employment else {}
    form = Art60Form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.art60_save(actor=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The employment details were saved."))
            return redirect("activation:placement-detail", pk)
    context = dossier_context(placement.client, "activation")
    context.update({"form": form, "p": placement, "title": _("Article 60 §7 employment")})
    return render(request, "activation/simple_form.html", context)


# --- evaluations -----------------------------------------------------------------------------


def _evaluation_for(placement, due_param: str | None):
    due = None
    if due_param:
        try:
            due = datetime.date.fromisoformat(due_param)
        except ValueError:
            raise Http404 from None
    due = due or selectors.current_evaluation_due(placement)
    if due is None:
        raise Http404
    evaluation = Evaluation.objects.filter(placement=placement, due_on=due).first()
    return due, evaluation or Evaluation(placement=placement, due_on=due)


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the client's form (filled in with them) and the three-way conversation."""
    _require_staff(request.user)
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    due, ev = _evaluation_for(placement, request.GET.get("due") or request.POST.get("due"))
    part = request.POST.get("part", "")
    client_form = ClientEvaluationForm(request.POST if part == "client" else None, instance=ev)
    talk_form = ConversationForm(
        request.POST if part == "talk" else None,
        initial={"held_on": ev.held_on, "conclusion": ev.conclusion},
    )
    form = {"client": client_form, "talk": talk_form}.get(part)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.evaluation_save(
                actor=request.user, placement=placement, due_on=due, part=part, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect(f"{request.path}?due={due.isoformat()}")
    context = dossier_context(placement.client, "activation")
    context.update(
        {"p": placement, "ev": ev, "due": due, "client_form": client_form, "talk_form": talk_form}
    )
    return render(request, "activation/evaluation.html", context)


@login_required
def partner_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Partner portal: the organisation's evaluation form for one of its own placements."""
    if selectors.is_staff(request.user):
        raise Http404
    placement = selectors.placement_get_for(user=request.user, pk=pk)
    due, ev = _evaluation_for(placement, request.GET.get("due") or request.POST.get("due"))
    form = OrganisationEvaluationForm(request.POST or None, instance=ev)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_save(
                actor=request.user, placement=placement, due_on=due, part="org", **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Thank you: your evaluation was saved."))
            return redirect("activation:partner-hours")
    return render(
        request,
        "activation/partner_evaluation.html",
        {"p": placement, "ev": ev, "due": due, "form": form},
    )


# --- monthly hours: the partner's grid -------------------------------------------------------


def _grid_rows(request, placements):
    # The inputs' labels, translated once and written for each row rather than by three
    # blocktranslate tags a row (the grid of a city workshop has a hundred rows).
    label_texts = {
        "hours": _("Hours of %(c)s"),
        "transport_eur": _("Public transport of %(c)s"),
        "clothing_eur": _("Clothing of %(c)s"),
    }
    rows = []
    for p in placements:
        r = p.record
        if request.method == "POST":
            values = {
                f: request.POST.get(f"{f}-{p.pk}", "")
                for f in ("hours", "transport_eur", "clothing_eur")
            }
        else:
            values = {
                "hours": r.hours if r else "",
                "transport_eur": r.transport_eur if r and r.transport_eur else "",
                "clothing_eur": r.clothing_eur if r and r.clothing_eur else "",
            }
        name = p.client.full_name
        labels = {field: text % {"c": name} for field, text in label_texts.items()}
        rows.append(
            {"p": p, "name": name, "labels": labels, "record": r, "locked": bool(r and r.locked)}
            | values
        )
    return rows


@login_required
def partner_hours(request: HttpRequest) -> HttpResponse:
    """The partner contact's monthly grid: every placement of their organisation in one month."""
    org = partner_organisation_for(request.user)
    if org is None:
        raise Http404
    month = _month_param(request.GET.get("month") or request.POST.get("month"), _last_month())
    errors: dict = {}
    non_field: list = []
    stale = False
    # The grid as it was opened; a save over someone else's save in between is refused.
    stamp = request.POST.get("stamp")
    if request.method == "POST":
        placements = selectors.grid_placements(org, month)
        submit = request.POST.get("action") == "submit"
        rows = [
            services.HoursRow(
                placement=p,
                hours=request.POST.get(f"hours-{p.pk}", ""),
                transport_eur=request.POST.get(f"transport_eur-{p.pk}", ""),
                clothing_eur=request.POST.get(f"clothing_eur-{p.pk}", ""),
            )
            for p in placements
        ]
        try:
            services.hours_save_month(
                actor=request.user,
                organisation=org,
                month=month,
                rows=rows,
                submit=submit,
                expected_stamp=stamp,
            )
        except ValidationError as exc:
            # Refused as stale: the form now carries the current stamp, so saving again
            # overwrites knowingly.
            stale = getattr(exc, "code", None) == "stale"
            if hasattr(exc, "error_dict"):
                errors = {k: v[0].messages[0] for k, v in exc.error_dict.items()}
            else:
                non_field = exc.messages
        else:
            messages.success(
                request,
                _("The hours were submitted to the centre.")
                if submit
                else _("The hours were saved as a draft."),
            )
            return redirect(f"{request.path}?month={month:%Y-%m}")
        grid = _grid_drawn(request, placements, errors=errors, stale=stale)
        due = _due_drawn(org, request.user.centre_id)
    else:
        # As the partner opens it, the grid is the same for every contact of the organisation
        # until a row it shows is written: kept between reads (fix 66), in this process only,
        # as it holds the clients' names. One entry with the forms due, which follow the day
        # too, so that a read checks the centre's record of writes once.
        grid, due = stored(
            org.centre_id,
            f"partner-hours:{org.pk}:{request.user.centre_id}:{month.isoformat()}:"
            f"{datetime.date.today()}:{get_language()}",
            lambda: (
                _grid_drawn(request, selectors.grid_placements(org, month)),
                _due_drawn(org, request.user.centre_id),
            ),
            share=False,
        )
    return render(
        request,
        "activation/partner_hours.html",
        {
            "org": org,
            "month": month,
            "prev_month": (month - datetime.timedelta(days=1)).replace(day=1),
            "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
            "rows_html": grid["rows_html"],
            "state": grid["state"],
            "stamp": grid["stamp"] if stale or stamp is None else stamp,
            "stale": stale,
            "errors": list(errors.values()) + list(non_field),
            "due": due["any"],
            "due_html": due["html"],
        },
        status=400 if errors or non_field else 200,
    )


def _grid_drawn(request, placements, *, errors=None, stale: bool = False) -> dict:
    """The grid's rows as HTML, the month's state and the stamp of its saved rows: text only."""
    errors = errors or {}
    rows = _grid_rows(request, placements)
    for row in rows:
        row["errors"] = {f: errors.get(f"{f}-{row['p'].pk}") for f in GRID_FIELDS}
    return {
        "rows_html": grid_body_html(rows, stale=stale),
        "state": str(selectors.month_state(placements)),
        "stamp": services.hours_grid_stamp(p.record for p in placements),
    }


def _due_drawn(org, centre_id: int) -> dict:
    due = selectors.partner_due_evaluations(org, centre_id)
    return {"any": bool(due), "html": due_evaluations_html(due)}


# --- monthly hours: staff approval, corrections, payment file --------------------------------


@login_required
def hours_review(request: HttpRequest, org_pk: int, month: str) -> HttpResponse:
    """Staff: an organisation's month as submitted, to approve or send back."""
    _require_approver(request.user)
    org = organisation_get_for(user=request.user, pk=org_pk)
    first = _month_param(month, datetime.date.today())
    visible = set(selectors.placement_queryset_for(request.user).values_list("pk", flat=True))
    placements = [p for p in selectors.grid_placements(org, first) if p.pk in visible]
    if request.method == "POST":
        try:
            if request.POST.get("action") == "return":
                services.hours_return(actor=request.user, organisation=org, month=first)
                messages.success(request, _("The hours were sent back to the organisation."))
            else:
                n = services.hours_approve(actor=request.user, organisation=org, month=first)
                messages.success(request, _("%(n)d hour records were approved.") % {"n": n})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("activation:hours-review", org.pk, f"{first:%Y-%m}")
    return render(
        request,
        "activation/hours_review.html",
        {
            "org": org,
            "month": first,
            "placements": placements,
            "state": selectors.month_state(placements),
            "statuses": HoursStatus,
        },
    )


@login_required
def hours_correct(request: HttpRequest, pk: int) -> HttpResponse:
    _require_approver(request.user)
    record = (
        MonthlyHours.objects.filter(
            pk=pk, placement__in=selectors.placement_queryset_for(request.user)
        )
        .select_related("placement", "placement__client")
        .first()
    )
    if record is None:
        raise Http404
    form = CorrectionForm(
        request.POST or None,
        initial={
            "hours": record.hours,
            "transport_eur": record.transport_eur,
            "clothing_eur": record.clothing_eur,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_correct(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect("activation:placement-detail", record.placement_id)
    context = dossier_context(record.placement.client, "activation")
    context.update(
        {
            "form": form,
            "p": record.placement,
            "title": _("Correct approved hours of %(month)s") % {"month": f"{record.month:%m/%Y}"},
        }
    )
    return render(request, "activation/simple_form.html", context)


@login_required
def payment_file(request: HttpRequest) -> HttpResponse:
    """The month's premiums as a SEPA credit transfer (pain.001.001.03) for the bank."""
    if not request.user.role_set & {Role.ACTIVATION, Role.HEAD, Role.ADMIN}:
        raise Http404
    from .sepa import credit_transfer_xml

    month = _month_param(request.GET.get("month"), _last_month())
    try:
        data = credit_transfer_xml(request.centre, month)
    except ValidationError as exc:
        return render(
            request,
            "activation/payment_file.html",
            {"month": month, "problems": exc.messages},
            status=400,
        )
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="premiums-{month:%Y-%m}.xml"'
    return response


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.ADMIN):
        raise Http404
    obj = selectors.settings_for(request.centre)
    form = SettingsForm(
        request.POST or None, initial={f: getattr(obj, f) for f in SettingsForm.base_fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, centre=request.centre, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("activation:settings")
    return render(request, "activation/settings.html", {"form": form})
