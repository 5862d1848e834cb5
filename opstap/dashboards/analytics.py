"""Flow analytics: how clients move over the activation ladder, and how fast they get going.

Every figure keeps, per cell, the ids of the clients behind it, so a cell can link to them
(opstap.dashboards.figures). Each figure runs one or two flat queries and aggregates in Python;
the definitions follow spec/reports.md (rung on a date, first right, activation types).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opstap.clients.models import CareTeamMember, Client, Gender, IncomeRight
from opstap.core.dates import add_months
from opstap.core.idlist import IdIn
from opstap.core.models import Office, Team
from opstap.reports.scope import client_scope
from opstap.reports.selectors import NO_POSITION, lower_median
from opstap.trajectories.models import LadderPosition, Rung, Trajectory

# (key, label, lowest age, highest age)
AGE_BANDS = [
    ("u25", gettext_lazy("Under 25"), 0, 24),
    ("25-34", "25–34", 25, 34),
    ("35-44", "35–44", 35, 44),
    ("45-54", "45–54", 45, 54),
    ("55+", gettext_lazy("55 and over"), 55, 150),
]
# Days from the first right to the first activation trajectory: (key, label, lowest, highest).
BUCKETS = [
    ("0-30", gettext_lazy("0–30 days"), None, 30),
    ("31-60", gettext_lazy("31–60 days"), 31, 60),
    ("61-90", gettext_lazy("61–90 days"), 61, 90),
    ("91-122", gettext_lazy("91–122 days"), 91, 122),
    ("123-182", gettext_lazy("4–6 months"), 123, 182),
    ("183-365", gettext_lazy("6–12 months"), 183, 365),
    ("366+", gettext_lazy("More than a year"), 366, None),
    ("none", gettext_lazy("Not yet activated"), None, None),
]


@dataclass(frozen=True)
class FlowFilters:
    start: datetime.date
    end: datetime.date
    office_id: int | None = None
    team_id: int | None = None
    age_band: str = ""
    gender: str = ""
    language: str = ""

    def as_params(self) -> dict:
        """The filters as query parameters (ISO dates), to re-run the figure later."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for key, value in (
            ("office", self.office_id),
            ("team", self.team_id),
            ("age", self.age_band),
            ("gender", self.gender),
            ("language", self.language),
        ):
            if value:
                params[key] = str(value)
        return params


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def population(centre, user, f: FlowFilters) -> QuerySet[Client]:
    """The clients the figures count: the user's report scope narrowed by the filters."""
    qs = client_scope(centre, user)
    if f.office_id:
        qs = qs.filter(office_id=f.office_id)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.language:
        qs = qs.filter(language__iexact=f.language)
    if f.age_band:
        band = next((b for b in AGE_BANDS if b[0] == f.age_band), None)
        if band:
            _key, _label, low, high = band
            qs = qs.filter(
                birth_date__lte=_years_before(f.end, low),
                birth_date__gt=_years_before(f.end, high + 1),
            )
    if f.team_id:
        members = Team.objects.filter(pk=f.team_id, centre=centre).values("members")
        carers = CareTeamMember.objects.filter(
            Q(start_date__lte=f.end) & (Q(end_date__isnull=True) | Q(end_date__gte=f.start)),
            user_id__in=members,
        ).values("client_id")
        qs = qs.filter(pk__in=carers)
    return qs


