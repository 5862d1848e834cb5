"""The module-reach report of spec/reports.md: collective modules in a year (Bruges)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client
from opstap.core.prepared import PreparedRead
from opstap.reports.registry import Report
from opstap.reports.scope import client_scope, counts_whole_centre, percent

from .models import PARTICIPANT_STATUSES, Edition, Enrolment, EnrolmentStatus

CENT = Decimal("0.01")


def _money(value: Decimal) -> float:
    return float(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def _editions(centre_id: int, first: datetime.date, last: datetime.date):
    return Edition.objects.filter(
        centre_id=centre_id, start_date__gte=first, start_date__lte=last
    ).select_related("module")


def _enrolments(editions, clients):
    return Enrolment.objects.filter(
        edition__in=editions, status__in=PARTICIPANT_STATUSES, client__in=clients
    ).values_list("edition__module_id", "client_id", "status")


# The year's editions, and for the whole centre its enrolments: statements built once.
_EDITIONS = PreparedRead(
    lambda centre_id, first, last: _editions(centre_id, first, last).order_by(
        "module__ref", "module_id", "pk"
    ),
    kinds=(int, datetime.date, datetime.date),
)
_CENTRE_ENROLMENTS = PreparedRead(
    lambda centre_id, first, last: _enrolments(
        _editions(centre_id, first, last).values("pk"),
        Client.objects.filter(centre_id=centre_id).values("pk"),
    ),
    kinds=(int, datetime.date, datetime.date),
)


def module_reach(centre, user, params: dict) -> dict:
    """Per module with an edition starting in the year: editions and their enrolments; the
    distinct participants, the editions' cost and the cost per participant."""
    year = params.get("year") or datetime.date.today().year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    modules: dict[int, dict] = {}
    cost = Decimal("0")
    for edition in _EDITIONS.list(centre.pk, first, last):
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
        cost += edition.cost_eur or 0
    if counts_whole_centre(user):
        enrolments = _CENTRE_ENROLMENTS.list(centre.pk, first, last)
    else:
        enrolments = _enrolments(
            _editions(centre.pk, first, last).values("pk"), client_scope(centre, user)
        )
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
