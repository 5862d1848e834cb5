"""Daily: tell each reference worker which GPMI deadlines of their clients have passed."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from opstap.core.models import Centre
from opstap.core.notifications import notify
from opstap.core.scheduling import daily

from .selectors import MISSING, deadlines, reference_workers


def _message(problem: str, name: str, due: datetime.date) -> str:
    if problem == MISSING:
        return _("%(client)s has no signed GPMI; it was due on %(due)s.") % {
            "client": name,
            "due": due.strftime("%d/%m/%Y"),
        }
    return _("The GPMI evaluation of %(client)s was due on %(due)s.") % {
        "client": name,
        "due": due.strftime("%d/%m/%Y"),
    }


def notify_deadlines(centre: Centre, day: datetime.date) -> int:
    """Notify the reference workers of one centre; returns how many notifications were new."""
    from opstap.clients.models import Client

    rows = deadlines(
        clients=Client.objects.filter(centre=centre),
        day=day,
        interval_months=centre.gpmi_evaluation_months,
        until=day,
    )
    workers = reference_workers({d.client_id for d in rows})
    sent = 0
    for row in rows:
        for user in workers.get(row.client_id, []):
            with translation.override(user.language or "nl"):
                message = _message(row.problem, row.client_name, row.due)
            created = notify(
                user=user,
                kind="gpmi_deadline",
                message=message,
                key=f"gpmi:{row.problem}:{row.client_id}:{row.due.isoformat()}",
                url=reverse("gpmi:client", args=[row.client_id]),
                client_id=row.client_id,
            )
            sent += created is not None
    return sent


@daily(datetime.time(6, 15))
@task()
def gpmi_deadlines_notify() -> int:
    """Compute the gpmi-deadlines report of every centre and notify the reference workers."""
    today = datetime.date.today()
    return sum(notify_deadlines(centre, today) for centre in Centre.objects.all())
