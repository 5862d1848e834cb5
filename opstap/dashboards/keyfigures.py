"""Management's key figures on the start page: the report selectors' numbers, with links."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from opstap.clients.models import IncomeRight
from opstap.core.dates import add_months
from opstap.core.idlist import IdIn
from opstap.reports.registry import REPORTS, centre_figure, run
from opstap.reports.scope import client_scope, percent
from opstap.trajectories.models import Trajectory
from opstap.trajectories.selectors import trajectory_types_for

from .access import can_list_clients
from .figures import figure_link


def _report_url(name: str, params: dict) -> str | None:
    if name not in REPORTS:
        return None
    return f"{reverse('reports:report', args=[name])}?{urlencode(params)}"


def status_ids(centre, user, day: datetime.date) -> dict[str, set]:
    """Type code (or "none") -> the clients activation-status counts under it on the day."""
    active = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    types = list(trajectory_types_for(centre).order_by("position", "code"))
    rank = {t.pk: i for i, t in enumerate(types)}
    population = set(
        IncomeRight.objects.filter(
            active, client__in=client_scope(centre, user), centre=centre
        ).values_list("client_id", flat=True)
    )
    chosen: dict[int, tuple] = {}
    running = Trajectory.objects.filter(active, IdIn("client_id", population), centre=centre)
    for client_id, type_id, start in running.values_list("client_id", "type_id", "start_date"):
        key = (start, -rank[type_id])  # the report's rule: latest start, then catalogue order
        if client_id not in chosen or key > chosen[client_id]:
            chosen[client_id] = key
    result: dict[str, set] = {t.code: set() for t in types}
    for client_id, key in chosen.items():
        result[types[-key[1]].code].add(client_id)
    result["none"] = population - set(chosen)
    return result


def key_figures(centre, user, *, today: datetime.date | None = None) -> dict:
    """Clients with an active right, share activated, the status mix and time to activation.

    Over the whole centre they are kept between reads while nothing they count is written
    (opstap.core.stored), for each language and for those who may or may not follow the links.
    """
    today = today or datetime.date.today()
    key = ("key-figures", today, can_list_clients(user))
    return centre_figure(centre, user, key, lambda: _key_figures(centre, user, today))


def _key_figures(centre, user, today: datetime.date) -> dict:
    year_ago = add_months(today, -12) + datetime.timedelta(days=1)
    status_params = {"date": today.isoformat()}
    speed_params = {"from": year_ago.isoformat(), "to": today.isoformat()}
    status = run("activation-status", centre=centre, user=user, raw_params=status_params)
    speed = run("activation-speed", centre=centre, user=user, raw_params=speed_params)
    population = status["total"]["clients"]
    # An intake trajectory is not an activation (spec/reports.md: types that count as one).
    counting = set(
        trajectory_types_for(centre)
        .filter(counts_as_activation=True)
        .values_list("code", flat=True)
    )
    activated = sum(r["clients"] for r in status["rows"] if r["type"] in counting)
    ids = status_ids(centre, user, today) if can_list_clients(user) else {}
    mix = [
        {
            **row,
            "link": figure_link(
                user,
                figure="status",
                params=status_params,
                cell=row["type"],
                label=row["label"],
                ids=ids.get(row["type"], set()),
            ),
        }
        for row in status["rows"]
        if row["clients"]
    ]
    speed_row = speed["rows"][0]
    return {
        "population": population,
        "activated": activated,
        "activated_percent": percent(activated, population),
        "mix": mix,
        "speed": speed_row,
        "speed_params": speed_params,
        "status_url": _report_url("activation-status", status_params),
        "speed_url": _report_url("activation-speed", speed_params),
    }
