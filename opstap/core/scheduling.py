"""Daily background work on the task queue, without cron and without home-made loops.

A daily task is an ordinary django-tasks task. `ensure_scheduled()` (run by `manage.py
schedule_tasks`, which `make run` and the worker start-up call) makes sure each registered task
has one run waiting in the queue for the next run time; every run, when it finishes, queues the
next one through `daily`. The database worker (`manage.py db_worker`) executes them.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable

from django.utils import timezone

_daily: dict[str, tuple[Callable, datetime.time]] = {}


def next_run(at: datetime.time, now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + datetime.timedelta(days=1)


def daily(at: datetime.time = datetime.time(6, 0)):
    """Decorator placed above @task: after each run, queue the next day's run.

    @daily(datetime.time(6, 0))
    @task()
    def gpmi_deadlines_notify(): ...
    """

    def decorate(task):
        original = task.func

        @functools.wraps(original)
        def run_and_reschedule(*args, **kwargs):
            try:
                return original(*args, **kwargs)
            finally:
                if rescheduled.get_backend().supports_defer:
                    _enqueue(rescheduled, at)

        rescheduled = dataclasses.replace(task, func=run_and_reschedule)
        _daily[rescheduled.module_path] = (rescheduled, at)
        return rescheduled

    return decorate


def _enqueue(task, at: datetime.time):
    return task.using(run_after=next_run(at)).enqueue()


def ensure_scheduled() -> list[str]:
    """Queue the next run of every daily task that has none waiting. Returns what was queued."""
    from django_tasks_db.models import DBTaskResult

    queued = []
    for path, (task, at) in _daily.items():
        if not task.get_backend().supports_defer:
            continue
        waiting = DBTaskResult.objects.filter(task_path=path, status="READY").exists()
        if not waiting:
            _enqueue(task, at)
            queued.append(path)
    return queued


def registered() -> dict[str, tuple[Callable, datetime.time]]:
    return dict(_daily)
