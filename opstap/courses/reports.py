"""The module-reach report of spec/reports.md: collective modules in a year (Bruges)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from opstap.reports.registry import Report
from opstap.reports.scope import client_scope, percent

from .models import PARTICIPANT_STATUSES, Edition, Enrolment, EnrolmentStatus

CENT = Decimal("0.01")


def _money(value: Decimal) -> float:
    return float(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def module_reach(centre, user, params: dict) -> dict:
    """Per module with an edition starting in the year: editions and their enrolments; the
    distinct participants, the editions' cost and the cost per participant."""
    year = params.get("year") or datetime.date.today().year
    editions = Edition.objects.filter(centre=centre, start_date__year=year)
    modules: dict[int, dict] = {}
    for edition in editions.select_related("module").order_by("module__ref", "module_id"):
        module = edition.module
        row = modules.setdefault(
            module.pk,
            {
                "module_ref": module.ref,
                "module": module.name,
                "editions": 0,
                "enrolled": 0,
                "completed": 0,
                "dropped": 0,
                "completion_percent": 0.0,
            },
        )
        row["editions"] += 1
    enrolments = Enrolment.objects.filter(
        edition__in=editions,
        status__in=PARTICIPANT_STATUSES,
        client__in=client_scope(centre, user),
    ).values_list("edition__module_id", "client_id", "status")
    participants: set[int] = set()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for module_id, client_id, status in enrolments:
        participants.add(client_id)
        counts[module_id]["enrolled"] += 1
        if status == EnrolmentStatus.COMPLETED:
            counts[module_id]["completed"] += 1
        elif status == EnrolmentStatus.DROPPED:
            counts[module_id]["dropped"] += 1
    for module_id, row in modules.items():
        row.update(counts[module_id])
        row["completion_percent"] = percent(row["completed"], row["enrolled"])
    cost = editions.aggregate(total=Sum("cost_eur"))["total"] or Decimal("0")
    return {
        "report": "module-reach",
        "params": {"year": year},
        "rows": list(modules.values()),
        "total": {
            "participants": len(participants),
            "cost_eur": _money(cost),
            "cost_per_participant_eur": _money(cost / len(participants)) if participants else None,
        },
    }


MODULE_REACH = Report(
    name="module-reach",
    title=_("Collective modules in a year"),
    description=_(
        "Per module with an edition starting in the year: editions, enrolments, completions and "
        "drop-outs; distinct participants, the cost of those editions and the cost per "
        "participant."
    ),
    selector=module_reach,
    params=("year",),
    columns=[
        ("module_ref", _("Reference")),
        ("module", _("Module")),
        ("editions", _("Editions")),
        ("enrolled", _("Enrolled")),
        ("completed", _("Completed")),
        ("dropped", _("Dropped out")),
        ("completion_percent", _("Completed (%)")),
    ],
    chart=("module", "enrolled"),
    totals=[
        ("participants", _("Participants")),
        ("cost_eur", _("Cost (€)")),
        ("cost_per_participant_eur", _("Cost per participant (€)")),
    ],
    order=60,
)
