"""The social-activation, social-activation-trend and allowances reports (spec/reports.md)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from opstap.core.prepared import PreparedRead
from opstap.reports.registry import Report, register
from opstap.reports.scope import client_scope, counts_whole_centre, percent

from .models import SOCIAL_KINDS, Kind, MonthlyHours, Placement, Track

REPORT_KINDS = [Kind.VOLUNTEERING.value, Kind.ARBEIDSZORG.value]
CENT = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


class Spell(NamedTuple):
    client_id: int
    start: datetime.date
    end: datetime.date | None
    last_end_reason: str


# Positions in a row of _placements.
ID, CLIENT, KIND, TRACK, START, END, REASON = range(7)


def _placements(centre, user, first: datetime.date, last: datetime.date | None = None):
    """Social placements with a start, of the clients the user may count, as rows of (id,
    client_id, kind, track, start, end, end_reason), read by the positions above: thousands
    in a city centre, read without building a model, a dict or a named tuple for each."""
    qs = Placement.objects.filter(
        centre=centre,
        kind__in=REPORT_KINDS,
        start__isnull=False,
        client__in=client_scope(centre, user),
    )
    return list(
        qs.order_by("client_id", "kind", "start", "id").values_list(
            "id", "client_id", "kind", "track", "start", "end", "end_reason"
        )
    )


def _overlaps(p, first: datetime.date, last: datetime.date) -> bool:
    return p[START] <= last and (p[END] is None or p[END] >= first)


def spells(placements: list) -> list[Spell]:
    """Maximal chains per client and kind where each next placement starts no later than the
    day after the chain so far ends (sorted by client, kind, start)."""
    result = []
    chain: list = []
    reach: datetime.date | None = None  # the chain's latest end; None while open

    def close():
        if chain:
            lastp = chain[-1]
            result.append(Spell(lastp[CLIENT], chain[0][START], lastp[END], lastp[REASON]))

    for p in placements:
        same = chain and chain[-1][CLIENT] == p[CLIENT] and chain[-1][KIND] == p[KIND]
        continues = same and (reach is None or p[START] <= reach + ONE_DAY)
        if continues:
            chain.append(p)
            reach = None if reach is None or p[END] is None else max(reach, p[END])
        else:
            close()
            chain, reach = [p], p[END]
    close()
    return result


def months_between(
    first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar months touched by the period, as (first day, last day)."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        nxt = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append((day, nxt - datetime.timedelta(days=1)))
        day = nxt
    return months


def clients_per_month(placements: list, months) -> list[int]:
    """For each of the consecutive calendar months, the distinct clients with a placement that
    overlaps it. A placement covers the months from the one it starts in to the one it ends
    in (to the last one while it runs), clipped to `months`; each client's covered months are
    merged into spans, and each span adds one to its months (a running sum of starts and
    ends), so a client counts once a month however many placements they have."""
    if not months:
        return []
    last = len(months) - 1
    base = months[0][0].year * 12 + months[0][0].month  # a day's month is its index from here

    covered = []
    for p in placements:
        start, end = p[START], p[END]
        low = max(0, start.year * 12 + start.month - base)
        high = last if end is None else min(last, end.year * 12 + end.month - base)
        if low <= high:
            covered.append((p[CLIENT], low, high))
    covered.sort()
    changes = [0] * (len(months) + 1)
    client = low_of_span = high_of_span = None
    for client_id, low, high in covered:
        if client_id == client and low <= high_of_span + 1:  # overlaps or follows on
            high_of_span = max(high_of_span, high)
            continue
        if client is not None:
            changes[low_of_span] += 1
            changes[high_of_span + 1] -= 1
        client, low_of_span, high_of_span = client_id, low, high
    if client is not None:
        changes[low_of_span] += 1
        changes[high_of_span + 1] -= 1
    counts, running = [], 0
    for change in changes[:-1]:
        running += change
        counts.append(running)
    return counts


def _avg_per_month(placements: list, months) -> float:
    if not months:
        return 0.0
    counts = clients_per_month(placements, months)
    mean = Decimal(sum(counts)) / Decimal(len(counts))
    return float(mean.quantize(Decimal("0.1"), ROUND_HALF_UP))


def _kind_row(kind: str, placements: list, first, last) -> dict:
    overlapping = [p for p in placements if _overlaps(p, first, last)]
    latest: dict[int, tuple] = {}
    for p in overlapping:  # sorted by start then id: the last one seen started last
        latest[p[CLIENT]] = p
    active = len(latest)
    by_track = {}
    for track in Track.values:
        n = sum(1 for p in latest.values() if p[TRACK] == track)
        by_track[track] = {"clients": n, "percent": percent(n, active)}
    kind_spells = spells(placements)
    started = {s.client_id for s in kind_spells if first <= s.start <= last}
    stopped_spells = [s for s in kind_spells if s.end is not None and first <= s.end <= last]
    stopped = {s.client_id for s in stopped_spells}
    step_up = {s.client_id for s in stopped_spells if s.last_end_reason == "step_up"}
    return {
        "kind": kind,
        "active": active,
        "by_track": by_track,
        "started": len(started),
        "stopped": len(stopped),
        "stopped_step_up": len(step_up),
        "avg_clients_per_month": _avg_per_month(placements, months_between(first, last)),
    }


def social_activation(centre, user, params: dict) -> dict:
    """Volunteering and arbeidszorg in a period: active, tracks, spells started and stopped."""
    first, last = params["from"], params["to"]
    placements = _placements(centre, user, first, last)
    rows = [
        _kind_row(kind, [p for p in placements if p[KIND] == kind], first, last)
        for kind in REPORT_KINDS
    ]
    active_any = {p[CLIENT] for p in placements if _overlaps(p, first, last)}
    out_params = {"from": first.isoformat(), "to": last.isoformat()}
    if params.get("year"):
        out_params["year"] = params["year"]
    return {
        "report": "social-activation",
        "params": out_params,
        "rows": rows,
        "total": {"active": len(active_any)},
    }


def social_activation_trend(centre, user, params: dict) -> dict:
    """Average clients per month, per calendar year touched by the period."""
    first, last = params["from"], params["to"]
    placements = _placements(centre, user, first, last)
    by_kind = {kind: [p for p in placements if p[KIND] == kind] for kind in REPORT_KINDS}
    rows = []
    for year in range(first.year, last.year + 1):
        months = months_between(
            max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
        )
        row = {"year": year, "months": len(months)}
        for kind in REPORT_KINDS:
            row[kind] = _avg_per_month(by_kind[kind], months)
        rows.append(row)
    return {
        "report": "social-activation-trend",
        "params": {"from": first.isoformat(), "to": last.isoformat()},
        "rows": rows,
        "total": {},
    }


def _money(value: Decimal) -> float:
    return float(value.quantize(CENT, ROUND_HALF_UP))


def _allowance_records(centre_id: int, month: datetime.date, **clients):
    """The month's social placements' records of the centre, of the clients `clients` picks."""
    return (
        MonthlyHours.objects.filter(
            month=month,
            placement__centre_id=centre_id,
            placement__kind__in=SOCIAL_KINDS,
            **clients,
        )
        .select_related("placement", "placement__client", "placement__client__payment")
        .order_by("placement__client__ref", "placement__ref")
    )


# The whole centre's records (management, the payment file), with the statement built once.
_CENTRE_ALLOWANCES = PreparedRead(
    lambda centre_id, month: _allowance_records(
        centre_id, month, placement__client__centre_id=centre_id
    ),
    kinds=(int, datetime.date),
)


def allowance_records(centre, user, month: datetime.date) -> list[MonthlyHours]:
    """The month's hours records of volunteering and arbeidszorg, with client and placement."""
    if counts_whole_centre(user):
        return _CENTRE_ALLOWANCES.list(centre.pk, month)
    return list(
        _allowance_records(centre.pk, month, placement__client__in=client_scope(centre, user))
    )