def filter_choices(centre) -> dict:
    """Offices, teams, genders, age bands and client languages to filter on (three queries)."""
    languages = (
        Client.objects.filter(centre=centre)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return {
        "offices": list(Office.objects.filter(centre=centre).order_by("name")),
        "teams": list(Team.objects.filter(centre=centre).order_by("name")),
        "genders": Gender.choices,
        "age_bands": [(key, label) for key, label, _lo, _hi in AGE_BANDS],
        "languages": list(languages),
    }


# --- the ladder ---------------------------------------------------------------------------------

RUNG_KEYS = [*Rung.values, NO_POSITION]


def rung_label(key: str) -> str:
    return dict(Rung.choices).get(key) or _("No position")


def transitions(clients: QuerySet[Client], first: datetime.date, second: datetime.date) -> dict:
    """Rung on the first date x rung on the second (as reports' ladder transitions), with ids."""
    positions = (
        LadderPosition.objects.filter(client__in=clients, since__lte=max(first, second))
        .order_by("client_id", "since")
        .values_list("client_id", "since", "rung")
    )
    at_first: dict[int, str] = {}
    at_second: dict[int, str] = {}
    for client_id, since, rung in positions:
        if since <= first:
            at_first[client_id] = rung
        if since <= second:
            at_second[client_id] = rung
    cells: dict[tuple[str, str], set] = defaultdict(set)
    moves: dict[str, set] = defaultdict(set)
    for client_id in set(at_first) | set(at_second):
        a, b = at_first.get(client_id, NO_POSITION), at_second.get(client_id, NO_POSITION)
        cells[(a, b)].add(client_id)
        if NO_POSITION not in (a, b):
            la, lb = Rung.level(a), Rung.level(b)
            moves["up" if lb > la else "down" if lb < la else "same"].add(client_id)
    return {"cells": cells, "moves": moves, "clients": len(set(at_first) | set(at_second))}


def rung_durations(clients: QuerySet[Client], start: datetime.date, end: datetime.date) -> dict:
    """Days spent on each rung, over the stays that ended in the period (the next position's
    date falls in it); plus who was still on the rung at the end of the period."""
    positions = (
        LadderPosition.objects.filter(client__in=clients, since__lte=end)
        .order_by("client_id", "since")
        .values_list("client_id", "since", "rung")
    )
    days: dict[str, list[int]] = defaultdict(list)
    ids: dict[str, set] = defaultdict(set)
    still: dict[str, set] = defaultdict(set)
    previous = None
    for client_id, since, rung in positions:
        if previous and previous[0] == client_id and start <= since <= end:
            days[previous[2]].append((since - previous[1]).days)
            ids[previous[2]].add(client_id)
        if previous and previous[0] != client_id:
            still[previous[2]].add(previous[0])
        previous = (client_id, since, rung)
    if previous:
        still[previous[2]].add(previous[0])
    rows = []
    for rung in Rung.values:
        values = days[rung]
        rows.append(
            {
                "rung": rung,
                "label": rung_label(rung),
                "stays": len(values),
                "median_days": lower_median(values),
                "mean_days": round(statistics.fmean(values), 1) if values else None,
                "still_on_rung": len(still[rung]),
                "ids": ids[rung],
                "still_ids": still[rung],
            }
        )
    return {"rows": rows}


# --- from the decision to a first activation ---------------------------------------------


def _first_rights(centre, clients: QuerySet[Client], start, end) -> dict[int, datetime.date]:
    return dict(
        IncomeRight.objects.filter(client__in=clients, centre=centre)
        .values("client_id")
        .annotate(first=Min("start_date"))
        .filter(first__gte=start, first__lte=end)
        .values_list("client_id", "first")
    )


def _bucket(days: int | None) -> str:
    if days is None:
        return "none"
    for key, _label, low, high in BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high) and key != "none":
            return key
    return "none"


