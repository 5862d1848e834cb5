"""REST API of the partner network (/api/v1/network/): catalogue, organisations, places, referrals.

Same access rules as the pages: staff read the catalogue and the partners; administrators and
social activation staff write organisations; referrals follow the client's dossier; a partner
contact only sees the referrals addressed to its own organisation. Forbidden answers 404;
service ValidationErrors answer 422 naming the field (opstap.api.errors).
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from opstap.clients.selectors import client_get_for

from . import access, selectors, services
from .models import OfferKind, Organisation, Referral, SupportOffer

PREFIX = "/network/"
router = Router(tags=["network"])

MAX_ITEMS = 500


class OfferOut(Schema):
    id: int
    code: str
    name: str
    name_nl: str
    name_fr: str
    name_en: str
    kind: OfferKind
    provider_id: int | None
    contact: str
    capacity: int | None
    active: bool
    description: str

    @staticmethod
    def resolve_name(obj: SupportOffer) -> str:
        return obj.name


class OrganisationOut(Schema):
    id: int
    ref: str
    name: str
    kbo: str
    sector: str
    address: str
    contact_name: str
    contact_email: str
    contact_phone: str
    agreement_signed_on: datetime.date | None
    insurance_until: datetime.date | None
    insurance_status: str
    active: bool

    @staticmethod
    def resolve_insurance_status(obj: Organisation) -> str:
        return obj.insurance


class OrganisationIn(Schema):
    name: str
    ref: str = ""
    kbo: str = ""
    sector: str = ""
    address: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    agreement_signed_on: datetime.date | None = None
    insurance_until: datetime.date | None = None
    active: bool = True


class PlaceOut(Schema):
    id: int
    organisation_id: int
    title: str
    tasks: str
    hours_per_week: float | None
    requirements: str
    location: str
    status: str
    capacity: int


class ReferralOut(Schema):
    id: int
    client_id: int | None
    offer_id: int | None
    organisation_id: int | None
    place_id: int | None
    target: str
    reason: str
    referred_on: datetime.date
    shared_info: list[str]
    status: str
    answered_on: datetime.date | None
    started_on: datetime.date | None
    ended_on: datetime.date | None
    answer_note: str
    outcome: str
    overdue: bool

    @staticmethod
    def resolve_target(obj: Referral) -> str:
        return obj.target_label


class PartnerReferralOut(ReferralOut):
    """What a partner sees: the client only through the information shared with consent."""

    client: dict

    @staticmethod
    def resolve_client_id(obj: Referral) -> None:
        return None

    @staticmethod
    def resolve_client(obj: Referral) -> dict:
        c, shared = obj.client, set(obj.shared_info or [])
        data: dict = {}
        if "name" in shared:
            data.update(first_name=c.first_name, last_name=c.last_name)
        if "birth_date" in shared:
            data["birth_date"] = c.birth_date.isoformat()
        if "contact" in shared:
            data.update(phone=c.phone, email=c.email)
        if "address" in shared:
            data["address"] = c.address
        if "language" in shared:
            data.update(language=c.language, dutch_level=c.dutch_level)
        return data


class ReferralIn(Schema):
    reason: str
    offer_id: int | None = None
    organisation_id: int | None = None
    place_id: int | None = None
    referred_on: datetime.date | None = None
    shared_info: list[str] = []


class StatusOut(Schema):
    id: int
    status: str
    answered_on: datetime.date | None
    started_on: datetime.date | None
    ended_on: datetime.date | None


class StatusIn(Schema):
    status: str
    note: str = ""


# ---- catalogue and partners ----------------------------------------------------------------


@router.get("/offers", response=list[OfferOut])
def offer_list(request: HttpRequest, q: str = "", kind: str = "", include_inactive: bool = False):
    access.require_staff(request.user)
    active = None if include_inactive else True
    return list(
        selectors.offer_list_for(request.user, search=q, kind=kind, active=active)[:MAX_ITEMS]
    )


@router.get("/organisations", response=list[OrganisationOut])
def organisation_list(request: HttpRequest, q: str = "", sector: str = "", insurance: str = ""):
    access.require_staff(request.user)
    qs = selectors.organisation_list_for(
        request.user, search=q, sector=sector, insurance=insurance, active=None
    )
    return list(qs.order_by("name", "id")[:MAX_ITEMS])


@router.get("/organisations/{org_id}", response=OrganisationOut)
def organisation_read(request: HttpRequest, org_id: int):
    return selectors.organisation_get_for(user=request.user, pk=org_id)


@router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    access.require_organisation_editor(request.user)
    org = services.organisation_create(
        actor=request.user, centre=request.user.centre, **payload.dict()
    )
    return Status(201, org)


@router.put("/organisations/{org_id}", response=OrganisationOut)
def organisation_update(request: HttpRequest, org_id: int, payload: OrganisationIn):
    access.require_organisation_editor(request.user)
    org = selectors.organisation_get_for(user=request.user, pk=org_id)
    return services.organisation_update(actor=request.user, organisation=org, **payload.dict())


@router.get("/places", response=list[PlaceOut])
def place_list(
    request: HttpRequest,
    organisation_id: int | None = None,
    sector: str = "",
    open_only: bool = False,
):
    org = None
    if organisation_id is not None:
        org = selectors.organisation_get_for(user=request.user, pk=organisation_id)
    qs = selectors.place_list_for(
        request.user, organisation=org, sector=sector, open_only=open_only
    )
    return list(qs[:MAX_ITEMS])


# ---- referrals -----------------------------------------------------------------------------


@router.get("/clients/{client_id}/referrals", response=list[ReferralOut])
def client_referral_list(request: HttpRequest, client_id: int):
    client = client_get_for(user=request.user, pk=client_id)
    return selectors.referral_rows_of(client)


@router.post("/clients/{client_id}/referrals", response={201: ReferralOut})
def client_referral_create(request: HttpRequest, client_id: int, payload: ReferralIn):
    client = client_get_for(user=request.user, pk=client_id, audit=False)
    access.require_staff(request.user)
    user = request.user
    place = selectors.place_get_for(user=user, pk=payload.place_id) if payload.place_id else None
    offer = selectors.offer_get_for(user=user, pk=payload.offer_id) if payload.offer_id else None
    org = (
        selectors.organisation_get_for(user=user, pk=payload.organisation_id)
        if payload.organisation_id
        else None
    )
    referral = services.referral_create(
        actor=user,
        client=client,
        reason=payload.reason,
        offer=offer,
        organisation=org,
        place=place,
        referred_on=payload.referred_on,
        shared_info=payload.shared_info,
    )
    return Status(201, referral)


@router.get("/referrals", response=list[PartnerReferralOut])
def partner_referral_list(request: HttpRequest):
    """The referrals addressed to the partner contact's own organisation."""
    if access.is_staff(request.user):
        raise Http404
    return list(selectors.partner_referrals_for(request.user)[:MAX_ITEMS])


@router.post("/referrals/{referral_id}/status", response=StatusOut)
def referral_status(request: HttpRequest, referral_id: int, payload: StatusIn):
    """Accept, refuse, start or end: the worker of the dossier, or the addressed partner."""
    referral = selectors.referral_get_for(user=request.user, pk=referral_id)
    return services.referral_set_status(
        actor=request.user, referral=referral, status=payload.status, note=payload.note
    )
