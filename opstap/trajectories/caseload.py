"""Caseload filters: the client's current ladder rung and the type of a running trajectory."""

import datetime

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from opstap.clients.selectors import CaseloadFilter, add_caseload_filter
from opstap.core.prepared import PreparedRead

from .models import Rung, Trajectory, TrajectoryType
from .selectors import current_rung_subquery

# The centre's trajectory types, read on every caseload page (a catalogue of a dozen rows).
_TYPES = PreparedRead(lambda centre_id: TrajectoryType.objects.filter(centre_id=centre_id))


def _fields(centre) -> dict:
    return {
        "rung": forms.ChoiceField(
            label=_("Ladder rung"),
            required=False,
            choices=[("", _("All")), *Rung.choices, ("none", _("No position"))],
        ),
        # Choices by code, read once: validating the choice needs no further query.
        "trajectory_type": forms.ChoiceField(
            label=_("Running trajectory"),
            required=False,
            choices=[("", _("All"))]
            + [(t.code, t.label) for t in (_TYPES.list(centre.pk) if centre else [])],
        ),
    }


def _apply(qs, filters: dict):
    today = datetime.date.today()
    rung = filters.get("rung")
    if rung == "none":
        qs = qs.alias(current_rung=current_rung_subquery(today)).filter(current_rung__isnull=True)
    elif rung:
        qs = qs.alias(current_rung=current_rung_subquery(today)).filter(current_rung=rung)
    trajectory_type = filters.get("trajectory_type")
    if trajectory_type:
        running = Trajectory.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            client=OuterRef("pk"),
            type__code=trajectory_type,
            start_date__lte=today,
        )
        qs = qs.filter(Exists(running))
    return qs


def register() -> None:
    add_caseload_filter(CaseloadFilter(key="trajectories", fields=_fields, apply=_apply))