def allowance_amounts(record: MonthlyHours, rate: Decimal) -> dict:
    premium = (record.hours * rate).quantize(CENT, ROUND_HALF_UP)
    total = premium + record.transport_eur + record.clothing_eur
    return {"premium": premium, "total": total}


def parse_month(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    year, month = str(value).split("-")
    return datetime.date(int(year), int(month), 1)


def allowances(centre, user, params: dict) -> dict:
    """Encouragement premiums of a month: hours × the centre's hourly premium, plus allowances."""
    month = parse_month(params["month"])
    rate = Decimal(centre.hourly_premium_eur)
    rows = []
    totals = defaultdict(Decimal)
    for record in allowance_records(centre, user, month):
        amounts = allowance_amounts(record, rate)
        rows.append(
            {
                "client_ref": record.placement.client.ref,
                "placement_ref": record.placement.ref,
                "hours": float(record.hours),
                "premium_eur": _money(amounts["premium"]),
                "transport_eur": _money(record.transport_eur),
                "clothing_eur": _money(record.clothing_eur),
                "total_eur": _money(amounts["total"]),
            }
        )
        totals["hours"] += record.hours
        totals["premium_eur"] += amounts["premium"]
        totals["transport_eur"] += record.transport_eur
        totals["clothing_eur"] += record.clothing_eur
        totals["total_eur"] += amounts["total"]
    total = {"hours": float(totals["hours"])}
    for key in ("premium_eur", "transport_eur", "clothing_eur", "total_eur"):
        total[key] = _money(totals[key])
    return {
        "report": "allowances",
        "params": {"month": f"{month:%Y-%m}"},
        "rows": rows,
        "total": total,
    }


def register_all() -> None:
    register(
        Report(
            name="social-activation",
            title=_("Social activation: volunteering and work-care"),
            description=_(
                "Clients active in the period by track, spells started and stopped (with how "
                "many made the step up), and the average number of clients per month."
            ),
            selector=social_activation,
            params=("year", "from", "to"),
            columns=[
                ("kind", _("Kind")),
                ("active", _("Active clients")),
                ("started", _("Started")),
                ("stopped", _("Stopped")),
                ("stopped_step_up", _("Of whom stepped up")),
                ("avg_clients_per_month", _("Average clients per month")),
            ],
            chart=("kind", "active"),
            value_labels={"kind": dict(Kind.choices)},
            order=40,
        )
    )
    register(
        Report(
            name="social-activation-trend",
            title=_("Social activation: average clients per month by year"),
            description=_(
                "For each year, the average number of distinct clients per month in "
                "volunteering and in work-care, over the months of the period."
            ),
            selector=social_activation_trend,
            params=("from", "to"),
            columns=[
                ("year", _("Year")),
                ("months", _("Months")),
                ("volunteering", _("Volunteering")),
                ("arbeidszorg", _("Work-care")),
            ],
            chart=("year", "volunteering"),
            order=41,
        )
    )
    register(
        Report(
            name="allowances",
            title=_("Encouragement premiums of a month"),
            description=_(
                "Hours registered per placement in the month, the premium per hour of the "
                "centre, and the transport and clothing allowances."
            ),
            selector=allowances,
            params=("month",),
            columns=[
                ("client_ref", _("Client")),
                ("placement_ref", _("Placement")),
                ("hours", _("Hours")),
                ("premium_eur", _("Premium (€)")),
                ("transport_eur", _("Transport (€)")),
                ("clothing_eur", _("Clothing (€)")),
                ("total_eur", _("Total (€)")),
            ],
            order=42,
        )
    )
