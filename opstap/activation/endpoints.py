"""REST API of social activation (/api/v1/activation/): placements and monthly hours.

Same access rules as the pages: workers see the placements of the dossiers they may open, a
partner contact only those of its own organisation. Forbidden answers 404; service
ValidationErrors answer 422 naming the field (opstap.api.errors).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from opstap.clients.selectors import client_get_for
from opstap.network.selectors import organisation_get_for

from . import selectors, services
from .models import MonthlyHours

PREFIX = "/activation/"
router = Router(tags=["activation"])
MAX_ITEMS = 500


class PlacementOut(Schema):
    id: int
    ref: str
    client_id: int
    organisation_id: int
    place_id: int | None
    kind: str
    track: str
    status: str
    start: datetime.date | None
    end: datetime.date | None
    end_reason: str
    weekly_hours: Decimal | None
    previous_id: int | None


class PlacementIn(Schema):
    client_id: int
    organisation_id: int
    place_id: int | None = None
    kind: str
    track: str = ""
    start: datetime.date | None = None
    weekly_hours: Decimal | None = None
    ref: str = ""


class HoursOut(Schema):
    id: int
    placement_id: int
    month: datetime.date
    hours: Decimal
    transport_eur: Decimal
    clothing_eur: Decimal
    status: str


class HoursRowIn(Schema):
    placement_id: int
    hours: str = ""
    transport_eur: str = ""
    clothing_eur: str = ""


class HoursMonthIn(Schema):
    month: str  # YYYY-MM
    rows: list[HoursRowIn]
    submit: bool = False


@router.get("/placements", response=list[PlacementOut])
def placement_list(
    request: HttpRequest, q: str = "", kind: str = "", track: str = "", status: str = ""
):
    qs = selectors.placement_list_for(request.user, search=q, kind=kind, track=track, status=status)
    return list(qs.order_by("-start", "-id")[:MAX_ITEMS])


@router.get("/placements/{placement_id}", response=PlacementOut)
def placement_read(request: HttpRequest, placement_id: int):
    return selectors.placement_get_for(user=request.user, pk=placement_id)


@router.post("/placements", response={201: PlacementOut})
def placement_create(request: HttpRequest, payload: PlacementIn):
    if not selectors.is_staff(request.user):
        raise Http404
    client = client_get_for(user=request.user, pk=payload.client_id, audit=False)
    org = organisation_get_for(user=request.user, pk=payload.organisation_id)
    place = org.places.filter(pk=payload.place_id).first() if payload.place_id else None
    placement = services.placement_create(
        actor=request.user,
        client=client,
        organisation=org,
        place=place,
        kind=payload.kind,
        track=payload.track,
        start=payload.start,
        weekly_hours=payload.weekly_hours,
        ref=payload.ref,
    )
    return Status(201, placement)


@router.get("/placements/{placement_id}/hours", response=list[HoursOut])
def placement_hours(request: HttpRequest, placement_id: int):
    placement = selectors.placement_get_for(user=request.user, pk=placement_id)
    return list(MonthlyHours.objects.filter(placement=placement).order_by("month"))


@router.post("/hours", response=list[HoursOut])
def hours_month(request: HttpRequest, payload: HoursMonthIn):
    """The partner's monthly grid: save as draft, or submit (`submit: true`)."""
    from opstap.network.selectors import partner_organisation_for

    from .reports import parse_month

    org = partner_organisation_for(request.user)
    if org is None:
        raise Http404
    try:
        month = parse_month(payload.month)
    except ValueError:
        raise Http404 from None
    placements = {p.pk: p for p in selectors.grid_placements(org, month)}
    rows = []
    for row in payload.rows:
        if row.placement_id not in placements:
            raise Http404
        rows.append(
            services.HoursRow(
                placement=placements[row.placement_id],
                hours=row.hours,
                transport_eur=row.transport_eur,
                clothing_eur=row.clothing_eur,
            )
        )
    return services.hours_save_month(
        actor=request.user, organisation=org, month=month, rows=rows, submit=payload.submit
    )
