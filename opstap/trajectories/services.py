"""Writes for trajectories, the activation ladder and the trajectory catalogue."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import diff, log_action, snapshot

from .models import LadderPosition, Rung, Trajectory, TrajectoryOutcome, TrajectoryType

TRAJECTORY_FIELDS = ["ref", "type", "start_date", "end_date", "outcome", "responsible", "note"]
TYPE_FIELDS = [
    "code",
    "label_nl",
    "label_fr",
    "label_en",
    "rung",
    "counts_as_activation",
    "position",
    "active",
]


def _next_ref(centre) -> str:
    number = Trajectory.objects.filter(centre=centre).count() + 1
    while Trajectory.objects.filter(centre=centre, ref=f"T{number:05d}").exists():
        number += 1
    return f"T{number:05d}"


def _check_same_centre(client, **objects) -> None:
    errors = {
        field: _("Choose a value from this centre's catalogue.")
        for field, obj in objects.items()
        if obj is not None and getattr(obj, "centre_id", client.centre_id) != client.centre_id
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def trajectory_start(
    *,
    actor,
    client,
    type: TrajectoryType,
    start_date: datetime.date,
    responsible=None,
    note: str = "",
    ref: str = "",
    end_date: datetime.date | None = None,
    outcome: TrajectoryOutcome | None = None,
) -> Trajectory:
    """Start a trajectory for the client (imports may pass an end and an outcome too)."""
    _check_same_centre(client, type=type, outcome=outcome, responsible=responsible)
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if outcome is not None and end_date is None:
        raise ValidationError({"outcome": _("Only an ended trajectory has an outcome.")})
    ref = (ref or "").strip() or _next_ref(client.centre_id)
    if Trajectory.objects.filter(centre_id=client.centre_id, ref=ref).exists():
        raise ValidationError({"ref": _("This reference is already used.")})
    trajectory = Trajectory.objects.create(
        centre_id=client.centre_id,
        ref=ref,
        client=client,
        type=type,
        start_date=start_date,
        end_date=end_date,
        outcome=outcome,
        responsible=responsible,
        note=note,
    )
    log_action(
        actor=actor,
        action="trajectory.started",
        obj=trajectory,
        client_id=client.pk,
        centre=client.centre,
        changes=diff({}, snapshot(trajectory, TRAJECTORY_FIELDS)),
    )
    return trajectory


@transaction.atomic
def trajectory_end(
    *, actor, trajectory: Trajectory, end_date: datetime.date, outcome: TrajectoryOutcome
) -> Trajectory:
    """End a running trajectory with its outcome."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.end_date is not None:
        raise ValidationError({"end_date": _("This trajectory has already ended.")})
    if end_date < trajectory.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if outcome.centre_id != trajectory.centre_id:
        raise ValidationError({"outcome": _("Choose a value from this centre's catalogue.")})
    old = snapshot(trajectory, TRAJECTORY_FIELDS)
    trajectory.end_date = end_date
    trajectory.outcome = outcome
    trajectory.save(update_fields=["end_date", "outcome"])
    log_action(
        actor=actor,
        action="trajectory.ended",
        obj=trajectory,
        client_id=trajectory.client_id,
        centre=trajectory.centre,
        changes=diff(old, snapshot(trajectory, TRAJECTORY_FIELDS)),
    )
    return trajectory


@transaction.atomic
def ladder_position_set(
    *, actor, client, rung: str, since: datetime.date, reason: str = ""
) -> LadderPosition:
    """Put the client on a rung from a date on; one position per day."""
    if rung not in Rung.values:
        raise ValidationError({"rung": _("Choose one of the five rungs.")})
    if LadderPosition.objects.filter(client=client, since=since).exists():
        raise ValidationError(
            {"since": _("The client already has a ladder position on this date.")}
        )
    position = LadderPosition.objects.create(
        client=client,
        rung=rung,
        since=since,
        reason=reason,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    log_action(
        actor=actor,
        action="ladder.position.set",
        obj=position,
        client_id=client.pk,
        centre=client.centre,
        changes=diff({}, snapshot(position, ["rung", "since", "reason"])),
    )
    return position


@transaction.atomic
def trajectory_type_save(
    *, actor, centre, type: TrajectoryType | None = None, **fields
) -> TrajectoryType:
    """Create or change a trajectory type of the centre's catalogue."""
    code = fields.get("code", type.code if type else "")
    clash = TrajectoryType.objects.filter(centre=centre, code=code)
    if type is not None:
        clash = clash.exclude(pk=type.pk)
    if clash.exists():
        raise ValidationError({"code": _("This code is already used.")})
    old = snapshot(type, TYPE_FIELDS) if type is not None else {}
    item = type or TrajectoryType(centre=centre)
    for name, value in fields.items():
        setattr(item, name, value)
    item.rung = item.rung or None
    item.save()
    log_action(
        actor=actor,
        action="trajectory.type.updated" if type is not None else "trajectory.type.created",
        obj=item,
        centre=centre,
        changes=diff(old, snapshot(item, TYPE_FIELDS)),
    )
    return item
