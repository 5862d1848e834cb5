"""Reads of placements, hours and evaluations, always for a given user (404 when not theirs)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Max, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.clients.models import Client
from opstap.clients.selectors import CaredForRead, client_queryset_for, team_member_ids
from opstap.core.dates import add_months
from opstap.core.dossier import client_rows, shared_read
from opstap.core.idlist import IdIn
from opstap.core.prepared import PreparedRead
from opstap.core.stored import stored
from opstap.network.models import Organisation
from opstap.network.selectors import partner_organisation_for, place_list_for

from .models import (
    SOCIAL_KINDS,
    ActivationSettings,
    Evaluation,
    HoursStatus,
    MonthlyHours,
    Placement,
    Status,
)

# Who work with placements in the Activation list and approve hours.
STAFF_ROLES = frozenset(CASEWORK_ROLES)
APPROVER_ROLES = frozenset({Role.ACTIVATION, Role.HEAD})
# Evaluations due within this many days are listed as "due soon".
EVALUATION_NOTICE_DAYS = 30


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.centre_id and user.role_set & STAFF_ROLES)


def can_approve(user) -> bool:
    return bool(user.is_authenticated and user.centre_id and user.role_set & APPROVER_ROLES)


_SETTINGS = PreparedRead(
    lambda centre_id: ActivationSettings.objects.filter(centre_id=centre_id).order_by("pk")
)


def settings_for(centre) -> ActivationSettings:
    """The centre's activation settings (created with their defaults when missing)."""
    centre_id = getattr(centre, "pk", centre)
    found = _SETTINGS.first(centre_id)
    if found is not None:
        return found
    obj, _created = ActivationSettings.objects.get_or_create(centre_id=centre_id)
    return obj


# --- placements ------------------------------------------------------------------------------


