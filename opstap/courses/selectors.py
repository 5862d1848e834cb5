"""Reads of modules, editions, sessions, enrolments and attendance, always for a given user."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from opstap.clients.models import CareRole, CareTeamMember, Client
from opstap.core.dossier import client_rows
from opstap.core.prepared import PreparedRead
from opstap.network.selectors import partner_organisation_for

from . import access
from .models import (
    ABSENCES_IN_A_ROW_ALERT,
    ABSENCES_TOTAL_ALERT,
    DUTCH_LEVEL_ORDER,
    PARTICIPANT_STATUSES,
    PLACE_STATUSES,
    Attendance,
    AttendanceStatus,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Module,
    Session,
    SessionStatus,
    TargetGender,
)

# --- modules and editions --------------------------------------------------------------------


def module_queryset_for(user) -> QuerySet[Module]:
    """The modules a user may read: the centre's, or those its organisation delivers."""
    if access.is_reader(user):
        return Module.objects.filter(centre_id=user.centre_id)
    organisation = partner_organisation_for(user) if access.is_partner(user) else None
    if organisation is not None:
        return Module.objects.filter(centre_id=user.centre_id, partners=organisation)
    return Module.objects.none()


def module_list_for(user, *, search: str = "", show: str = "active") -> QuerySet[Module]:
    qs = module_queryset_for(user)
    if search:
        qs = qs.filter(
            Q(name_nl__icontains=search)
            | Q(name_fr__icontains=search)
            | Q(name_en__icontains=search)
            | Q(ref__iexact=search)
        )
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "inactive":
        qs = qs.filter(active=False)
    return qs.prefetch_related("partners").annotate(n_editions=Count("editions"))


def module_get_for(*, user, pk: int) -> Module:
    module = (
        module_queryset_for(user)
        .filter(pk=pk)
        .prefetch_related("partners", "steering_members")
        .first()
    )
    if module is None:
        raise Http404
    return module


def edition_queryset_for(user) -> QuerySet[Edition]:
    return Edition.objects.filter(module__in=module_queryset_for(user)).select_related("module")


def _with_counts(qs: QuerySet[Edition]) -> QuerySet[Edition]:
    return qs.annotate(
        n_places=Count("enrolments", filter=Q(enrolments__status__in=PLACE_STATUSES)),
        n_waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )


def edition_list_for(user, *, module: Module | None = None) -> QuerySet[Edition]:
    qs = edition_queryset_for(user)
    if module is not None:
        qs = qs.filter(module=module)
    return _with_counts(qs).order_by("-start_date", "id")


def edition_get_for(*, user, pk: int) -> Edition:
    edition = _with_counts(edition_queryset_for(user)).filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def open_editions_for(centre, *, today: datetime.date | None = None) -> QuerySet[Edition]:
    """Editions a client can still be proposed for: not ended, of an active module."""
    today = today or datetime.date.today()
    qs = Edition.objects.filter(centre=centre, end_date__gte=today, module__active=True)
    return _with_counts(qs.select_related("module")).order_by("start_date", "id")


def sessions_for(edition: Edition) -> list[Session]:
    return list(edition.sessions.select_related("phase").order_by("date", "start_time", "id"))


def session_get_for(*, user, pk: int) -> Session:
    session = (
        Session.objects.filter(pk=pk, edition__in=edition_queryset_for(user))
        .select_related("edition", "edition__module", "phase")
        .first()
    )
    if session is None:
        raise Http404
    return session


# --- enrolments ------------------------------------------------------------------------------


def enrolments_for(user, edition: Edition) -> list[Enrolment]:
    """The participants and waiting list of an edition: module staff only."""
    if not access.is_staff(user) or edition.centre_id != user.centre_id:
        return []
    return list(
        edition.enrolments.select_related("client", "proposed_by")
        .prefetch_related("steps")
        .order_by("client__last_name", "client__first_name", "id")
    )


def waiting_list(edition: Edition) -> QuerySet[Enrolment]:
    """First proposed, first offered."""
    return edition.enrolments.filter(status=EnrolmentStatus.WAITING).order_by(
        "proposed_on", "created_at", "id"
    )


