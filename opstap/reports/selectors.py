"""The trajectory and activation reports of spec/reports.md, and the ladder transitions.

Each runs a few flat queries and aggregates in Python, whatever the size of the centre.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter

from django.db.models import Min, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opstap.clients.models import IncomeRight
from opstap.trajectories.models import LadderPosition, Rung, Trajectory
from opstap.trajectories.selectors import trajectory_types_for

from .scope import client_scope, percent


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` calendar months later, clipped to that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lower_median(values: list[int]) -> int | None:
    """The median; for an even count the lower of the two middle values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _active_on(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _types(centre) -> list:
    return list(trajectory_types_for(centre).order_by("position", "code"))


def trajectory_dossiers(centre, user, params: dict) -> dict:
    """Distinct clients per trajectory type with a trajectory started on or before the date."""
    day = params["date"]
    language = get_language()
    pairs = set(
        Trajectory.objects.filter(
            centre=centre, start_date__lte=day, client__in=client_scope(centre, user)
        ).values_list("type_id", "client_id")
    )
    per_type = Counter(type_id for type_id, _client in pairs)
    rows = [
        {"type": t.code, "label": t.label_in(language), "dossiers": per_type[t.pk]}
        for t in _types(centre)
    ]
    return {
        "report": "trajectory-dossiers",
        "params": {"date": day.isoformat()},
        "rows": rows,
        "total": {"dossiers": len({client for _type, client in pairs})},
    }


def activation_status(centre, user, params: dict) -> dict:
    """Clients with an income right on the date, each under the type of their trajectory."""
    day = params["date"]
    language = get_language()
    types = _types(centre)
    rank = {t.pk: index for index, t in enumerate(types)}
    population = set(
        IncomeRight.objects.filter(
            _active_on(day), client__in=client_scope(centre, user), client__centre=centre
        ).values_list("client_id", flat=True)
    )
    chosen: dict[int, tuple] = {}
    running = Trajectory.objects.filter(
        _active_on(day), centre=centre, client_id__in=population
    ).values_list("client_id", "type_id", "start_date")
    for client_id, type_id, start in running:
        # The latest start wins; on the same start, the earlier catalogue position.
        key = (start, -rank[type_id])
        if client_id not in chosen or key > chosen[client_id]:
            chosen[client_id] = key
    counts = Counter(-key[1] for key in chosen.values())
    whole = len(population)
    rows = [
        {
            "type": t.code,
            "label": t.label_in(language),
            "clients": counts[index],
            "percent": percent(counts[index], whole),
        }
        for index, t in enumerate(types)
    ]
    none = whole - len(chosen)
    rows.append(
        {
            "type": "none",
            "label": _("No trajectory"),
            "clients": none,
            "percent": percent(none, whole),
        }
    )
    return {
        "report": "activation-status",
        "params": {"date": day.isoformat()},
        "rows": rows,
        "total": {"clients": whole},
    }


def activation_speed(centre, user, params: dict) -> dict:
    """Of the clients whose first income right starts in the period: activated within 4 months."""
    start, end = params["from"], params["to"]
    first_rights = dict(
        IncomeRight.objects.filter(client__in=client_scope(centre, user), client__centre=centre)
        .values("client_id")
        .annotate(first=Min("start_date"))
        .filter(first__gte=start, first__lte=end)
        .values_list("client_id", "first")
    )
    first_activation = dict(
        Trajectory.objects.filter(
            centre=centre, type__counts_as_activation=True, client_id__in=list(first_rights)
        )
        .values("client_id")
        .annotate(first=Min("start_date"))
        .values_list("client_id", "first")
    )
    days = [
        (first_activation[client] - right_start).days
        for client, right_start in first_rights.items()
        if client in first_activation and first_activation[client] <= add_months(right_start, 4)
    ]
    row = {
        "cohort": len(first_rights),
        "activated": len(days),
        "percent": percent(len(days), len(first_rights)),
        "median_days": lower_median(days),
    }
    return {
        "report": "activation-speed",
        "params": {"from": start.isoformat(), "to": end.isoformat()},
        "rows": [row],
        "total": dict(row),
    }


NO_POSITION = "none"


def ladder_transitions(centre, user, first: datetime.date, second: datetime.date) -> dict:
    """Rung on the first date x rung on the second date, with the moves up, down and same."""
    positions = (
        LadderPosition.objects.filter(
            client__in=client_scope(centre, user), since__lte=max(first, second)
        )
        .order_by("client_id", "since")
        .values_list("client_id", "since", "rung")
    )
    at_first: dict[int, str] = {}
    at_second: dict[int, str] = {}
    for client_id, since, rung in positions:  # ordered by since: the last one holding wins
        if since <= first:
            at_first[client_id] = rung
        if since <= second:
            at_second[client_id] = rung
    keys = [*Rung.values, NO_POSITION]
    matrix = {a: dict.fromkeys(keys, 0) for a in keys}
    moves = Counter()
    for client_id in set(at_first) | set(at_second):
        a, b = at_first.get(client_id, NO_POSITION), at_second.get(client_id, NO_POSITION)
        matrix[a][b] += 1
        if NO_POSITION not in (a, b):
            moves[
                "up"
                if Rung.level(b) > Rung.level(a)
                else "down"
                if Rung.level(b) < Rung.level(a)
                else "same"
            ] += 1
    return {
        "first": first,
        "second": second,
        "keys": keys,
        "matrix": matrix,
        "up": moves["up"],
        "down": moves["down"],
        "same": moves["same"],
        "clients": len(set(at_first) | set(at_second)),
    }
