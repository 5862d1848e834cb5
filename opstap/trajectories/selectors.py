"""Reads of trajectories and ladder positions. The client comes from client_get_for."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from opstap.core.dossier import client_rows, shared_read
from opstap.core.prepared import PreparedRead

from .catalogue import ensure_default_catalogue
from .models import LadderPosition, Trajectory, TrajectoryOutcome, TrajectoryType


def trajectory_types_for(centre, *, active_only: bool = False) -> QuerySet[TrajectoryType]:
    ensure_default_catalogue(centre)
    qs = TrajectoryType.objects.filter(centre=centre)
    return qs.filter(active=True) if active_only else qs


def trajectory_outcomes_for(centre, *, active_only: bool = False) -> QuerySet[TrajectoryOutcome]:
    ensure_default_catalogue(centre)
    qs = TrajectoryOutcome.objects.filter(centre=centre)
    return qs.filter(active=True) if active_only else qs


def _with_relations(trajectories: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    return trajectories.select_related("type", "outcome", "responsible").order_by(
        "end_date", "-start_date", "-id"
    )


def trajectories_for(client) -> QuerySet[Trajectory]:
    return _with_relations(client.trajectories.all())


_TRAJECTORIES = PreparedRead(
    lambda client_id: _with_relations(Trajectory.objects.filter(client_id=client_id))
)


def trajectory_rows_of(client) -> list[Trajectory]:
    """trajectories_for as a list, its statement built once (the timeline and the tab)."""
    return client_rows(_TRAJECTORIES, client)


def trajectory_get_for(client, pk: int) -> Trajectory | None:
    return trajectories_for(client).filter(pk=pk).first()


_LADDER = PreparedRead(
    lambda client_id: (
        LadderPosition.objects.filter(client_id=client_id)
        .select_related("recorded_by")
        .order_by("-since", "-id")
    )
)


def ladder_positions_of(client) -> list[LadderPosition]:
    """The client's ladder history, newest first (read once per request)."""
    return shared_read(client, "ladder", lambda: client_rows(_LADDER, client))


def current_position(client, day: datetime.date | None = None) -> LadderPosition | None:
    day = day or datetime.date.today()
    return next((p for p in ladder_positions_of(client) if p.since <= day), None)


def current_rung_subquery(day: datetime.date | None = None) -> Subquery:
    """For a Client queryset: the rung of the position holding on the day (None when none)."""
    day = day or datetime.date.today()
    return Subquery(
        LadderPosition.objects.filter(client=OuterRef("pk"), since__lte=day)
        .order_by("-since")
        .values("rung")[:1]
    )
