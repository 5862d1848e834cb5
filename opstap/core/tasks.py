"""The core's daily background work."""

import datetime

from django_tasks import task

from .changes import fold
from .scheduling import daily


@daily(datetime.time(3, 30))
@task()
def fold_data_changes() -> int:
    """Fold each centre's record of the day's writes into one row per table
    (opstap.core.changes), so reading it stays one short query."""
    return fold()
