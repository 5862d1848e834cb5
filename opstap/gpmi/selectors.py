"""Reads of GPMI contracts and their deadlines, always for a dossier or a user.

Access to a client is checked by the caller with `client_get_for`; the lists over many clients
take a client queryset already limited to what the user may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from opstap.accounts.roles import Role
from opstap.clients.models import CareRole, CareTeamMember, Client, IncomeRight, RightKind
from opstap.clients.selectors import client_queryset_for, is_current_member, reference_client_ids
from opstap.core.dossier import client_rows, shared_read
from opstap.core.idlist import IdIn
from opstap.core.prepared import PreparedRead

from . import rules
from .models import (
    CONCLUDE_WITHIN_MONTHS,
    GoalProgress,
    Gpmi,
    GpmiEvaluation,
    GpmiGoal,
    GpmiStatus,
    GpmiStep,
    LifeDomain,
    Priority,
    Sanction,
)

MISSING = "gpmi_missing"
EVALUATION_OVERDUE = "evaluation_overdue"
# How far ahead the start page shows what is coming.
UPCOMING_DAYS = 30


# --- catalogue ------------------------------------------------------------------------------------


def life_domains_for(centre, *, active_only: bool = True) -> list[LifeDomain]:
    """The centre's tree: domains with their priorities (two queries)."""
    priorities = Priority.objects.order_by("position", "code")
    domains = LifeDomain.objects.filter(centre=centre)
    if active_only:
        domains = domains.filter(active=True)
        priorities = priorities.filter(active=True)
    return list(
        domains.order_by("position", "code").prefetch_related(
            Prefetch("priorities", queryset=priorities)
        )
    )


def priorities_for(centre) -> QuerySet[Priority]:
    return Priority.objects.filter(domain__centre=centre, active=True, domain__active=True)


# --- contracts of one dossier ---------------------------------------------------------------------


def gpmis_for(client: Client) -> QuerySet[Gpmi]:
    return client.gpmis.order_by("-created_at", "-id")


def gpmi_get_for(*, client: Client, pk: int) -> Gpmi:
    """One contract of a dossier the caller already opened, or 404."""
    gpmi = client.gpmis.filter(pk=pk).select_related("balance").first()
    if gpmi is None:
        raise Http404
    gpmi.client = client
    return gpmi


def goals_for(gpmi: Gpmi) -> list[GpmiGoal]:
    return list(
        gpmi.goals.select_related("domain", "priority").prefetch_related(
            Prefetch("steps", queryset=GpmiStep.objects.order_by("due_date", "id"))
        )
    )


def evaluations_for(gpmi: Gpmi) -> list[GpmiEvaluation]:
    return list(
        gpmi.evaluations.select_related("created_by").prefetch_related(
            Prefetch("progress", queryset=GoalProgress.objects.select_related("goal"))
        )
    )


def current_gpmi(client: Client) -> Gpmi | None:
    """The contract that matters now: the running one, else the newest in progress."""
    order = {
        GpmiStatus.ACTIVE: 0,
        GpmiStatus.SIGNED: 1,
        GpmiStatus.PROPOSED: 2,
        GpmiStatus.DRAFT: 3,
        GpmiStatus.EXEMPTED: 4,
        GpmiStatus.ENDED: 5,
    }
    contracts = contracts_of(client)
    if not contracts:
        return None
    return min(contracts, key=lambda g: (order[g.status], -g.pk))


_CONTRACTS = PreparedRead(lambda client_id: Gpmi.objects.filter(client_id=client_id))


def contracts_of(client: Client) -> list[Gpmi]:
    """The client's contracts, newest first (read once per request, for header and timeline)."""

    def load() -> list[Gpmi]:
        contracts = client_rows(_CONTRACTS, client)
        for gpmi in contracts:
            if gpmi.centre_id == client.centre_id:
                gpmi.centre = client.centre  # read with the client already
        return contracts

    return shared_read(client, "gpmis", load)