def _related(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    return qs.select_related("client", "organisation", "place")


def placement_queryset_for(user) -> QuerySet[Placement]:
    """Placements of the dossiers a worker may open, or of the partner's own organisation."""
    if is_staff(user):
        return _placements_of(user.centre_id, client_queryset_for(user))
    own = partner_organisation_for(user)
    if own is not None:
        return Placement.objects.filter(organisation=own, centre_id=user.centre_id)
    return Placement.objects.none()


def _placements_of(centre_id: int, clients: QuerySet[Client]) -> QuerySet[Placement]:
    return Placement.objects.filter(centre_id=centre_id, client__in=clients)


def placement_list_for(
    user,
    *,
    search: str = "",
    kind: str = "",
    track: str = "",
    status: str = "",
    organisation_id: int | None = None,
) -> QuerySet[Placement]:
    qs = placement_queryset_for(user)
    for word in search.split():
        qs = qs.filter(
            Q(ref__iexact=word)
            | Q(client__last_name__icontains=word)
            | Q(client__first_name__icontains=word)
            | Q(client__ref__iexact=word)
            | Q(organisation__name__icontains=word)
            | Q(place__title__icontains=word)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if track:
        qs = qs.filter(track=track)
    if status == "open":
        qs = qs.exclude(status=Status.ENDED)
    elif status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return _related(qs)


def placement_get_for(*, user, pk: int) -> Placement:
    placement = _related(placement_queryset_for(user)).filter(pk=pk).first()
    if placement is None:
        raise Http404
    return placement


def placements_for_client(client: Client) -> QuerySet[Placement]:
    """The placements of a dossier the caller already opened with client_get_for."""
    return (
        _related(client.placements.all())
        .select_related("agreement", "art60", "handover", "previous")
        .order_by("-start", "-id")
    )


def organisations_for(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(centre_id=user.centre_id, active=True).order_by("name")


# --- eligibility and matching ----------------------------------------------------------------

DUTCH_ORDER = ["A0", "A1", "A2", "B1", "B2", "C1", "C2"]
MAX_AGE = 65
BLOCKING_BARRIERS = {"addiction", "psychological"}


@dataclass
class Hint:
    label: str
    ok: bool | None  # None: not known
    reason: str


def _latest_balance(client: Client):
    from opstap.balance.selectors import balances_of

    balances = balances_of(client)  # the dossier header reads them too
    if not balances:
        return None
    prefetch_related_objects(balances[:1], "barriers", "responses")
    return balances[0]


def eligibility_for(client: Client, *, today: datetime.date | None = None) -> list[Hint]:
    """Hints for social activation, each with its reason. They inform the worker, never decide."""
    today = today or datetime.date.today()
    age = client.age_on(today)
    hints = [
        Hint(
            _("Age up to %(max)d") % {"max": MAX_AGE},
            age <= MAX_AGE,
            _("%(age)d years old.") % {"age": age},
        )
    ]
    level = client.dutch_level or ""
    if level in DUTCH_ORDER:
        ok = DUTCH_ORDER.index(level) >= DUTCH_ORDER.index("A1")
        reason = _("Dutch level %(level)s recorded in the dossier.") % {"level": level}
    else:
        ok, reason = None, _("No Dutch level recorded yet.")
    hints.append(Hint(_("Dutch at least A1 (level 1.2)"), ok, reason))
    balance = _latest_balance(client)
    if balance is None:
        hints.append(
            Hint(_("No active addiction or psychiatric problem"), None, _("No balance yet."))
        )
    else:
        noted = [b for b in balance.barriers.all() if b.code in BLOCKING_BARRIERS]
        if noted:
            reason = _("Noted in the balance of %(date)s: %(items)s.") % {
                "date": balance.started_on.strftime("%d/%m/%Y"),
                "items": ", ".join(f"{b.label}{' – ' + b.note if b.note else ''}" for b in noted),
            }
        else:
            reason = _("Not noted among the barriers of the balance of %(date)s.") % {
                "date": balance.started_on.strftime("%d/%m/%Y")
            }
        hints.append(Hint(_("No active addiction or psychiatric problem"), not noted, reason))
    return hints


# Words in the balance's "Which sectors appeal to you?" choices (English labels) -> sector.
SECTOR_WORDS = {
    "care": "social",
    "welfare": "social",
    "hospitality": "hospitality",
    "construction": "technical",
    "technical": "technical",
    "green": "environment",
    "environment": "environment",
    "administration": "administration",
    "reception": "administration",
    "animal": "animals",
}


def sector_interests_for(client: Client, balance=None) -> set[str]:
    """Sectors the client chose in the interests instrument of the latest balance."""
    balance = balance if balance is not None else _latest_balance(client)
    if balance is None:
        return set()
    from opstap.balance.models import Choice

    ids = set()
    for response in balance.responses.all():
        for value in (response.answers or {}).values():
            if isinstance(value, list):
                ids.update(int(v) for v in value if str(v).isdigit())
    sectors = set()
    for label in Choice.objects.filter(pk__in=ids).values_list("label_en", flat=True):
        for word, sector in SECTOR_WORDS.items():
            if word in (label or "").lower():
                sectors.add(sector)
    return sectors


@dataclass
class Match:
    place: object
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)


def _postcode(text: str) -> str:
    found = re.search(r"\b\d{4}\b", text or "")
    return found.group(0) if found else ""


def matching_places_for(
    client: Client, user, *, hours: float | None = None, limit: int = 20
) -> list[Match]:
    """Open places ranked by fit with the client, with the reasons for each."""
    balance = _latest_balance(client)
    interests = sector_interests_for(client, balance)
    level = client.dutch_level or ""
    office = client.office
    office_words = {w.lower() for w in (office.name.split() if office else []) if len(w) > 3}
    office_code = _postcode(office.address) if office else ""
    matches = []
    for place in place_list_for(user, open_only=True)[:300]:
        m = Match(place)
        org = place.organisation
        if org.sector and org.sector in interests:
            m.score += 3
            m.reasons.append(
                _("Sector %(sector)s is among the client's interests.")
                % {"sector": org.get_sector_display()}
            )
        if level in DUTCH_ORDER:
            if DUTCH_ORDER.index(level) >= DUTCH_ORDER.index("A2"):
                m.score += 1
                m.reasons.append(_("Dutch level %(level)s.") % {"level": level})
            elif (
                "nederlands" in (place.requirements or "").lower()
                or "dutch" in (place.requirements or "").lower()
            ):
                m.concerns.append(
                    _("The place asks for Dutch; the client has %(l)s.") % {"l": level}
                )
        if hours is not None and place.hours_per_week is not None:
            if abs(float(place.hours_per_week) - hours) <= 4:
                m.score += 2
                m.reasons.append(
                    _("%(h)s hours a week is close to the %(w)s wished.")
                    % {"h": place.hours_per_week, "w": hours}
                )
            else:
                m.concerns.append(
                    _("%(h)s hours a week, %(w)s wished.") % {"h": place.hours_per_week, "w": hours}
                )
        where = f"{place.location} {org.address}".lower()
        if office_code and office_code in where:
            m.score += 2
            m.reasons.append(
                _("In the same postcode as the client's office (%(c)s).") % {"c": office_code}
            )
        elif office_words and any(w in where for w in office_words):
            m.score += 1
            m.reasons.append(_("Near the client's office (%(o)s).") % {"o": office.name})
        if org.insurance_warning:
            m.concerns.append(str(org.insurance_label))
        matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.place.organisation.name, m.place.title))
    return matches[:limit]


