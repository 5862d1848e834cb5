"""placements.csv and hours.csv of the interchange format (spec/interchange.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from opstap.interchange import bulk, fields
from opstap.interchange.registry import Column, FileCounts, FileData, FileSpec, ImportContext
from opstap.network.models import Organisation

from .models import (
    MAX_MONTH_HOURS,
    SOCIAL_KINDS,
    EndReason,
    HoursStatus,
    Kind,
    MonthlyHours,
    Placement,
    Status,
    Track,
)
from .selectors import month_bounds

PLACEMENT_ATTRS = [
    "client_id",
    "organisation_id",
    "kind",
    "track",
    "start",
    "end",
    "end_reason",
    "weekly_hours",
    "status",
]


def _org_refs(ctx: ImportContext) -> dict:
    if "organisation" not in ctx.refs:
        ctx.refs["organisation"] = dict(
            Organisation.objects.filter(centre=ctx.centre).values_list("ref", "pk")
        )
    return ctx.refs["organisation"]


def _check_placement_row(ctx, row, clients, orgs) -> dict | None:
    ok = True
    if row.ok("client_ref") and row["client_ref"] not in clients:
        ctx.error(row, "client_ref", _("No client has this reference."))
        ok = False
    if row.ok("org_ref") and row["org_ref"] not in orgs:
        ctx.error(row, "org_ref", _("No organisation has this reference."))
        ok = False
    if row.ok("kind", "track") and row["kind"] in SOCIAL_KINDS and not row["track"]:
        ctx.error(row, "track", _("Volunteering and work-care need a track."))
        ok = False
    if row.ok("start_date", "end_date") and row["end_date"] and row["end_date"] < row["start_date"]:
        ctx.error(row, "end_date", _("The end date is before the start date."))
        ok = False
    if row.ok("end_date", "end_reason") and row["end_reason"] and not row["end_date"]:
        ctx.error(row, "end_reason", _("A reason for ending needs an end date."))
        ok = False
    needed = (
        "placement_ref",
        "client_ref",
        "org_ref",
        "kind",
        "track",
        "start_date",
        "end_date",
        "end_reason",
        "weekly_hours",
    )
    return row if ok and row.ok(*needed) else None


def load_placements(ctx: ImportContext, data: FileData) -> FileCounts:
    """Validate placements.csv, then create or update the centre's placements by ref."""
    clients, orgs = ctx.refs.get("client", {}), _org_refs(ctx)
    existing = {p.ref: p for p in Placement.objects.filter(centre=ctx.centre)}
    rows, first_line = {}, {}
    for row in data.rows:
        if row.ok("placement_ref") and row["placement_ref"] in first_line:
            ctx.error(
                row,
                "placement_ref",
                _("This reference is already used on line %(line)d of this file.")
                % {"line": first_line[row["placement_ref"]]},
            )
            continue
        if row.ok("placement_ref"):
            first_line[row["placement_ref"]] = row.line
        if _check_placement_row(ctx, row, clients, orgs):
            rows[row["placement_ref"]] = row
    ctx.refs["placement"] = {ref: p.pk for ref, p in existing.items()}
    ctx.refs["placement_dates"] = {ref: (p.start, p.end) for ref, p in existing.items()}
    for ref, row in rows.items():
        ctx.refs["placement"].setdefault(ref, None)
        ctx.refs["placement_dates"][ref] = (row["start_date"], row["end_date"])
    counts = FileCounts()
    if not ctx.writing:
        return counts
    new, changed = [], []
    for ref, row in rows.items():
        values = {
            "client_id": clients[row["client_ref"]],
            "organisation_id": orgs[row["org_ref"]],
            "kind": row["kind"],
            "track": row["track"] or "",
            "start": row["start_date"],
            "end": row["end_date"],
            "end_reason": row["end_reason"] or "",
            "weekly_hours": row["weekly_hours"],
            "status": Status.ENDED if row["end_date"] else Status.ACTIVE,
        }
        p = existing.get(ref)
        if p is None:
            new.append(
                bulk.build(Placement, centre=ctx.centre, ref=ref, created_by=ctx.actor, **values)
            )
        elif any(getattr(p, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(p, k, v)
            changed.append(p)
    bulk.insert(Placement, new, batch_size=500)
    if changed:
        Placement.objects.bulk_update(changed, PLACEMENT_ATTRS, batch_size=500)
    ctx.refs["placement"].update({p.ref: p.pk for p in new})
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def export_placements(centre):
    qs = Placement.objects.filter(centre=centre, start__isnull=False).select_related(
        "client", "organisation"
    )
    for p in qs.order_by():
        yield {
            "placement_ref": p.ref,
            "client_ref": p.client.ref,
            "org_ref": p.organisation.ref,
            "kind": p.kind,
            "track": p.track,
            "start_date": p.start,
            "end_date": p.end,
            "end_reason": p.end_reason,
            "weekly_hours": p.weekly_hours,
        }


PLACEMENTS = FileSpec(
    filename="placements.csv",
    columns=(
        Column("placement_ref", required=True, parse=fields.ref),
        Column("client_ref", required=True, parse=fields.ref),
        Column("org_ref", required=True, parse=fields.ref),
        Column("kind", required=True, parse=fields.choice(Kind.values)),
        Column("track", parse=fields.choice(Track.values)),
        Column("start_date", required=True, parse=fields.date, format=fields.format_date),
        Column("end_date", parse=fields.date, format=fields.format_date),
        Column("end_reason", parse=fields.choice(EndReason.values)),
        Column(
            "weekly_hours",
            parse=fields.decimal_places(1, Decimal("0"), Decimal("168")),
            format=fields.format_decimal(1),
        ),
    ),
    order=50,
    load=load_placements,
    export=export_placements,
    sort_by=("placement_ref",),
)


def _placement_dates(ctx: ImportContext) -> dict:
    if "placement_dates" not in ctx.refs:
        qs = Placement.objects.filter(centre=ctx.centre)
        ctx.refs["placement"] = {p.ref: p.pk for p in qs}
        ctx.refs["placement_dates"] = {p.ref: (p.start, p.end) for p in qs}
    return ctx.refs["placement_dates"]


def load_hours(ctx: ImportContext, data: FileData) -> FileCounts:
    """Validate hours.csv (one row per placement and month, inside the placement's dates)."""
    dates = _placement_dates(ctx)
    rows, seen = {}, {}
    for row in data.rows:
        if not row.ok("placement_ref", "month"):
            continue
        ref, month = row["placement_ref"], row["month"]
        if ref not in dates:
            ctx.error(row, "placement_ref", _("No placement has this reference."))
            continue
        if (ref, month) in seen:
            ctx.error(
                row,
                "month",
                _("This placement already has hours for this month on line %(line)d.")
                % {"line": seen[(ref, month)]},
            )
            continue
        seen[(ref, month)] = row.line
        start, end = dates[ref]
        first, last = month_bounds(month)
        if start is None or start > last or (end is not None and end < first):
            ctx.error(row, "month", _("The placement does not run in this month."))
            continue
        if row.ok("hours", "transport_eur", "clothing_eur"):
            rows[(ref, month)] = row
    counts = FileCounts()
    if not ctx.writing:
        return counts
    pks = ctx.refs["placement"]
    existing = {
        (h.placement_id, h.month): h
        for h in MonthlyHours.objects.filter(placement__centre=ctx.centre)
    }
    new, changed = [], []
    for (ref, month), row in rows.items():
        values = {
            "hours": row["hours"],
            "transport_eur": row["transport_eur"] or Decimal("0"),
            "clothing_eur": row["clothing_eur"] or Decimal("0"),
        }
        record = existing.get((pks[ref], month))
        if record is None:
            new.append(
                bulk.build(
                    MonthlyHours,
                    placement_id=pks[ref],
                    month=month,
                    status=HoursStatus.APPROVED,
                    **values,
                )
            )
        elif any(getattr(record, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(record, k, v)
            changed.append(record)
    bulk.insert(MonthlyHours, new, batch_size=1000)
    if changed:
        MonthlyHours.objects.bulk_update(
            changed, ["hours", "transport_eur", "clothing_eur"], batch_size=1000
        )
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def _money_or_none(value: Decimal) -> Decimal | None:
    return value if value else None


def export_hours(centre):
    qs = MonthlyHours.objects.filter(placement__centre=centre).select_related("placement")
    for h in qs.order_by():
        yield {
            "placement_ref": h.placement.ref,
            "month": h.month,
            "hours": h.hours,
            "transport_eur": _money_or_none(h.transport_eur),
            "clothing_eur": _money_or_none(h.clothing_eur),
        }


HOURS = FileSpec(
    filename="hours.csv",
    columns=(
        Column("placement_ref", required=True, parse=fields.ref),
        Column("month", required=True, parse=fields.month, format=fields.format_month),
        Column(
            "hours",
            required=True,
            parse=fields.decimal_places(2, Decimal("0"), MAX_MONTH_HOURS),
            format=fields.format_decimal(2),
        ),
        Column(
            "transport_eur",
            parse=fields.decimal_places(2, Decimal("0")),
            format=fields.format_decimal(2),
        ),
        Column(
            "clothing_eur",
            parse=fields.decimal_places(2, Decimal("0")),
            format=fields.format_decimal(2),
        ),
    ),
    order=55,
    load=load_hours,
    export=export_hours,
    sort_by=("placement_ref", "month"),
)

__all__ = ["HOURS", "PLACEMENTS", "datetime"]
