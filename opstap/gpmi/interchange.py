"""gpmi.csv, gpmi_goals.csv, gpmi_steps.csv and gpmi_evaluations.csv (spec/interchange.md).

The four files share one loader: rows are identified by their ref, point to a parent by the
parent's ref (client, gpmi, goal), are validated all at once and written in bulk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from opstap.interchange import bulk, fields
from opstap.interchange.registry import Column, FileCounts, FileData, FileSpec, ImportContext

from .models import (
    GoalStatus,
    Gpmi,
    GpmiEvaluation,
    GpmiGoal,
    GpmiKind,
    GpmiStatus,
    GpmiStep,
    LifeDomain,
    StepOwner,
)
from .services import ensure_default_life_domains


@dataclass(frozen=True)
class Shape:
    """How one file maps onto one model."""

    model: type
    ref_column: str
    refs_key: str  # where this file publishes its refs in ctx.refs
    parent_column: str
    parent_refs: str  # which ctx.refs the parent ref is looked up in
    parent_attr: str  # the model's foreign key attribute (…_id)
    parent_message: str
    # row -> {attribute: value} of the other columns present (parent excluded)
    values: Callable
    # (ctx, row) -> True when the row's own rules hold (reports its errors)
    check: Callable
    # Attributes derived from the others: written on creation or when another value changes.
    derived: tuple[str, ...] = ()


def _load(ctx: ImportContext, data: FileData, shape: Shape) -> FileCounts:
    existing = {o.ref: o for o in shape.model.objects.filter(centre=ctx.centre)}
    parents = ctx.refs.get(shape.parent_refs, {})
    rows, seen = {}, {}
    for row in data.rows:
        ref = row[shape.ref_column] if row.ok(shape.ref_column) else None
        if ref is not None and ref in seen:
            ctx.error(
                row,
                shape.ref_column,
                _("This reference is already used on line %(line)d of this file.")
                % {"line": seen[ref]},
            )
            continue
        if ref is not None:
            seen[ref] = row.line
        valid = ref is not None
        if row.ok(shape.parent_column) and row[shape.parent_column] not in parents:
            ctx.error(row, shape.parent_column, shape.parent_message)
            valid = False
        valid = shape.check(ctx, row) and valid and row.ok(shape.parent_column)
        if valid:
            rows[ref] = row
    ctx.refs[shape.refs_key] = {ref: obj.pk for ref, obj in existing.items()}
    ctx.refs[shape.refs_key].update(
        {ref: existing[ref].pk if ref in existing else None for ref in rows}
    )
    counts = FileCounts()
    if not ctx.writing:
        return counts
    new, changed, update_fields = [], [], set()
    for ref, row in rows.items():
        values = shape.values(ctx, row, data.columns)
        values[shape.parent_attr] = parents[row[shape.parent_column]]
        current = existing.get(ref)
        if current is None:
            new.append(bulk.build(shape.model, centre=ctx.centre, ref=ref, **values))
            continue
        differing = {
            a: v for a, v in values.items() if a not in shape.derived and getattr(current, a) != v
        }
        if differing:
            differing.update({a: values[a] for a in shape.derived if a in values})
            for attr, value in differing.items():
                setattr(current, attr, value)
            update_fields.update(differing)
            changed.append(current)
    bulk.insert(shape.model, new, batch_size=500)
    if changed:
        shape.model.objects.bulk_update(changed, sorted(update_fields), batch_size=500)
    ctx.refs[shape.refs_key].update({obj.ref: obj.pk for obj in new})
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def _fine(row, *names: str) -> bool:
    """These cells parsed, or their optional column is not in the file."""
    return all(name not in row.raw or row.ok(name) for name in names)


def _present(columns, mapping: dict[str, str], row, defaults: dict | None = None) -> dict:
    """The attributes of the columns the file has; an empty cell is "no value"."""
    result = {}
    for column, attr in mapping.items():
        if column in columns:
            value = row[column]
            if value is None and defaults and column in defaults:
                value = defaults[column]
            result[attr] = value
    return result


# --- gpmi.csv -------------------------------------------------------------------------------------

GPMI_DATES = ("drafted_on", "signed_on", "start_date", "end_date")


def status_from_dates(row_values: dict, today: datetime.date) -> str:
    """The workflow status an imported contract is in, read from its dates."""
    if row_values.get("exemption_reason"):
        return GpmiStatus.EXEMPTED
    if not row_values.get("signed_on"):
        return GpmiStatus.DRAFT
    start, end = row_values.get("start_date"), row_values.get("end_date")
    if end and end < today:
        return GpmiStatus.ENDED
    if start and start <= today:
        return GpmiStatus.ACTIVE
    return GpmiStatus.SIGNED


def _check_gpmi(ctx, row) -> bool:
    valid = row.ok("kind")
    if row["exemption"]:
        for column in GPMI_DATES:
            if row[column]:
                ctx.error(row, column, _("An exempted client has no contract dates."))
                valid = False
    if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
        ctx.error(row, "end_date", _("The end date cannot be before the start date."))
        valid = False
    if row["signed_on"] and row["drafted_on"] and row["signed_on"] < row["drafted_on"]:
        ctx.error(row, "signed_on", _("A contract cannot be signed before it was drafted."))
        valid = False
    return valid and _fine(row, *GPMI_DATES, "exemption")


def _gpmi_values(ctx, row, columns) -> dict:
    mapping = {c: c for c in ("kind", *GPMI_DATES)}
    values = _present(columns, mapping, row)
    if "exemption" in columns:
        values["exemption_reason"] = row["exemption"] or ""
    full = {c: row[c] for c in GPMI_DATES}
    full["exemption_reason"] = row["exemption"] or ""
    values["status"] = status_from_dates(full, datetime.date.today())
    return values


GPMI_SHAPE = Shape(
    model=Gpmi,
    ref_column="gpmi_ref",
    refs_key="gpmi",
    parent_column="client_ref",
    parent_refs="client",
    parent_attr="client_id",
    parent_message=_("No client has this reference."),
    values=_gpmi_values,
    check=_check_gpmi,
    derived=("status",),
)


def load_gpmis(ctx: ImportContext, data: FileData) -> FileCounts:
    return _load(ctx, data, GPMI_SHAPE)


def export_gpmis(centre):
    for g in Gpmi.objects.filter(centre=centre).select_related("client").order_by():
        exempted = g.status == GpmiStatus.EXEMPTED
        yield {
            "gpmi_ref": g.ref,
            "client_ref": g.client.ref,
            "kind": g.kind,
            "drafted_on": None if exempted else g.drafted_on,
            "signed_on": None if exempted else g.signed_on,
            "start_date": None if exempted else g.start_date,
            "end_date": None if exempted else g.end_date,
            "exemption": g.exemption_reason if exempted else None,
        }


# --- gpmi_goals.csv -------------------------------------------------------------------------------


def _check_goal(ctx, row) -> bool:
    domains = ctx.refs.setdefault("_life_domain", {})
    if not domains:
        ensure_default_life_domains(ctx.centre)
        domains.update(LifeDomain.objects.filter(centre=ctx.centre).values_list("code", "id"))
    if row.ok("life_domain") and row["life_domain"] not in domains:
        ctx.error(row, "life_domain", _("This life domain is not in the centre's catalogue."))
        return False
    return row.ok("life_domain", "text") and _fine(row, "status")


def _goal_values(ctx, row, columns) -> dict:
    values = _present(columns, {"text": "text", "status": "status"}, row, {"status": "open"})
    values["domain_id"] = ctx.refs["_life_domain"][row["life_domain"]]
    return values


GOAL_SHAPE = Shape(
    model=GpmiGoal,
    ref_column="goal_ref",
    refs_key="gpmi_goal",
    parent_column="gpmi_ref",
    parent_refs="gpmi",
    parent_attr="gpmi_id",
    parent_message=_("No GPMI has this reference."),
    values=_goal_values,
    check=_check_goal,
)


def load_goals(ctx: ImportContext, data: FileData) -> FileCounts:
    return _load(ctx, data, GOAL_SHAPE)


def export_goals(centre):
    goals = GpmiGoal.objects.filter(centre=centre).select_related("gpmi", "domain")
    for goal in goals.order_by():
        yield {
            "goal_ref": goal.ref,
            "gpmi_ref": goal.gpmi.ref,
            "life_domain": goal.domain.code,
            "text": goal.text,
            "status": goal.status,
        }


# --- gpmi_steps.csv -------------------------------------------------------------------------------


def _check_step(ctx, row) -> bool:
    return row.ok("text") and _fine(row, "owner", "due_date", "done_on")


def _step_values(ctx, row, columns) -> dict:
    mapping = {"text": "text", "owner": "owner", "due_date": "due_date", "done_on": "done_on"}
    return _present(columns, mapping, row, {"owner": StepOwner.CLIENT})


STEP_SHAPE = Shape(
    model=GpmiStep,
    ref_column="step_ref",
    refs_key="gpmi_step",
    parent_column="goal_ref",
    parent_refs="gpmi_goal",
    parent_attr="goal_id",
    parent_message=_("No GPMI goal has this reference."),
    values=_step_values,
    check=_check_step,
)


def load_steps(ctx: ImportContext, data: FileData) -> FileCounts:
    return _load(ctx, data, STEP_SHAPE)


def export_steps(centre):
    for step in GpmiStep.objects.filter(centre=centre).select_related("goal").order_by():
        yield {
            "step_ref": step.ref,
            "goal_ref": step.goal.ref,
            "text": step.text,
            "owner": step.owner,
            "due_date": step.due_date,
            "done_on": step.done_on,
        }


# --- gpmi_evaluations.csv -------------------------------------------------------------------------


def _check_evaluation(ctx, row) -> bool:
    return row.ok("date", "in_person") and _fine(row, "summary")


def _evaluation_values(ctx, row, columns) -> dict:
    mapping = {"date": "date", "in_person": "in_person", "summary": "summary"}
    return _present(columns, mapping, row, {"summary": ""})


EVALUATION_SHAPE = Shape(
    model=GpmiEvaluation,
    ref_column="evaluation_ref",
    refs_key="gpmi_evaluation",
    parent_column="gpmi_ref",
    parent_refs="gpmi",
    parent_attr="gpmi_id",
    parent_message=_("No GPMI has this reference."),
    values=_evaluation_values,
    check=_check_evaluation,
)


def load_evaluations(ctx: ImportContext, data: FileData) -> FileCounts:
    return _load(ctx, data, EVALUATION_SHAPE)


def export_evaluations(centre):
    evaluations = GpmiEvaluation.objects.filter(centre=centre).select_related("gpmi")
    for evaluation in evaluations.order_by():
        yield {
            "evaluation_ref": evaluation.ref,
            "gpmi_ref": evaluation.gpmi.ref,
            "date": evaluation.date,
            "in_person": evaluation.in_person,
            "summary": evaluation.summary,
        }


def _date_column(name: str, required: bool = False) -> Column:
    return Column(name, required=required, parse=fields.date, format=fields.format_date)


FILES = [
    FileSpec(
        filename="gpmi.csv",
        columns=(
            Column("gpmi_ref", required=True, parse=fields.ref),
            Column("client_ref", required=True, parse=fields.ref),
            Column("kind", required=True, parse=fields.choice(GpmiKind.values)),
            _date_column("drafted_on"),
            _date_column("signed_on"),
            _date_column("start_date"),
            _date_column("end_date"),
            Column("exemption", parse=fields.text_max(2000)),
        ),
        order=50,
        load=load_gpmis,
        export=export_gpmis,
        sort_by=("gpmi_ref",),
    ),
    FileSpec(
        filename="gpmi_goals.csv",
        columns=(
            Column("goal_ref", required=True, parse=fields.ref),
            Column("gpmi_ref", required=True, parse=fields.ref),
            Column("life_domain", required=True, parse=fields.text_max(40)),
            Column("text", required=True, parse=fields.text_max(4000)),
            Column("status", parse=fields.choice(GoalStatus.values)),
        ),
        order=51,
        load=load_goals,
        export=export_goals,
        sort_by=("goal_ref",),
    ),
    FileSpec(
        filename="gpmi_steps.csv",
        columns=(
            Column("step_ref", required=True, parse=fields.ref),
            Column("goal_ref", required=True, parse=fields.ref),
            Column("text", required=True, parse=fields.text_max(4000)),
            Column("owner", parse=fields.choice(StepOwner.values)),
            _date_column("due_date"),
            _date_column("done_on"),
        ),
        order=52,
        load=load_steps,
        export=export_steps,
        sort_by=("step_ref",),
    ),
    FileSpec(
        filename="gpmi_evaluations.csv",
        columns=(
            Column("evaluation_ref", required=True, parse=fields.ref),
            Column("gpmi_ref", required=True, parse=fields.ref),
            _date_column("date", required=True),
            Column("in_person", required=True, parse=fields.boolean, format=fields.format_boolean),
            Column("summary", parse=fields.text_max(4000)),
        ),
        order=53,
        load=load_evaluations,
        export=export_evaluations,
        sort_by=("evaluation_ref",),
    ),
]
