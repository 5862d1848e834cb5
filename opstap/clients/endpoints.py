"""REST API for client dossiers, income rights and care teams (/api/v1/clients/).

Same access rules as the pages: a dossier the caller may not open answers 404, whatever the
reason. Reads go through selectors (opening a dossier is audited as on the page), writes through
services; their ValidationErrors become 422 (opstap.api.errors).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opstap.accounts.models import User
from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.api.errors import error_items
from opstap.api.schemas import COMMON_ERRORS, READ_ERRORS, ConflictOut, IsoDate
from opstap.core.models import Office

from . import selectors, services
from .models import CareRole, CareTeamMember, Client, DutchLevel, Gender, Household, RightKind
from .validators import clean_insz

PREFIX = "/clients/"
router = Router(tags=["clients"])

MAX_PAGE_SIZE = 100
# API field names that differ from the model's, so a service error names the field sent.
RENAME = {"office": "office_id", "user": "user_id"}


# ---- schemas -------------------------------------------------------------------------------


class RightOut(Schema):
    id: int
    kind: RightKind
    start_date: datetime.date
    end_date: datetime.date | None


class WorkerOut(Schema):
    id: int
    name: str


class ClientOut(Schema):
    id: int
    ref: str
    last_name: str
    first_name: str
    birth_date: datetime.date
    gender: Gender | None
    insz: str
    language: str
    dutch_level: DutchLevel | None
    household: Household | None
    phone: str
    email: str
    address: str
    office_id: int | None
    office_name: str | None
    active_right: RightOut | None
    reference_worker: WorkerOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ClientPage(Schema):
    count: int = Field(description="Number of clients matching the filters, on all pages.")
    page: int
    size: int
    items: list[ClientOut]


class ClientFilters(Schema):
    q: str = Field("", description="Search by name, INSZ (at least 4 digits) or reference.")
    office: int | None = Field(None, description="Office id.")
    right_active: bool | None = Field(None, description="With (true) or without (false) a right.")
    care_role: CareRole | None = Field(None, description="Only clients where I have this role.")
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class ClientIn(Schema):
    last_name: str
    first_name: str
    birth_date: IsoDate
    gender: Gender | None = None
    insz: str = Field("", description="11 digits; dots and dashes are allowed.")
    language: str = Field("nl", description="ISO code, e.g. nl, fr, ar.")
    dutch_level: DutchLevel | None = None
    household: Household | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    office_id: int | None = None
    ref: str = Field("", description="Leave empty to have one made for you.")
    confirm_duplicate: bool = Field(
        False, description="Create even when a client with the same name and birth date exists."
    )


class ClientPatch(Schema):
    """Only the fields sent are changed."""

    ref: str = None
    last_name: str = None
    first_name: str = None
    birth_date: IsoDate = None
    gender: Gender | None = None
    insz: str = None
    language: str = None
    dutch_level: DutchLevel | None = None
    household: Household | None = None
    phone: str = None
    email: str = None
    address: str = None
    office_id: int | None = None


class RightIn(Schema):
    kind: RightKind
    start_date: IsoDate
    end_date: IsoDate | None = None


class RightPatch(Schema):
    """Only the fields sent are changed; end_date null makes the right open-ended."""

    kind: RightKind = None
    start_date: IsoDate = None
    end_date: IsoDate | None = None


class CareMemberOut(Schema):
    id: int
    user: WorkerOut
    role: CareRole
    start_date: datetime.date
    end_date: datetime.date | None
    active: bool


class CareMemberIn(Schema):
    user_id: int
    role: CareRole
    start_date: IsoDate | None = Field(None, description="Today when left out.")


class CareMemberEnd(Schema):
    end_date: IsoDate | None = Field(None, description="Today when left out.")


# ---- helpers -------------------------------------------------------------------------------


def _worker(user) -> dict | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _client_out(client: Client, active_right, reference_worker) -> dict:
    data = {name: getattr(client, name) for name in services.CLIENT_FIELDS if name != "office"}
    for name in ("gender", "dutch_level", "household"):
        data[name] = data[name] or None
    data.update(
        id=client.pk,
        office_id=client.office_id,
        office_name=client.office.name if client.office else None,
        active_right=active_right,
        reference_worker=_worker(reference_worker),
        created_at=client.created_at,
        updated_at=client.updated_at,
    )
    return data


def _client_detail(client: Client) -> dict:
    return _client_out(
        client, selectors.active_right_for(client), selectors.reference_worker_for(client)
    )


def _member_out(member: CareTeamMember) -> dict:
    return {
        "id": member.pk,
        "user": _worker(member.user),
        "role": member.role,
        "start_date": member.start_date,
        "end_date": member.end_date,
        "active": member.is_active,
    }


def _client_for(request: HttpRequest, client_id: int, *, audit: bool) -> Client:
    return selectors.client_get_for(user=request.auth, pk=client_id, audit=audit)


def _casework_required(user) -> None:
    # As on the pages: only caseworkers create dossiers; anyone else gets "not found".
    if not (user.role_set & CASEWORK_ROLES):
        raise Http404


def _clean_language(value: str) -> str:
    value = (value or "").strip().lower()
    if not (2 <= len(value) <= 3 and value.isalpha()):
        raise ValidationError({"language": _("Use a language code such as nl, fr or ar.")})
    return value


def _office_for(request: HttpRequest, office_id: int | None) -> Office | None:
    if office_id is None:
        return None
    office = Office.objects.filter(pk=office_id, centre=request.centre, active=True).first()
    if office is None:
        raise ValidationError({"office_id": _("This office does not exist in your centre.")})
    return office


def _service_fields(request: HttpRequest, data: dict, client: Client | None = None) -> dict:
    """API input -> the keyword arguments of the client services."""
    fields = dict(data)
    if fields.get("insz"):
        try:
            fields["insz"] = clean_insz(fields["insz"])
        except ValidationError as exc:
            # The validator's error names no field; the API must say which one it is.
            raise ValidationError({"insz": exc.error_list}) from exc
    if "language" in fields:
        fields["language"] = _clean_language(fields["language"])
    if "office_id" in fields:
        office_id = fields.pop("office_id")
        if client is not None and office_id == client.office_id:
            fields["office"] = client.office  # an office made inactive since may stay
        else:
            fields["office"] = _office_for(request, office_id)
    for name in ("gender", "dutch_level", "household"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


def _conflict(request: HttpRequest, exc: services.DuplicateInsz) -> Status:
    visible = selectors.client_queryset_for(request.auth).filter(pk=exc.existing.pk).exists()
    return Status(
        409,
        {
            "detail": error_items(exc, RENAME),
            "existing_id": exc.existing.pk if visible else None,
        },
    )


def _creator_care_role(user) -> str:
    # The same choice as the "new client" page: a counsellor joins as counsellor.
    if user.has_role(Role.COUNSELLOR) and not user.has_role(Role.SOCIAL_WORKER):
        return CareRole.COUNSELLOR
    return CareRole.REFERENCE


def _raise_renamed(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        raise ValidationError(
            {RENAME.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc
    raise exc


# ---- clients -------------------------------------------------------------------------------


@router.get("", response={200: ClientPage, **COMMON_ERRORS}, summary="List clients")
def client_list(request: HttpRequest, filters: Query[ClientFilters]):
    """The clients the caller may open (their care team; a head of service: their teams')."""
    qs = selectors.caseload_for(
        request.auth,
        search=filters.q.strip(),
        office_id=filters.office,
        right_active=filters.right_active,
        care_role=filters.care_role or "",
        scope="team",
    ).order_by("last_name", "first_name", "id")
    start = (filters.page - 1) * filters.size
    items = [
        _client_out(
            c,
            c.active_rights[0] if c.active_rights else None,
            c.reference_workers[0].user if c.reference_workers else None,
        )
        for c in qs[start : start + filters.size]
    ]
    return {"count": qs.count(), "page": filters.page, "size": filters.size, "items": items}


@router.post(
    "",
    response={201: ClientOut, 409: ConflictOut, **READ_ERRORS},
    summary="Create a client",
)
def client_create(request: HttpRequest, payload: ClientIn):
    """Create a dossier; the caller joins its care team (as on the page)."""
    user = request.auth
    _casework_required(user)
    data = payload.dict()
    confirmed = data.pop("confirm_duplicate")
    try:
        fields = _service_fields(request, data)
        if (
            not confirmed
            and selectors.possible_duplicates(
                centre=request.centre,
                last_name=fields["last_name"],
                first_name=fields["first_name"],
                birth_date=fields["birth_date"],
            ).exists()
        ):
            raise ValidationError(
                {
                    "confirm_duplicate": _(
                        "A client with the same name and birth date exists. Check it, then confirm."
                    )
                }
            )
        client = services.client_create(
            actor=user, centre=request.centre, care_role=_creator_care_role(user), **fields
        )
    except services.DuplicateInsz as exc:
        return _conflict(request, exc)
    except ValidationError as exc:
        _raise_renamed(exc)
    return Status(201, _client_detail(client))


@router.get("{client_id}", response={200: ClientOut, **READ_ERRORS}, summary="Read a client")
def client_read(request: HttpRequest, client_id: int):
    """One dossier; the read is written to the audit log like opening the page."""
    return _client_detail(_client_for(request, client_id, audit=True))


@router.patch(
    "{client_id}",
    response={200: ClientOut, 409: ConflictOut, **READ_ERRORS},
    summary="Update a client",
)
def client_update(request: HttpRequest, client_id: int, payload: ClientPatch):
    """Change the fields sent; the audit keeps old and new values."""
    client = _client_for(request, client_id, audit=False)
    try:
        fields = _service_fields(request, payload.dict(exclude_unset=True), client)
        client = services.client_update(actor=request.auth, client=client, **fields)
    except services.DuplicateInsz as exc:
        return _conflict(request, exc)
    except ValidationError as exc:
        _raise_renamed(exc)
    return _client_detail(client)


# ---- income rights -------------------------------------------------------------------------


@router.get(
    "{client_id}/rights",
    response={200: list[RightOut], **READ_ERRORS},
    summary="List a client's income rights",
)
def right_list(request: HttpRequest, client_id: int):
    client = _client_for(request, client_id, audit=True)
    return list(client.rights.order_by("-start_date"))


@router.post(
    "{client_id}/rights",
    response={201: RightOut, **READ_ERRORS},
    summary="Add an income right",
)
def right_create(request: HttpRequest, client_id: int, payload: RightIn):
    """Overlapping rights of the same client are refused (422)."""
    client = _client_for(request, client_id, audit=False)
    return Status(201, services.right_create(actor=request.auth, client=client, **payload.dict()))


@router.patch(
    "{client_id}/rights/{right_id}",
    response={200: RightOut, **READ_ERRORS},
    summary="Update an income right",
)
def right_update(request: HttpRequest, client_id: int, right_id: int, payload: RightPatch):
    client = _client_for(request, client_id, audit=False)
    right = client.rights.select_related("client__centre").filter(pk=right_id).first()
    if right is None:
        raise Http404
    fields = payload.dict(exclude_unset=True)
    return services.right_update(actor=request.auth, right=right, **fields)


# ---- care team -----------------------------------------------------------------------------


@router.get(
    "{client_id}/care-team",
    response={200: list[CareMemberOut], **READ_ERRORS},
    summary="List a client's care team",
)
def care_team_list(request: HttpRequest, client_id: int):
    client = _client_for(request, client_id, audit=True)
    return [_member_out(m) for m in selectors.care_team_for(client)]


@router.post(
    "{client_id}/care-team",
    response={201: CareMemberOut, **READ_ERRORS},
    summary="Add a worker to the care team",
)
def care_member_add(request: HttpRequest, client_id: int, payload: CareMemberIn):
    client = _client_for(request, client_id, audit=False)
    # The same choice of workers as the page: active, of this centre, not partner contacts.
    worker = (
        User.objects.filter(pk=payload.user_id, centre=request.centre, is_active=True)
        .exclude(roles__contains=f",{Role.PARTNER},")
        .first()
    )
    if worker is None:
        raise ValidationError({"user_id": _("This worker does not exist in your centre.")})
    try:
        member = services.care_member_add(
            actor=request.auth,
            client=client,
            user=worker,
            role=payload.role,
            start_date=payload.start_date,
        )
    except ValidationError as exc:
        _raise_renamed(exc)
    return Status(201, _member_out(member))


@router.post(
    "{client_id}/care-team/{member_id}/end",
    response={200: CareMemberOut, **READ_ERRORS},
    summary="End a worker's role in the care team",
)
def care_member_end(
    request: HttpRequest, client_id: int, member_id: int, payload: CareMemberEnd | None = None
):
    """The membership stays in the history with its end date."""
    client = _client_for(request, client_id, audit=False)
    member = client.care_team.select_related("user", "client__centre").filter(pk=member_id).first()
    if member is None:
        raise Http404
    if member.end_date is not None:
        raise ValidationError({"end_date": _("This worker's role has already ended.")})
    end_date = payload.end_date if payload else None
    services.care_member_end(actor=request.auth, member=member, end_date=end_date)
    return _member_out(member)