def time_to_activation(
    centre, clients: QuerySet[Client], start: datetime.date, end: datetime.date, today
) -> dict:
    """Cohort: first income right starting in the period. Days to the first activation start,
    in buckets; the median within 4 months is activation-speed's; per office; and the share
    still in intake (no activation trajectory running) 4 months after the right."""
    first_rights = _first_rights(centre, clients, start, end)
    trajectories = list(
        Trajectory.objects.filter(IdIn("client_id", first_rights), centre=centre).values_list(
            "client_id", "start_date", "end_date", "type__counts_as_activation"
        )
    )
    offices = dict(
        Client.objects.filter(IdIn("pk", first_rights)).values_list("pk", "office__name")
    )
    first_activation: dict[int, datetime.date] = {}
    for client_id, t_start, _t_end, counts in trajectories:
        if counts and (client_id not in first_activation or t_start < first_activation[client_id]):
            first_activation[client_id] = t_start
    buckets: dict[str, set] = defaultdict(set)
    within: dict[int, int] = {}
    all_days: list[int] = []
    for client_id, right_start in first_rights.items():
        activated_on = first_activation.get(client_id)
        days = (activated_on - right_start).days if activated_on else None
        if days is not None:
            days = max(days, 0)
            all_days.append(days)
        buckets[_bucket(days)].add(client_id)
        if activated_on and activated_on <= add_months(right_start, 4):
            within[client_id] = (activated_on - right_start).days
    by_office: dict[str, dict] = {}
    for client_id in first_rights:
        name = offices.get(client_id) or _("No office")
        row = by_office.setdefault(name, {"office": name, "ids": set(), "activated": set()})
        row["ids"].add(client_id)
        if client_id in within:
            row["activated"].add(client_id)
    office_rows = []
    for name in sorted(by_office):
        row = by_office[name]
        days = [within[c] for c in row["activated"]]
        office_rows.append(
            {
                "office": name,
                "cohort": len(row["ids"]),
                "activated": len(row["activated"]),
                "median_days": lower_median(days),
                "ids": row["ids"],
                "activated_ids": row["activated"],
            }
        )
    return {
        "cohort": len(first_rights),
        "cohort_ids": set(first_rights),
        "activated_within_4_months": len(within),
        "activated_ids": set(within),
        "median_days": lower_median(list(within.values())),
        "median_days_all": lower_median(all_days),
        "buckets": [
            {"key": key, "label": str(label), "clients": len(buckets[key]), "ids": buckets[key]}
            for key, label, _lo, _hi in BUCKETS
        ],
        "by_office": office_rows,
        "intake": _intake_share(first_rights, trajectories, today),
    }


def _intake_share(first_rights: dict, trajectories: list, today: datetime.date) -> dict:
    """Of the cohort whose 4 months have passed: still without an activation trajectory running
    on that day (only an intake trajectory, or none)."""
    running: dict[int, list] = defaultdict(list)
    for client_id, t_start, t_end, counts in trajectories:
        running[client_id].append((t_start, t_end, counts))
    measured, in_intake = set(), set()
    for client_id, right_start in first_rights.items():
        day = add_months(right_start, 4)
        if day > today:
            continue
        measured.add(client_id)
        active = [
            counts
            for t_start, t_end, counts in running[client_id]
            if t_start <= day and (t_end is None or day <= t_end)
        ]
        if not any(active):
            in_intake.add(client_id)
    return {
        "measured": len(measured),
        "in_intake": len(in_intake),
        "percent": round(len(in_intake) * 100 / len(measured), 1) if measured else None,
        "measured_ids": measured,
        "ids": in_intake,
    }


@dataclass
class Flow:
    filters: FlowFilters
    transitions: dict = field(default_factory=dict)
    durations: dict = field(default_factory=dict)
    activation: dict = field(default_factory=dict)


def flow_for(centre, user, f: FlowFilters, *, today: datetime.date | None = None) -> Flow:
    """All the figures of the flow page for the filters (about eight queries)."""
    today = today or datetime.date.today()
    clients = population(centre, user, f)
    return Flow(
        filters=f,
        transitions=transitions(clients, f.start, f.end),
        durations=rung_durations(clients, f.start, f.end),
        activation=time_to_activation(centre, clients, f.start, f.end, today),
    )


def cell_ids(flow: Flow, cell: str) -> set:
    """The ids behind one cell of the flow page, named as in the page's links."""
    kind, _sep, rest = cell.partition(":")
    if kind == "t":
        a, _sep, b = rest.partition(">")
        return flow.transitions["cells"].get((a, b), set())
    if kind == "move":
        return flow.transitions["moves"].get(rest, set())
    if kind == "rung":
        row = next((r for r in flow.durations["rows"] if r["rung"] == rest), None)
        return row["ids"] if row else set()
    if kind == "still":
        row = next((r for r in flow.durations["rows"] if r["rung"] == rest), None)
        return row["still_ids"] if row else set()
    if kind == "bucket":
        row = next((r for r in flow.activation["buckets"] if r["key"] == rest), None)
        return row["ids"] if row else set()
    if kind == "office":
        row = next((r for r in flow.activation["by_office"] if r["office"] == rest), None)
        return row["ids"] if row else set()
    if kind == "cohort":
        return flow.activation["cohort_ids"]
    if kind == "activated":
        return flow.activation["activated_ids"]
    if kind == "intake":
        return flow.activation["intake"]["ids"]
    return set()