# --- monthly hours ---------------------------------------------------------------------------


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    nxt = add_months(first, 1)
    return first, nxt - datetime.timedelta(days=1)


_GRID_PLACEMENTS = PreparedRead(
    lambda organisation_id, first, last: (
        Placement.objects.filter(
            organisation_id=organisation_id, start__isnull=False, start__lte=last
        )
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .exclude(status__in=[Status.REFERRAL, Status.INTRODUCTION, Status.PROPOSAL])
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "ref")
        # What the grid, its review and their saving use of a placement: whole rows of a
        # large workshop's placements and clients took a third of the grid's time in Python.
        .only(
            "ref", "kind", "organisation", "start", "end", "client__first_name", "client__last_name"
        )
    ),
    kinds=(int, datetime.date, datetime.date),
)
_GRID_HOURS = PreparedRead(
    lambda organisation_id, month: MonthlyHours.objects.filter(
        month=month, placement__organisation_id=organisation_id
    ),
    kinds=(int, datetime.date),
)


def grid_placements(organisation: Organisation, month: datetime.date) -> list[Placement]:
    """The organisation's placements running in the month, each with `.record` (or None).

    Two reads built once per process: the placements, and the organisation's hours records
    of the month, matched to them by placement."""
    first, last = month_bounds(month)
    placements = _GRID_PLACEMENTS.list(organisation.pk, first, last)
    records: dict[int, list[MonthlyHours]] = defaultdict(list)
    for record in _GRID_HOURS.list(organisation.pk, first):
        records[record.placement_id].append(record)
    for p in placements:
        p.rows = records.get(p.pk, [])
        p.record = p.rows[0] if p.rows else None
    return placements


def month_state(placements: list[Placement]) -> str:
    """The month's state for the organisation: empty, draft, submitted or approved."""
    states = {p.record.status for p in placements if p.record}
    if not states:
        return "empty"
    for state in (HoursStatus.DRAFT, HoursStatus.SUBMITTED):
        if state in states:
            return state
    return HoursStatus.APPROVED


def hours_to_approve_for(user) -> list[dict]:
    """Submitted months per organisation, for the staff who approve them."""
    if not can_approve(user):
        return []
    rows = (
        MonthlyHours.objects.filter(
            status=HoursStatus.SUBMITTED,
            placement__in=placement_queryset_for(user),
        )
        .values("placement__organisation_id", "placement__organisation__name", "month")
        .annotate(n=Max("id"))
        .order_by("month", "placement__organisation__name")
    )
    return [
        {
            "organisation_id": r["placement__organisation_id"],
            "organisation": r["placement__organisation__name"],
            "month": r["month"],
        }
        for r in rows
    ]


def organisations_missing_hours(centre, month: datetime.date) -> list[Organisation]:
    """Organisations with social placements running in the month whose hours are not submitted."""
    first, last = month_bounds(month)
    running = Placement.objects.filter(
        centre=centre, kind__in=SOCIAL_KINDS, start__isnull=False, start__lte=last
    ).filter(Q(end__isnull=True) | Q(end__gte=first))
    done = MonthlyHours.objects.filter(
        month=first, status__in=[HoursStatus.SUBMITTED, HoursStatus.APPROVED]
    ).values("placement_id")
    waiting = running.exclude(pk__in=done).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=waiting).prefetch_related("contacts__user"))


