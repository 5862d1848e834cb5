"""The trajectory and activation reports of spec/reports.md, and the ladder transitions.

Each counts in the database and brings back a few rows, whatever the size of the centre.
"""

from __future__ import annotations

import datetime
from collections import Counter
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opstap.clients.models import IncomeRight
from opstap.core.dates import add_months
from opstap.core.idlist import IdIn
from opstap.trajectories.models import LadderPosition, Rung, Trajectory
from opstap.trajectories.selectors import trajectory_types_for

from .scope import client_scope, narrowed_to_user, percent


@contextmanager
def counting_queries():
    """Around a report's counting queries. On PostgreSQL the planner's cost estimates of these
    (one index lookup per client) pass the JIT threshold, and compiling takes longer than the
    query itself (300 of 450 ms on 20,000 clients): JIT is switched off for this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


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
    """Distinct clients per trajectory type with a trajectory started on or before the date.

    Counted in the database, per type and in all (a city's 63,000 trajectories were read as
    pairs and counted in Python: 93 -> 48 ms).
    """
    day = params["date"]
    language = get_language()
    started = narrowed_to_user(
        Trajectory.objects.filter(centre=centre, start_date__lte=day).order_by(), centre, user
    )
    per_type = dict(
        started.values("type_id")
        .annotate(dossiers=Count("client_id", distinct=True))
        .values_list("type_id", "dossiers")
    )
    rows = [
        {"type": t.code, "label": t.label_in(language), "dossiers": per_type.get(t.pk, 0)}
        for t in _types(centre)
    ]
    return {
        "report": "trajectory-dossiers",
        "params": {"date": day.isoformat()},
        "rows": rows,
        "total": {"dossiers": started.aggregate(n=Count("client_id", distinct=True))["n"]},
    }


def activation_status(centre, user, params: dict) -> dict:
    """Clients with an income right on the date, each under the type of their trajectory.

    The database picks each client's trajectory; only its type comes back, one number per
    client with a running trajectory, counted here. (Grouping again in SQL meant finding the
    16,679 chosen trajectories of a city anew by key: 68 -> 48 ms.)
    """
    day = params["date"]
    language = get_language()
    types = _types(centre)
    population = client_scope(centre, user).filter(
        Exists(IncomeRight.objects.filter(_active_on(day), client=OuterRef("pk"), centre=centre)),
        centre=centre,
    )
    # Per client, the running trajectory that counts: the latest start wins; on the same
    # start, the earlier catalogue position. A window numbers them; the first one is kept.
    first = Window(
        RowNumber(),
        partition_by=[F("client_id")],
        order_by=[F("start_date").desc(), F("type__position").asc(), F("type__code").asc()],
    )
    chosen = (
        Trajectory.objects.filter(_active_on(day), centre=centre, client__in=population)
        .annotate(number=first)
        .filter(number=1)
        .values_list("type_id", flat=True)
    )
    per_type: dict = Counter(chosen)
    whole = population.count()
    per_type[None] = whole - sum(per_type.values())
    rows = [
        {
            "type": t.code,
            "label": t.label_in(language),
            "clients": per_type.get(t.pk, 0),
            "percent": percent(per_type.get(t.pk, 0), whole),
        }
        for t in types
    ]
    none = per_type.get(None, 0)
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
        IncomeRight.objects.filter(client__in=client_scope(centre, user), centre=centre)
        .values("client_id")
        .annotate(first=Min("start_date"))
        .filter(first__gte=start, first__lte=end)
        .values_list("client_id", "first")
    )
    first_activation = dict(
        Trajectory.objects.filter(
            IdIn("client_id", first_rights), centre=centre, type__counts_as_activation=True
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


def _rung_on(day: datetime.date) -> Subquery:
    """For a Client queryset: the rung of the last position since on or before the day."""
    return Subquery(
        LadderPosition.objects.filter(client=OuterRef("pk"), since__lte=day)
        .order_by("-since")
        .values("rung")[:1]
    )


def ladder_transitions(centre, user, first: datetime.date, second: datetime.date) -> dict:
    """Rung on the first date x rung on the second date, with the moves up, down and same.

    The database counts the pairs (at most one row per cell of the matrix). A client with no
    position by either date makes the pair (none, none), which is left out here: asking the
    database for "has a position" as well cost a third index read per client (74 -> 55 ms
    for a city of 20,000).
    """
    pairs = (
        client_scope(centre, user)
        .annotate(at_first=_rung_on(first), at_second=_rung_on(second))
        .order_by()
        .values("at_first", "at_second")
        .annotate(clients=Count("pk"))
        .values_list("at_first", "at_second", "clients")
    )
    with counting_queries():
        pairs = list(pairs)
    keys = [*Rung.values, NO_POSITION]
    matrix = {a: dict.fromkeys(keys, 0) for a in keys}
    moves = Counter()
    total = 0
    for a, b, clients in pairs:
        if a is None and b is None:
            continue  # never on the ladder by either date
        a, b = a or NO_POSITION, b or NO_POSITION
        matrix[a][b] += clients
        total += clients
        if NO_POSITION not in (a, b):
            moves[
                "up"
                if Rung.level(b) > Rung.level(a)
                else "down"
                if Rung.level(b) < Rung.level(a)
                else "same"
            ] += clients
    return {
        "first": first,
        "second": second,
        "keys": keys,
        "matrix": matrix,
        "up": moves["up"],
        "down": moves["down"],
        "same": moves["same"],
        "clients": total,
    }
