"""Daily anonymisation of the dossiers past their centre's retention period."""

from __future__ import annotations

import datetime

from django_tasks import task

from opstap.core.models import Centre
from opstap.core.scheduling import daily

from .selectors import retention_candidates, retention_policy_for
from .services import client_anonymise


def retention_apply(centre: Centre, *, today: datetime.date | None = None) -> int:
    """Anonymise every dossier of the centre past the retention period. Returns how many."""
    if not retention_policy_for(centre).enabled:
        return 0
    done = 0
    for client in retention_candidates(centre, today=today).iterator():
        client_anonymise(actor=None, client=client)
        done += 1
    return done


@daily(datetime.time(3, 30))
@task()
def retention_anonymise() -> int:
    """Apply every centre's retention policy (runs at night, before the workers arrive)."""
    return sum(retention_apply(centre) for centre in Centre.objects.all())
