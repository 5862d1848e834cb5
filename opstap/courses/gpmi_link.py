"""Carrying a step plan into the client's GPMI, when the GPMI app offers a way to add steps."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from opstap.clients.selectors import client_get_for

from .models import Enrolment


def _adder():
    try:
        from opstap.gpmi import services
    except ImportError:  # pragma: no cover - the GPMI app is always installed
        return None
    return getattr(services, "steps_add_to_active", None)


def available() -> bool:
    return _adder() is not None


def goal_text(enrolment: Enrolment) -> str:
    edition = enrolment.edition
    return _("Step plan of module %(module)s (%(start)s – %(end)s)") % {
        "module": edition.module.name,
        "start": edition.start_date.strftime("%d/%m/%Y"),
        "end": edition.end_date.strftime("%d/%m/%Y"),
    }


@transaction.atomic
def carry_steps(*, actor, enrolment: Enrolment) -> tuple[int, object | None]:
    """Add the steps not carried yet to the client's GPMI as one goal; (count, goal or None).

    The GPMI is part of the dossier, so only someone who may open it (the care team) carries
    steps into it; module staff from outside the care team get a clear refusal. The steps are
    locked first so a second click, even at the same moment, finds nothing left to carry.
    """
    try:
        client = client_get_for(user=actor, pk=enrolment.client_id, audit=False)
    except Http404:
        raise ValidationError(
            _("Only the client's care team can change their GPMI."), code="no_access"
        ) from None
    steps = list(enrolment.steps.select_for_update().filter(carried_on__isnull=True))
    if not steps:
        return 0, None
    goal = _adder()(
        actor=actor,
        client=client,
        goal_text=goal_text(enrolment),
        steps=[{"text": s.text, "owner": s.owner, "due_date": s.due_date} for s in steps],
    )
    enrolment.steps.filter(pk__in=[s.pk for s in steps]).update(carried_on=datetime.date.today())
    return len(steps), goal
