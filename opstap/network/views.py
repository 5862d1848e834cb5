"""Pages of the partner network: catalogue, organisations, places, referrals, partner portal."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opstap.accounts.roles import Role
from opstap.clients import selectors as client_selectors
from opstap.clients.utils import csv_response, form_errors_from
from opstap.clients.views import dossier_context
from opstap.core.prepared import PreparedRead
from opstap.core.stored import stored
from opstap.courses.models import Module

from . import access, selectors, services
from .forms import (
    FindOfferForm,
    OfferFilterForm,
    OfferForm,
    OrganisationFilterForm,
    OrganisationForm,
    PlaceForm,
    ReferralForm,
    ReferralStatusForm,
)
from .models import OPEN_STATUSES, Place, Referral, ReferralStatus, SharedInfo
from .rows import (
    CSRF_SLOT,
    NEXT_SLOT,
    earlier_referral_item_html,
    fill_slots,
    partner_referral_row_html,
)

PAGE_SIZE = 25
ORG_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "sector": ("sector", "name", "id"),
    "-sector": ("-sector", "name", "id"),
    "insurance": ("insurance_until", "name", "id"),
    "-insurance": ("-insurance_until", "name", "id"),
}


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


# --- organisations ---------------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Partners: search first, filters beside, a count, sortable, paginated, CSV export."""
    access.require_staff(request.user)
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    show = filters.get("show") or "active"
    qs = selectors.organisation_list_for(
        request.user,
        search=filters.get("q", ""),
        sector=filters.get("sector", ""),
        insurance=filters.get("insurance", ""),
        active={"active": True, "inactive": False}.get(show),
    )
    sort = request.GET.get("sort", "name")
    qs = qs.order_by(*ORG_SORTS.get(sort, ORG_SORTS["name"]))
    if request.GET.get("format") == "csv":
        return csv_response(
            "organisations.csv",
            [
                _("Reference"),
                _("Name"),
                _("KBO enterprise number"),
                _("Sector"),
                _("Contact person"),
                _("Contact e-mail"),
                _("Contact phone"),
                _("Liability insurance valid until"),
                _("Insurance"),
                _("Open places"),
            ],
            (
                [
                    o.ref,
                    o.name,
                    o.kbo_display,
                    o.get_sector_display(),
                    o.contact_name,
                    o.contact_email,
                    o.contact_phone,
                    o.insurance_until.isoformat() if o.insurance_until else "",
                    o.insurance_label,
                    o.open_places,
                ]
                for o in qs
            ),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/organisation_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "query": _query_without(request, "page"),
            "sort_query": _query_without(request, "page", "sort"),
            "can_edit": access.can_edit_organisations(request.user),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    org = selectors.organisation_get_for(user=request.user, pk=pk)
    places = selectors.place_list_for(request.user, organisation=org)
    return render(
        request,
        "network/organisation_detail.html",
        {
            "org": org,
            "places": places,
            "offers": org.offers.filter(active=True),
            "contacts": selectors.contact_accounts_of(org),
            "can_edit": access.can_edit_organisations(request.user),
            "is_admin": request.user.has_role(Role.ADMIN),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    access.require_organisation_editor(request.user)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                actor=request.user, centre=request.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("network:organisation-detail", org.pk)
    return render(request, "network/organisation_form.html", {"form": form, "creating": True})


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_organisation_editor(request.user)
    org = selectors.organisation_get_for(user=request.user, pk=pk)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.organisation_get_for(user=request.user, pk=pk)
        try:
            services.organisation_update(
                actor=request.user, organisation=fresh, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("network:organisation-detail", pk)
    return render(request, "network/organisation_form.html", {"form": form, "org": org})


@login_required
def place_create(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_organisation_editor(request.user)
    org = selectors.organisation_get_for(user=request.user, pk=pk)
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_create(actor=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The place was added."))
            return redirect("network:organisation-detail", org.pk)
    return render(request, "network/place_form.html", {"form": form, "org": org})


@login_required
def place_edit(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    access.require_organisation_editor(request.user)
    org = selectors.organisation_get_for(user=request.user, pk=pk)
    place = selectors.place_get_for(user=request.user, pk=place_pk)
    if place.organisation_id != org.pk:
        raise Http404
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.place_get_for(user=request.user, pk=place_pk)
        try:
            services.place_update(actor=request.user, place=fresh, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("network:organisation-detail", org.pk)
    return render(request, "network/place_form.html", {"form": form, "org": org, "place": place})


# --- support catalogue -----------------------------------------------------------------------


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    form = OfferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    can_edit = access.can_edit_catalogue(request.user)
    qs = selectors.offer_list_for(
        request.user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        active=None if can_edit else True,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "network/offer_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without(request, "page"),
            "can_edit": can_edit,
        },
    )


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    access.require_catalogue_editor(request.user)
    form = OfferForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(actor=request.user, centre=request.centre, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The offer was added to the catalogue."))
            return redirect("network:offer-list")
    return render(request, "network/offer_form.html", {"form": form, "creating": True})


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_catalogue_editor(request.user)
    offer = selectors.offer_get_for(user=request.user, pk=pk)
    form = OfferForm(request.POST or None, instance=offer, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.offer_get_for(user=request.user, pk=pk)
        try:
            services.offer_update(actor=request.user, offer=fresh, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("network:offer-list")
    return render(request, "network/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def catalogue_defaults(request: HttpRequest) -> HttpResponse:
    access.require_catalogue_editor(request.user)
    added = services.ensure_default_catalogue(request.centre, actor=request.user)
    messages.success(request, _("%(n)d offers of the default catalogue were added.") % {"n": added})
    return redirect("network:offer-list")


# --- referrals in the dossier ----------------------------------------------------------------


@login_required
def client_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    """The Referrals section: the client's referrals, then 'Find a fitting offer'."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    find = FindOfferForm(request.GET or None)
    filters = find.cleaned_data if find.is_valid() else {}
    search, kind, sector = filters.get("q", ""), filters.get("kind", ""), filters.get("sector", "")
    searched = bool(request.GET)
    offers = places = ()
    if searched:
        offers = selectors.offer_list_for(request.user, search=search, kind=kind)[:30]
        if not kind or kind == "social":
            places = selectors.place_list_for(
                request.user, search=search, sector=sector, open_only=True
            )[:30]
    referrals = selectors.referral_rows_of(client)
    context = dossier_context(client, "referrals")
    context.update(
        {
            "referrals": referrals,
            "overdue": [r for r in referrals if r.overdue],
            "find": find,
            "searched": searched,
            "offers": offers,
            "places": places,
            "status_form": ReferralStatusForm(),
            "statuses": ReferralStatus,
        }
    )
    return render(request, "network/client_referrals.html", context)


@login_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the client to the offer, place or organisation named in the query string."""
    client = client_selectors.client_get_for(user=request.user, pk=pk, audit=False)
    access.require_staff(request.user)
    target = _referral_target(request)
    consent = selectors.consent_for_client(client)
    initial = {"referred_on": datetime.date.today(), "shared_info": consent["keys"]}
    form = ReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                actor=request.user, client=client, **target, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("network:client-referrals", client.pk)
    context = dossier_context(client, "referrals")
    context.update(
        {
            "form": form,
            "target": target,
            "target_org": target.get("organisation")
            or getattr(target.get("offer"), "provider", None),
            "consent": consent,
        }
    )
    return render(request, "network/referral_form.html", context)


def _referral_target(request: HttpRequest) -> dict:
    """The offer, place or organisation chosen in the search, checked against the user's centre."""
    source = request.POST if request.method == "POST" else request.GET
    user = request.user
    try:
        if source.get("place"):
            place = selectors.place_get_for(user=user, pk=int(source["place"]))
            return {"place": place, "organisation": place.organisation, "offer": None}
        if source.get("offer"):
            return {"offer": selectors.offer_get_for(user=user, pk=int(source["offer"]))}
        if source.get("organisation"):
            org = selectors.organisation_get_for(user=user, pk=int(source["organisation"]))
            return {"organisation": org}
    except ValueError as exc:
        raise Http404 from exc
    raise Http404


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, refuse, start or end a referral: the worker, or the addressed partner."""
    referral = selectors.referral_get_for(user=request.user, pk=pk)
    form = ReferralStatusForm(request.POST)
    if access.is_staff(request.user):
        fallback = reverse("network:client-referrals", args=[referral.client_id])
    else:
        fallback = reverse("network:partner-home")
    if form.is_valid():
        try:
            services.referral_set_status(
                actor=request.user,
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The referral was updated."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(_safe_next(request, fallback))


@login_required
def referrals_waiting(request: HttpRequest) -> HttpResponse:
    """'Referrals without answer': the worker's referrals unanswered for 14 days or more."""
    access.require_staff(request.user)
    referrals = selectors.referrals_waiting_for(request.user)
    return render(request, "network/referrals_waiting.html", {"referrals": referrals})


@login_required
def case_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """One overview for the case manager of all carers' open referrals and appointments."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    context = dossier_context(client, "case-overview")
    allowed = selectors.is_case_manager(client, request.user)
    context["allowed"] = allowed
    if allowed:
        context.update(selectors.case_overview_for(client))
        context["carers"] = [
            m for m in client_selectors.care_team_members(client) if m.end_date is None
        ]
    return render(request, "network/case_overview.html", context)


# --- partner portal --------------------------------------------------------------------------


PARTNER_HISTORY_PAGE = 25
# Referrals waiting for an answer carry the answer form: fewer per page.
PARTNER_WAITING_PAGE = 10


def _portal_referrals(organisation_id: int, centre_id: int):
    """The referrals addressed to the organisation, with what the portal's lists show, no more
    (three pages of 25 with every relation were 500 objects)."""
    return (
        Referral.objects.filter(organisation_id=organisation_id, centre_id=centre_id)
        .select_related("client", "offer", "place")
        .only(
            *("id", "status", "referred_on", "reason", "shared_info"),
            *("client__first_name", "client__last_name", "place__title"),
            *("offer__name_nl", "offer__name_fr", "offer__name_en"),
        )
    )


# Which referrals each list of the portal holds, by its query parameter.
PORTAL_LISTS = {
    "waiting": Q(status=ReferralStatus.REQUESTED),
    "running": Q(status__in=OPEN_STATUSES) & ~Q(status=ReferralStatus.REQUESTED),
    "page": ~Q(status__in=OPEN_STATUSES),
}
PORTAL_PAGE_SIZES = {
    "waiting": PARTNER_WAITING_PAGE,
    "running": PARTNER_HISTORY_PAGE,
    "page": PARTNER_HISTORY_PAGE,
}


def _portal_lists(organisation_id: int, centre_id: int) -> dict:
    """Three lists a page at a time (a city centre's workshop follows a hundred participants or
    more): those waiting for an answer, longest waiting first, with the answer buttons; the
    running ones; the earlier ones, newest first. Query parameter: (referrals, page size)."""
    referrals = _portal_referrals(organisation_id, centre_id)
    return {
        "waiting": (
            referrals.filter(PORTAL_LISTS["waiting"]).order_by("referred_on", "pk"),
            PORTAL_PAGE_SIZES["waiting"],
        ),
        "running": (referrals.filter(PORTAL_LISTS["running"]), PORTAL_PAGE_SIZES["running"]),
        "page": (referrals.filter(PORTAL_LISTS["page"]), PORTAL_PAGE_SIZES["page"]),
    }


def _first_page(param: str) -> PreparedRead:
    def build(organisation_id, centre_id):
        qs, size = _portal_lists(organisation_id, centre_id)[param]
        return qs[:size]

    return PreparedRead(build, kinds=(int, int))


# The first page of each list, the one a partner opens, with its statement built once; the
# organisation's places, and whether it delivers modules (a link), likewise.
_FIRST_PAGES = {param: _first_page(param) for param in PORTAL_LISTS}
_PLACES = PreparedRead(
    lambda organisation_id: (
        Place.objects.filter(organisation_id=organisation_id)
        .select_related("organisation")
        .order_by("title", "id")
    )
)
_A_MODULE = PreparedRead(
    lambda organisation_id: (
        Module.objects.filter(partners__id=organisation_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:1]
    )
)


def _asked_page(value: str | None) -> int | None:
    """A list's page number as asked in the query string; anything else asks for page 1, as
    Paginator.get_page reads it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _portal_drawn(organisation_id: int, centre_id: int, asked: tuple) -> dict:
    """The three lists as the partner opens them: their sizes, the page shown of each and its
    rows as HTML, with slots for the request's CSRF token and address (rows.fill_slots)."""
    referrals = _portal_referrals(organisation_id, centre_id)
    # The three lists' sizes in one query instead of one count per paginator.
    counts = referrals.order_by().aggregate(
        **{param: Count("pk", filter=held) for param, held in PORTAL_LISTS.items()}
    )
    numbers, html = {}, {}
    lists = _portal_lists(organisation_id, centre_id)
    for (param, (qs, size)), number in zip(lists.items(), asked, strict=True):
        paginator = Paginator(qs, size)
        paginator.count = counts[param]  # what paginator.count would have counted
        page = paginator.get_page(number)
        if page.number == 1:  # the same rows as the page's slice, read without compiling
            page.object_list = _FIRST_PAGES[param].list(organisation_id, centre_id)
        numbers[param] = page.number
        if param == "waiting":
            rows = (
                partner_referral_row_html(r, answer=True, csrf_token=CSRF_SLOT, next_path=NEXT_SLOT)
                for r in page
            )
        elif param == "running":
            rows = (partner_referral_row_html(r, answer=False) for r in page)
        else:
            rows = (earlier_referral_item_html(r) for r in page)
        html[param] = "".join(rows)
    return {"counts": counts, "numbers": numbers, "html": html}


def _page_shown(count: int, size: int, number: int):
    """The page of a list as the pagination template reads it, without its rows."""
    paginator = Paginator((), size)
    paginator.count = count
    return paginator.page(number)


@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    """The partner portal: only the contact's own organisation, its places and referrals."""
    org = selectors.partner_organisation_for(request.user)
    if org is None:
        return render(request, "network/partner_home.html", {"org": None})
    centre_id = request.user.centre_id
    asked = tuple(_asked_page(request.GET.get(param)) for param in PORTAL_LISTS)
    # The lists are the same for every contact of the organisation until a referral, client,
    # place or offer they show is written, or the day changes (a referral becomes overdue):
    # kept between reads, in this process only, as they hold the clients' names.
    drawn = stored(
        centre_id,  # the centre whose referrals they are, whose writes are followed
        f"partner-portal:{org.pk}:{centre_id}:{asked}:{datetime.date.today()}:{get_language()}",
        lambda: _portal_drawn(org.pk, centre_id, asked),
        share=False,
    )
    pages = {
        param: _page_shown(count, PORTAL_PAGE_SIZES[param], drawn["numbers"][param])
        for param, count in drawn["counts"].items()
    }

    def others(param: str) -> str:
        """The query string of the other lists' pages, so paging one keeps the others."""
        return urlencode(
            {p: page.number for p, page in pages.items() if p != param and page.number > 1}
        )

    csrf, here = get_token(request), request.get_full_path()

    def shown(param: str) -> list[SafeString]:
        """The list's rows, with this request's token and address in the answer forms."""
        return [mark_safe(fill_slots(drawn["html"][param], csrf_token=csrf, next_path=here))]

    return render(
        request,
        "network/partner_home.html",
        {
            "org": org,
            "places": _PLACES.list(org.pk),
            "delivers_modules": bool(_A_MODULE.list(org.pk)),
            "waiting_referrals": pages["waiting"],
            "running_referrals": pages["running"],
            "closed_referrals": pages["page"],
            "waiting_rows": shown("waiting"),
            "running_rows": shown("running"),
            "closed_items": shown("page"),
            "waiting_query": others("waiting"),
            "running_query": others("running"),
            "closed_query": others("page"),
            "shared": SharedInfo,
        },
    )


@login_required
def partner_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """One referral for the partner, with only the client information shared with consent."""
    if access.is_staff(request.user):
        raise Http404
    referral = selectors.referral_get_for(user=request.user, pk=pk)
    return render(
        request,
        "network/partner_referral.html",
        {"r": referral, "shared": SharedInfo, "status_form": ReferralStatusForm()},
    )
