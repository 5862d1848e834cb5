"""The core's daily background work."""

import datetime

from django_tasks import task

from .changes import fold
from .scheduling import daily
from .stored import forget_old


@daily(datetime.time(3, 30))
@task()
def fold_data_changes() -> int:
    """Fold each centre's record of the day's writes into one row per table
    (opstap.core.changes), so reading it stays one short query."""
    return fold()


@daily(datetime.time(3, 40))
@task()
def forget_old_figures() -> int:
    """Delete the figures kept for every process on an earlier day (opstap.core.stored): a
    figure's key holds the day it counts for, so none of them is read again."""
    return forget_old(datetime.date.today())