# --- evaluations -----------------------------------------------------------------------------


@dataclass
class DueEvaluation:
    placement: Placement
    due_on: datetime.date
    overdue: bool


def next_evaluation_due(placement: Placement, settings: ActivationSettings) -> datetime.date | None:
    """The day the next evaluation is due: the interval after the last talk, or after the start."""
    months = settings.evaluation_months(placement.kind, placement.track)
    if not months or placement.start is None:
        return None
    base = getattr(placement, "last_held", None) or placement.start
    return add_months(base, months)


class _Timing(NamedTuple):
    """What the due day of a placement's next evaluation depends on (next_evaluation_due)."""

    pk: int
    kind: str
    track: str
    start: datetime.date | None
    last_held: datetime.date | None


class DueEvaluations(list):
    """The first evaluations due (a list of DueEvaluation), and how many are due in all."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total


def _running_timings(placements: QuerySet[Placement]) -> QuerySet:
    """What the due day of each running social placement's next evaluation needs."""
    return (
        placements.filter(status=Status.ACTIVE, kind__in=SOCIAL_KINDS, end__isnull=True)
        .annotate(last_held=Max("evaluations__held_on"))
        .order_by()
        .values_list("pk", "kind", "track", "start", "last_held")
    )


_RUNNING_OF = CaredForRead(
    lambda clients, _user_id, centre_id: _running_timings(_placements_of(centre_id, clients))
)
_SHOWN_PLACEMENTS = PreparedRead(
    lambda ids: (
        Placement.objects.filter(IdIn("pk", ids))
        .select_related("client", "organisation")
        .only("client__first_name", "client__last_name", "organisation__name")
        .order_by()
    ),
    kinds=(list,),
)


def _due_days(user, today: datetime.date) -> list[tuple[datetime.date, int]]:
    """(due day, placement id) of the evaluations due within the notice, soonest first.

    The due days are worked out on plain values, and only the placements shown are read
    with their client and organisation: a head's team has 123 running placements, 100 of
    them due, and the start page shows ten (as model instances: 12.4 ms for all of them).
    """
    settings = settings_for(user.centre_id)
    timings = _RUNNING_OF.list(user)  # staff: the placements of the dossiers they may open
    horizon = today + datetime.timedelta(days=EVALUATION_NOTICE_DAYS)
    due = []
    for timing in map(_Timing._make, timings):
        day = next_evaluation_due(timing, settings)
        if day is not None and day <= horizon:
            due.append((day, timing.pk))
    due.sort()
    return due


def evaluations_due_for(
    user, *, today: datetime.date | None = None, limit: int | None = None
) -> DueEvaluations:
    """Active social placements whose evaluation is overdue or due within 30 days, soonest
    first; with a limit, the first `limit` of them (`.total` counts them all)."""
    if not is_staff(user):
        return DueEvaluations([], 0)
    today = today or datetime.date.today()
    if user.has_role(Role.HEAD):
        # A head's team's placements (a city's team: 1,037 dossiers, 123 running social
        # placements) are read by their evaluations: the due days are kept between reads
        # while nothing they were worked out from is written in the centre
        # (opstap.core.stored). The team is in the key: a change to it is a new list.
        team = tuple(sorted(team_member_ids(user)))
        key = repr(("evaluations-due", user.pk, team, today))
        due = stored(user.centre_id, key, lambda: _due_days(user, today))
    else:
        due = _due_days(user, today)
    shown = due if limit is None else due[:limit]
    by_pk = {p.pk: p for p in _SHOWN_PLACEMENTS.list([pk for _day, pk in shown])}  # none: no query
    return DueEvaluations(
        [DueEvaluation(by_pk[pk], day, day < today) for day, pk in shown], total=len(due)
    )


def evaluations_for(placement: Placement) -> QuerySet[Evaluation]:
    return placement.evaluations.all().order_by("-due_on")