def next_evaluation_for(gpmi: Gpmi, *, day: datetime.date | None = None) -> datetime.date | None:
    """When the signed contract must next be evaluated; None when it is not running."""
    day = day or datetime.date.today()
    if not gpmi.is_signed or gpmi.signed_on is None or gpmi.status == GpmiStatus.ENDED:
        return None
    if "evaluations" in getattr(gpmi, "_prefetched_objects_cache", {}):
        dates = [evaluation.date for evaluation in gpmi.evaluations.all()]
    else:
        dates = list(gpmi.evaluations.values_list("date", flat=True))
    return rules.next_evaluation_due(
        signed_on=gpmi.signed_on,
        evaluation_dates=dates,
        interval_months=gpmi.centre.gpmi_evaluation_months,
        day=day,
    )


def in_person_warning_years(gpmi: Gpmi, *, today: datetime.date | None = None) -> list[int]:
    """Years of an active contract with fewer than two in-person evaluations."""
    if gpmi.status != GpmiStatus.ACTIVE:
        return []
    today = today or datetime.date.today()
    dates = list(gpmi.evaluations.filter(in_person=True).values_list("date", flat=True))
    return rules.years_short_of_in_person(
        start=gpmi.start_date, end=gpmi.end_date, in_person_dates=dates, today=today
    )


def versions_for(gpmi: Gpmi):
    return list(gpmi.versions.select_related("amended_by").order_by("number"))


def is_care_team_member(client: Client, user) -> bool:
    """Sanctions are for the care team only: a current member of this client's care team."""
    return is_current_member(client, user)


def sanctions_for(client: Client, user) -> list[Sanction]:
    if not is_care_team_member(client, user):
        return []
    return list(client.gpmi_sanctions.select_related("gpmi").order_by("-warning_on", "-id"))


def sanction_get_for(*, client: Client, user, pk: int) -> Sanction:
    if not is_care_team_member(client, user):
        raise Http404
    sanction = client.gpmi_sanctions.filter(pk=pk).first()
    if sanction is None:
        raise Http404
    return sanction


# --- deadlines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    client_id: int
    client_ref: str
    problem: str
    due: datetime.date
    gpmi_id: int | None = None
    client_name: str = ""

    @property
    def overdue(self) -> bool:
        return self._day is not None and self.due < self._day

    _day: datetime.date | None = None


def latest_basis(until: datetime.date, months: int) -> datetime.date:
    """The last day d with add_months(d, months) < until.

    add_months never decreases as its day grows, so "due before until" is "day <= this one":
    a filter the database can apply before any row comes back.
    """
    day = rules.add_months(until, -months)
    while rules.add_months(day, months) >= until:
        day -= datetime.timedelta(days=1)
    while rules.add_months(day + datetime.timedelta(days=1), months) < until:
        day += datetime.timedelta(days=1)
    return day


def _uncovered_rights(scope: Q, day: datetime.date, started_by: datetime.date) -> QuerySet:
    """Leefloon rights running on `day`, started by `started_by`, with no GPMI covering them."""
    covered = Gpmi.objects.filter(client=OuterRef("client_id")).filter(
        Q(signed_on__lte=day)
        | Q(status=GpmiStatus.EXEMPTED, exempted_on__isnull=True)
        | Q(status=GpmiStatus.EXEMPTED, exempted_on__lte=day)
    )
    return (
        IncomeRight.objects.filter(scope, kind=RightKind.LEEFLOON, start_date__lte=started_by)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .filter(~Exists(covered))
        .order_by()
        .values_list(
            "client_id", "client__ref", "client__first_name", "client__last_name", "start_date"
        )
    )


