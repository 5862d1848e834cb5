"""Links from a figure to the clients behind it.

A link carries a signed payload: either the client ids themselves (small sets) or the figure's
name, its filter parameters and the cell, so the list page re-runs the figure. Either way the
list only shows the dossiers the viewer may open (client_queryset_for), and management, who
sees figures but no dossiers, gets no links at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from .access import can_list_clients

SALT = "opstap.dashboards.figure-clients"
MAX_AGE = 60 * 60 * 24 * 7
# Sets up to this size travel as ids; larger ones re-run the figure.
MAX_IDS = 300

# figure name -> fn(centre, user, params, cell) -> set of client ids
SOURCES: dict[str, Callable] = {}


def source(name: str):
    def register(fn):
        SOURCES[name] = fn
        return fn

    return register


def _url(payload: dict) -> str:
    token = signing.dumps(payload, salt=SALT, compress=True)
    return f"{reverse('dashboards:figure-clients')}?{urlencode({'s': token})}"


def figure_link(user, *, figure: str, params: dict, cell: str, label: str, ids=None) -> str | None:
    """The link to the clients behind a cell, or None when the user may not list clients or
    the cell is empty."""
    if not can_list_clients(user) or (ids is not None and not ids):
        return None
    if ids is not None and len(ids) <= MAX_IDS:
        return _url({"ids": sorted(ids), "l": str(label)})
    return _url({"f": figure, "p": params, "c": cell, "l": str(label)})


def resolve(token: str, *, centre, user) -> tuple[str, set] | None:
    """(label, ids) of a link, or None when the signature is bad or too old."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    label = str(payload.get("l", ""))
    if "ids" in payload:
        return label, {int(pk) for pk in payload["ids"]}
    fn = SOURCES.get(payload.get("f"))
    if fn is None:
        return None
    return label, set(fn(centre, user, payload.get("p") or {}, payload.get("c") or ""))


@source("flow")
def _flow_source(centre, user, params: dict, cell: str) -> set:
    from .analytics import cell_ids, flow_for
    from .forms import FlowFilterForm

    form = FlowFilterForm(centre, params)
    if not form.is_valid():
        return set()
    return cell_ids(flow_for(centre, user, form.filters()), cell)


@source("status")
def _status_source(centre, user, params: dict, cell: str) -> set:
    from .keyfigures import status_ids

    day = datetime.date.fromisoformat(params.get("date") or datetime.date.today().isoformat())
    return status_ids(centre, user, day).get(cell, set())