def current_evaluation_due(placement: Placement) -> datetime.date | None:
    """The due date of the evaluation to work on now: an open one, else the next one."""
    open_one = placement.evaluations.filter(held_on__isnull=True).order_by("due_on").first()
    if open_one:
        return open_one.due_on
    settings = settings_for(placement.centre_id)
    placement.last_held = placement.evaluations.aggregate(m=Max("held_on"))["m"]
    return next_evaluation_due(placement, settings)


_PLACEMENTS = PreparedRead(
    lambda client_id: (
        Placement.objects.filter(client_id=client_id)
        .select_related("organisation", "agreement")
        .order_by("-start", "-id")
    )
)


def placements_of(client: Client) -> list[Placement]:
    """The client's placements, newest first, with the partner and the agreement note.

    Read once per request, for the dossier header and the timeline.
    """
    return shared_read(client, "placements", lambda: client_rows(_PLACEMENTS, client))


def current_placement_fact(client: Client) -> list[tuple]:
    """Dossier header: the client's running placement, when there is one."""
    today = datetime.date.today()
    p = next(
        (p for p in placements_of(client) if p.status == Status.ACTIVE and p.active_on(today)),
        None,
    )
    if p is None:
        return []
    return [(_("Placement"), f"{p.get_kind_display()} · {p.organisation.name}")]


# The partner grid's "evaluation forms to fill in": the organisation's active placements with
# their last talk, and its evaluations whose organisation form is still open. Of each
# placement only what the due day and the list need is read: the whole rows of a large
# workshop's 82 placements and their clients cost a third of the list's time in Python.
_PARTNER_ACTIVE = PreparedRead(
    lambda organisation_id, centre_id: (
        Placement.objects.filter(
            organisation_id=organisation_id, centre_id=centre_id, status=Status.ACTIVE
        )
        .annotate(last_held=Max("evaluations__held_on"))
        .order_by("pk")  # as both databases gave them, unasked, to the GROUP BY before
        .values_list(
            "pk",
            "ref",
            "kind",
            "track",
            "start",
            "last_held",
            "client_id",
            "client__first_name",
            "client__last_name",
        )
    ),
    kinds=(int, int),
)


class PartnerClient(NamedTuple):
    """The client of a placement on the partner's list of forms due: the name is all it shows."""

    pk: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"  # as Client.full_name


class PartnerPlacement(NamedTuple):
    """What the partner's list of forms due needs of a placement, read as plain values: a city
    workshop has eighty running at once, which took longer to build as models than to read."""

    pk: int
    ref: str
    kind: str
    track: str
    start: datetime.date | None
    last_held: datetime.date | None
    client: PartnerClient


_PARTNER_OPEN_FORMS = PreparedRead(
    lambda organisation_id, centre_id: Evaluation.objects.filter(
        placement__organisation_id=organisation_id,
        placement__centre_id=centre_id,
        placement__status=Status.ACTIVE,
        held_on__isnull=True,
        org_form_on__isnull=True,
    ),
    kinds=(int, int),
)


def partner_due_evaluations(
    organisation, centre_id: int, *, today: datetime.date | None = None
) -> list[tuple[PartnerPlacement, datetime.date]]:
    """(placement, due day) of the organisation's active placements whose organisation form
    is to be filled in now or within the notice days: an open evaluation's due day, else the
    next one due after the last talk."""
    horizon = (today or datetime.date.today()) + datetime.timedelta(days=EVALUATION_NOTICE_DAYS)
    settings = settings_for(centre_id)
    # Ordered by due day: a placement's latest open evaluation wins, as before.
    open_forms = {e.placement_id: e for e in _PARTNER_OPEN_FORMS.list(organisation.pk, centre_id)}
    due = []
    for pk, ref, kind, track, start, last_held, *client in _PARTNER_ACTIVE.list(
        organisation.pk, centre_id
    ):
        p = PartnerPlacement(pk, ref, kind, track, start, last_held, PartnerClient(*client))
        day = open_forms[pk].due_on if pk in open_forms else next_evaluation_due(p, settings)
        if day and day <= horizon:
            due.append((p, day))
    return due