def _running_due(scope: Q, day: datetime.date, basis_by: datetime.date) -> QuerySet:
    """Signed contracts running on `day` whose last evaluation (or signing) is by `basis_by`."""
    return (
        Gpmi.objects.filter(scope, signed_on__lte=day, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .annotate(last_evaluation=Max("evaluations__date", filter=Q(evaluations__date__lte=day)))
        .annotate(basis=Coalesce("last_evaluation", "signed_on"))
        .filter(basis__lte=basis_by)
        .order_by()
        .values_list(
            "pk",
            "client_id",
            "client__ref",
            "client__first_name",
            "client__last_name",
            "basis",
        )
    )


_UNCOVERED_RIGHTS_OF = PreparedRead(
    lambda ids, day, started_by: _uncovered_rights(IdIn("client_id", ids), day, started_by),
    kinds=(list, datetime.date, datetime.date),
)
_RUNNING_DUE_OF = PreparedRead(
    lambda ids, day, basis_by: _running_due(IdIn("client_id", ids), day, basis_by),
    kinds=(list, datetime.date, datetime.date),
)


def deadlines(
    *,
    clients: QuerySet[Client] | list[int],
    day: datetime.date,
    interval_months: int,
    until: datetime.date,
    centre=None,
) -> list[Deadline]:
    """Every GPMI deadline of these clients on `day` whose due date is before `until`.

    With until == day this is exactly the gpmi-deadlines report (spec/reports.md); a later
    `until` adds what falls due soon. Two queries whatever the number of clients; the database
    keeps only the rows that are due, so only those come back. With the clients' centre, the
    rights are read by the centre's index (a city's report: all rights of the country, else).
    """
    result: list[Deadline] = []
    started_by = min(day, latest_basis(until, CONCLUDE_WITHIN_MONTHS))
    basis_by = latest_basis(until, interval_months)
    if isinstance(clients, list) and centre is None:
        # A list of ids goes as one array (a head's team: a thousand clients), in statements
        # built once per process: the start page and the team table.
        rights = _UNCOVERED_RIGHTS_OF.list(clients, day, started_by)
        running = _RUNNING_DUE_OF.list(clients, day, basis_by)
    else:
        scope = IdIn("client_id", clients) if isinstance(clients, list) else Q(client__in=clients)
        # With the centre, rights and contracts are read by the centre's own index too.
        scope &= Q(centre=centre) if centre is not None else Q()
        rights = _uncovered_rights(scope, day, started_by)
        running = _running_due(scope, day, basis_by)
    for client_id, ref, first, last, start in rights:
        due = rules.conclude_by(start)
        result.append(Deadline(client_id, ref, MISSING, due, None, f"{first} {last}", day))
    for pk, client_id, ref, first, last, basis in running:
        due = rules.add_months(basis, interval_months)
        result.append(Deadline(client_id, ref, EVALUATION_OVERDUE, due, pk, f"{first} {last}", day))
    return sorted(result, key=lambda d: (d.due, d.client_ref, d.problem))


def gpmi_deadlines_report(centre, user, params: dict) -> dict:
    """spec/reports.md gpmi-deadlines: the legal deadlines passed on the date."""
    from opstap.reports.scope import client_scope

    day = params["date"]
    rows = deadlines(
        clients=client_scope(centre, user),
        day=day,
        interval_months=centre.gpmi_evaluation_months,
        until=day,
        centre=centre,
    )
    return {
        "report": "gpmi-deadlines",
        "params": {"date": day.isoformat()},
        "rows": [
            {"client_ref": d.client_ref, "problem": d.problem, "due": d.due.isoformat()}
            for d in rows
        ],
        "total": {
            "rows": len(rows),
            MISSING: sum(d.problem == MISSING for d in rows),
            EVALUATION_OVERDUE: sum(d.problem == EVALUATION_OVERDUE for d in rows),
        },
    }


def due_for_worker(
    user, *, today: datetime.date | None = None, client_ids: list[int] | None = None
) -> list[Deadline]:
    """The start page: deadlines of my own clients, overdue and falling due within 30 days.

    `client_ids`: the user's reference dossiers on `today`, when already read.
    """
    if not user.is_authenticated or user.centre_id is None:
        return []
    today = today or datetime.date.today()
    if client_ids is None:
        client_ids = reference_client_ids(user, today)
    return deadlines(
        clients=client_ids,
        day=today,
        interval_months=user.centre.gpmi_evaluation_months,
        until=today + datetime.timedelta(days=UPCOMING_DAYS + 1),
    )


def overdue_for_head(user, *, today: datetime.date | None = None) -> list[Deadline]:
    """What is overdue among the team's clients of a head of service."""
    if not user.has_role(Role.HEAD):
        raise Http404
    today = today or datetime.date.today()
    return deadlines(
        clients=client_queryset_for(user),
        day=today,
        interval_months=user.centre.gpmi_evaluation_months,
        until=today,
    )


def reference_workers(client_ids: set[int]) -> dict[int, list]:
    """client id -> its current reference workers (one query)."""
    today = datetime.date.today()
    members = CareTeamMember.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        IdIn("client_id", client_ids),
        role=CareRole.REFERENCE,
        start_date__lte=today,
    ).select_related("user")
    result: dict[int, list] = {}
    for member in members:
        if member.user.is_active:
            result.setdefault(member.client_id, []).append(member.user)
    return result
