"""trajectories.csv and ladder.csv of the interchange format (spec/interchange.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opstap.interchange import bulk, fields
from opstap.interchange.registry import Column, FileCounts, FileData, FileSpec, ImportContext

from .catalogue import ensure_default_catalogue
from .models import LadderPosition, Rung, Trajectory, TrajectoryOutcome, TrajectoryType

TRAJECTORY_COLUMNS = {
    "client_ref": "client_id",
    "type": "type_id",
    "start_date": "start_date",
    "end_date": "end_date",
    "outcome": "outcome_id",
}


def _known_client(ctx: ImportContext, row) -> bool:
    if row.ok("client_ref") and row["client_ref"] not in ctx.refs.get("client", {}):
        ctx.error(row, "client_ref", _("No client has this reference."))
        return False
    return row.ok("client_ref")


def load_trajectories(ctx: ImportContext, data: FileData) -> FileCounts:
    """Create or update trajectories by trajectory_ref; types and outcomes by their code."""
    ensure_default_catalogue(ctx.centre)
    types = dict(TrajectoryType.objects.filter(centre=ctx.centre).values_list("code", "id"))
    outcomes = dict(TrajectoryOutcome.objects.filter(centre=ctx.centre).values_list("code", "id"))
    existing = {t.ref: t for t in Trajectory.objects.filter(centre=ctx.centre)}
    rows, seen = {}, {}
    for row in data.rows:
        if row.ok("trajectory_ref") and row["trajectory_ref"] in seen:
            ctx.error(
                row,
                "trajectory_ref",
                _("This reference is already used on line %(line)d of this file.")
                % {"line": seen[row["trajectory_ref"]]},
            )
            continue
        if row.ok("trajectory_ref"):
            seen[row["trajectory_ref"]] = row.line
        valid = _known_client(ctx, row) and row.ok("trajectory_ref", "start_date")
        if row.ok("type") and row["type"] not in types:
            ctx.error(row, "type", _("This trajectory type is not in the centre's catalogue."))
            valid = False
        if row["outcome"] and row["outcome"] not in outcomes:
            ctx.error(row, "outcome", _("This outcome is not in the centre's catalogue."))
            valid = False
        if row["end_date"] and row["start_date"] and row["end_date"] < row["start_date"]:
            ctx.error(row, "end_date", _("The end date cannot be before the start date."))
            valid = False
        if row["outcome"] and not row["end_date"]:
            ctx.error(row, "outcome", _("Only an ended trajectory has an outcome."))
            valid = False
        if valid and row.ok("type", "end_date", "outcome"):
            rows[row["trajectory_ref"]] = row
    counts = FileCounts()
    if not ctx.writing:
        return counts
    clients = ctx.refs["client"]
    new, changed = [], []
    for ref, row in rows.items():
        values = {
            "client_id": clients[row["client_ref"]],
            "type_id": types[row["type"]],
            "start_date": row["start_date"],
            "end_date": row["end_date"],
            "outcome_id": outcomes.get(row["outcome"]) if row["outcome"] else None,
        }
        values = {
            attr: values[attr]
            for column, attr in TRAJECTORY_COLUMNS.items()
            if column in data.columns
        }
        current = existing.get(ref)
        if current is None:
            new.append(bulk.build(Trajectory, centre=ctx.centre, ref=ref, **values))
        elif any(getattr(current, attr) != value for attr, value in values.items()):
            for attr, value in values.items():
                setattr(current, attr, value)
            changed.append(current)
    bulk.insert(Trajectory, new, batch_size=500)
    if changed:
        update = [a for c, a in TRAJECTORY_COLUMNS.items() if c in data.columns]
        Trajectory.objects.bulk_update(changed, update, batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def export_trajectories(centre):
    qs = Trajectory.objects.filter(centre=centre).select_related("client", "type", "outcome")
    for t in qs.order_by():
        yield {
            "trajectory_ref": t.ref,
            "client_ref": t.client.ref,
            "type": t.type.code,
            "start_date": t.start_date,
            "end_date": t.end_date,
            "outcome": t.outcome.code if t.outcome else None,
        }


def load_ladder(ctx: ImportContext, data: FileData) -> FileCounts:
    """Ladder positions are identified by (client_ref, since); one per client per day."""
    clients = ctx.refs.get("client", {})
    existing = {
        (client_id, since): (pk, rung)
        for pk, client_id, since, rung in LadderPosition.objects.filter(
            client__centre=ctx.centre
        ).values_list("pk", "client_id", "since", "rung")
    }
    rows, seen = {}, {}
    for row in data.rows:
        if not (_known_client(ctx, row) and row.ok("rung", "since")):
            continue
        key = (row["client_ref"], row["since"])
        if key in seen:
            ctx.error(
                row,
                "since",
                _("This client already has a position on this date on line %(line)d.")
                % {"line": seen[key]},
            )
            continue
        seen[key] = row.line
        rows[key] = row
    counts = FileCounts()
    if not ctx.writing:
        return counts
    new, changed = [], []
    for (client_ref, since), row in rows.items():
        client_id = clients[client_ref]
        stored = existing.get((client_id, since))
        if stored is None:
            new.append(
                bulk.build(LadderPosition, client_id=client_id, since=since, rung=row["rung"])
            )
        elif stored[1] != row["rung"]:
            changed.append(LadderPosition(pk=stored[0], rung=row["rung"]))
    bulk.insert(LadderPosition, new, batch_size=500)
    LadderPosition.objects.bulk_update(changed, ["rung"], batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def export_ladder(centre):
    positions = LadderPosition.objects.filter(client__centre=centre).select_related("client")
    for position in positions.order_by():
        yield {"client_ref": position.client.ref, "rung": position.rung, "since": position.since}


TRAJECTORIES = FileSpec(
    filename="trajectories.csv",
    columns=(
        Column("trajectory_ref", required=True, parse=fields.ref),
        Column("client_ref", required=True, parse=fields.ref),
        Column("type", required=True, parse=fields.text_max(40)),
        Column("start_date", required=True, parse=fields.date, format=fields.format_date),
        Column("end_date", parse=fields.date, format=fields.format_date),
        Column("outcome", parse=fields.text_max(40)),
    ),
    order=30,
    load=load_trajectories,
    export=export_trajectories,
    sort_by=("trajectory_ref",),
)

LADDER = FileSpec(
    filename="ladder.csv",
    columns=(
        Column("client_ref", required=True, parse=fields.ref),
        Column("rung", required=True, parse=fields.choice(Rung.values)),
        Column("since", required=True, parse=fields.date, format=fields.format_date),
    ),
    order=31,
    load=load_ladder,
    export=export_ladder,
    sort_by=("client_ref", "since"),
)
