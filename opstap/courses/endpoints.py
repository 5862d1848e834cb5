"""REST API of the collective modules (/api/v1/modules/).

Same access rules as the pages: readers see modules and editions (partners only those of the
modules their organisation delivers); module staff see and change enrolments and registers.
Forbidden answers 404; service ValidationErrors answer 422 naming the field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from opstap.clients.selectors import client_get_for

from . import access, selectors, services
from .models import Edition, Enrolment, Module

PREFIX = "/modules/"
router = Router(tags=["modules"])


class ModuleOut(Schema):
    id: int
    ref: str
    name: str
    name_nl: str
    name_fr: str
    name_en: str
    goal: str
    description: str
    target_gender: str
    age_min: int | None
    age_max: int | None
    non_native_only: bool
    dutch_level_min: str
    dutch_level_max: str
    target_group: str
    method: str
    steering_group: str
    partner_ids: list[int]
    active: bool

    @staticmethod
    def resolve_partner_ids(obj: Module) -> list[int]:
        return [o.pk for o in obj.partners.all()]


class PhaseOut(Schema):
    kind: str
    label: str
    weeks: int
    hours: Decimal
    days_per_week: Decimal


class SessionOut(Schema):
    id: int
    kind: str
    week: int
    date: datetime.date
    # Local wall-clock time without an offset: JSON Schema's "time" format demands one.
    start_time: datetime.time = Field(
        description="Local time, HH:MM:SS.", json_schema_extra={"format": "partial-time"}
    )
    minutes: int
    status: str
    moved_from: datetime.date | None
    note: str


class EditionOut(Schema):
    id: int
    ref: str
    module_id: int
    start_date: datetime.date
    end_date: datetime.date
    capacity: int | None
    cost_eur: Decimal | None
    location: str
    places_taken: int
    waiting: int

    @staticmethod
    def resolve_places_taken(obj: Edition) -> int:
        return obj.n_places

    @staticmethod
    def resolve_waiting(obj: Edition) -> int:
        return obj.n_waiting


class EditionDetailOut(EditionOut):
    phases: list[PhaseOut]
    sessions: list[SessionOut]

    @staticmethod
    def resolve_phases(obj: Edition) -> list:
        return list(obj.phases.all())

    @staticmethod
    def resolve_sessions(obj: Edition) -> list:
        return selectors.sessions_for(obj)


class EnrolmentOut(Schema):
    id: int
    edition_id: int
    client_id: int
    client_ref: str
    status: str
    proposed_on: datetime.date
    enrolled_on: datetime.date | None
    offered_on: datetime.date | None
    left_on: datetime.date | None
    reason: str
    override_reason: str
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    attendance_percent: float | None = None

    @staticmethod
    def resolve_client_ref(obj: Enrolment) -> str:
        return obj.client.ref


class ProposeIn(Schema):
    client_id: int
    override_reason: str = ""


class RegisterEntry(Schema):
    enrolment_id: int
    status: str
    reason: str = ""


class RegisterIn(Schema):
    entries: list[RegisterEntry]


class RegisterOut(Schema):
    saved: int


def _reader(request: HttpRequest) -> None:
    if not (access.is_reader(request.user) or access.is_partner(request.user)):
        raise Http404


@router.get("/", response=list[ModuleOut])
def module_list(request: HttpRequest, q: str = "", show: str = "all"):
    _reader(request)
    return list(selectors.module_list_for(request.user, search=q, show=show).order_by("ref"))


@router.get("/{module_id}", response=ModuleOut)
def module_read(request: HttpRequest, module_id: int):
    _reader(request)
    return selectors.module_get_for(user=request.user, pk=module_id)


@router.get("/{module_id}/editions", response=list[EditionOut])
def edition_list(request: HttpRequest, module_id: int):
    _reader(request)
    module = selectors.module_get_for(user=request.user, pk=module_id)
    return list(selectors.edition_list_for(request.user, module=module))


@router.get("/editions/{edition_id}", response=EditionDetailOut)
def edition_read(request: HttpRequest, edition_id: int):
    _reader(request)
    return selectors.edition_get_for(user=request.user, pk=edition_id)


def _with_rates(edition: Edition, enrolments: list[Enrolment]) -> list[Enrolment]:
    rates = selectors.attendance_rates(edition)
    for e in enrolments:
        rate = rates.get(e.pk, selectors.Rate())
        e.present, e.excused, e.unexcused = rate.present, rate.excused, rate.unexcused
        e.attendance_percent = rate.percent
    return enrolments


@router.get("/editions/{edition_id}/enrolments", response=list[EnrolmentOut])
def enrolment_list(request: HttpRequest, edition_id: int):
    access.require_staff(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=edition_id)
    return _with_rates(edition, selectors.enrolments_for(request.user, edition))


@router.post("/editions/{edition_id}/enrolments", response={201: EnrolmentOut})
def enrolment_create(request: HttpRequest, edition_id: int, payload: ProposeIn):
    """Propose a client (of the caller's dossiers): enrolled, or on the waiting list when full."""
    access.require_staff(request.user)
    edition = selectors.edition_get_for(user=request.user, pk=edition_id)
    client = client_get_for(user=request.user, pk=payload.client_id, audit=False)
    enrolment = services.enrolment_propose(
        actor=request.user,
        edition=edition,
        client=client,
        override_reason=payload.override_reason,
    )
    return Status(201, enrolment)


@router.post("/sessions/{session_id}/register", response=RegisterOut)
def register_save(request: HttpRequest, session_id: int, payload: RegisterIn):
    """Save a session's attendance: one entry per participant."""
    access.require_staff(request.user)
    session = selectors.session_get_for(user=request.user, pk=session_id)
    entries = {e.enrolment_id: (e.status, e.reason) for e in payload.entries}
    return {"saved": services.register_save(actor=request.user, session=session, entries=entries)}