def enrolment_get_for(*, user, pk: int) -> Enrolment:
    if not access.is_staff(user):
        raise Http404
    enrolment = (
        Enrolment.objects.filter(pk=pk, edition__centre_id=user.centre_id)
        .select_related("client", "edition", "edition__module", "proposed_by")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


_CLIENT_ENROLMENTS = PreparedRead(
    lambda client_id: (
        Enrolment.objects.filter(client_id=client_id)
        .select_related("edition", "edition__module", "proposed_by")
        .prefetch_related("steps")
        .order_by("-edition__start_date", "-id")
    )
)


def client_enrolments(client: Client) -> list[Enrolment]:
    """A client's enrolments (the caller has opened the dossier)."""
    return client_rows(_CLIENT_ENROLMENTS, client)


def reference_workers_for(client_id: int, *, today: datetime.date | None = None) -> list:
    today = today or datetime.date.today()
    members = (
        CareTeamMember.objects.filter(client_id=client_id, role=CareRole.REFERENCE)
        .filter(Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("user")
    )
    return [m.user for m in members]


# --- target group ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    label: str
    ok: bool | None  # None: could not be checked automatically (check by hand)
    explanation: str


@dataclass
class TargetCheck:
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return all(c.ok is not False for c in self.criteria)

    @property
    def failures(self) -> list[Criterion]:
        return [c for c in self.criteria if c.ok is False]


def _gender_criterion(module: Module, client: Client) -> Criterion | None:
    if not module.target_gender:
        return None
    wanted = TargetGender(module.target_gender).label
    if not client.gender:
        return Criterion(_("Gender"), None, _("The client's gender is not recorded."))
    if client.gender == module.target_gender:
        return Criterion(_("Gender"), True, _("The module is for %(who)s.") % {"who": wanted})
    return Criterion(
        _("Gender"),
        False,
        _("The module is for %(who)s; the client is recorded as %(gender)s.")
        % {"who": wanted, "gender": client.get_gender_display().lower()},
    )


def _age_criterion(module: Module, client: Client, day: datetime.date) -> Criterion | None:
    low, high = module.age_min, module.age_max
    if low is None and high is None:
        return None
    age = client.age_on(day)
    values = {"age": age, "min": low, "max": high, "day": day.strftime("%d/%m/%Y")}
    if low is not None and high is not None:
        rule = _("from %(min)d to %(max)d years old") % values
    elif low is not None:
        rule = _("at least %(min)d years old") % values
    else:
        rule = _("at most %(max)d years old") % values
    ok = (low is None or age >= low) and (high is None or age <= high)
    explanation = _("The client is %(age)d on %(day)s; the module is for people %(rule)s.") % {
        **values,
        "rule": rule,
    }
    return Criterion(_("Age"), ok, explanation)


def _language_criterion(module: Module, client: Client) -> Criterion | None:
    if not module.non_native_only:
        return None
    language = (client.language or "").lower()
    if not language:
        return Criterion(_("Home language"), None, _("The client's language is not recorded."))
    if language != "nl":
        return Criterion(
            _("Home language"),
            True,
            _("Home language %(language)s: a non-native speaker of Dutch.")
            % {"language": language.upper()},
        )
    return Criterion(
        _("Home language"),
        False,
        _("The module is for non-native speakers; the client's home language is Dutch."),
    )


def _level_criterion(module: Module, client: Client) -> Criterion | None:
    low, high = module.dutch_level_min, module.dutch_level_max
    if not (low or high):
        return None
    rule = f"{low or '…'}–{high or '…'}"
    if not client.dutch_level:
        return Criterion(
            _("Dutch level"),
            None,
            _("The module asks Dutch level %(rule)s; the client's level is not recorded.")
            % {"rule": rule},
        )
    rank = DUTCH_LEVEL_ORDER.index
    level = client.dutch_level
    ok = (not low or rank(level) >= rank(low)) and (not high or rank(level) <= rank(high))
    return Criterion(
        _("Dutch level"),
        ok,
        _("The module asks Dutch level %(rule)s; the client has %(level)s.")
        % {"rule": rule, "level": level},
    )


def target_group_check(
    module: Module, client: Client, *, day: datetime.date | None = None
) -> TargetCheck:
    """Why the client fits the module's target group or not, criterion by criterion."""
    day = day or datetime.date.today()
    check = TargetCheck()
    for criterion in (
        _gender_criterion(module, client),
        _age_criterion(module, client, day),
        _language_criterion(module, client),
        _level_criterion(module, client),
    ):
        if criterion is not None:
            check.criteria.append(criterion)
    if module.target_group.strip():
        check.criteria.append(
            Criterion(
                _("Other conditions"),
                None,
                _("Check by hand: %(text)s") % {"text": module.target_group.strip()},
            )
        )
    return check


# --- attendance ------------------------------------------------------------------------------


@dataclass
class Rate:
    present: int = 0
    excused: int = 0
    unexcused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.excused + self.unexcused

    @property
    def percent(self) -> float | None:
        """Sessions attended of the sessions registered (cancelled sessions do not count)."""
        if not self.recorded:
            return None
        return round(self.present * 100 / self.recorded, 1)


def attendance_rows(edition: Edition) -> QuerySet:
    return Attendance.objects.filter(
        session__edition=edition, session__status=SessionStatus.PLANNED
    )


def attendance_rates(edition: Edition) -> dict[int, Rate]:
    """Per enrolment id: present, excused and unexcused sessions (one query)."""
    rates: dict[int, Rate] = defaultdict(Rate)
    counts = attendance_rows(edition).values("enrolment_id", "status").annotate(n=Count("id"))
    for row in counts:
        rate = rates[row["enrolment_id"]]
        setattr(rate, row["status"], row["n"])
    return rates


def register_for(session: Session) -> dict[int, Attendance]:
    """The attendance recorded at a session, by enrolment id."""
    return {a.enrolment_id: a for a in session.attendance.all()}


def participants_of(session: Session) -> list[Enrolment]:
    """Who is expected at a session: enrolled, or completed/dropped after its date."""
    qs = session.edition.enrolments.filter(status__in=PARTICIPANT_STATUSES).select_related("client")
    return [
        e
        for e in qs.order_by("client__last_name", "client__first_name", "id")
        if e.status != EnrolmentStatus.DROPPED or (e.left_on and e.left_on >= session.date)
    ]


def unexcused_streaks(enrolment: Enrolment) -> tuple[int, int]:
    """(absences without reason in a row up to the latest register, in total) for an enrolment."""
    statuses = list(
        Attendance.objects.filter(enrolment=enrolment, session__status=SessionStatus.PLANNED)
        .order_by("session__date", "session__start_time", "session_id")
        .values_list("status", flat=True)
    )
    total = statuses.count(AttendanceStatus.UNEXCUSED)
    row = 0
    for status in reversed(statuses):
        if status != AttendanceStatus.UNEXCUSED:
            break
        row += 1
    return row, total


def absence_alert_due(row: int, total: int) -> bool:
    return row >= ABSENCES_IN_A_ROW_ALERT or total >= ABSENCES_TOTAL_ALERT


def prefetch_sessions(qs: QuerySet[Edition]) -> QuerySet[Edition]:
    return qs.prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("date")))
