import datetime

import pytest
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from opstap.core.scheduling import daily, ensure_scheduled, next_run

calls = []


@daily(datetime.time(6, 0))
@task()
def sample_daily():
    calls.append(1)


def test_next_run_is_today_or_tomorrow():
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    before = datetime.datetime(2026, 3, 1, 5, 0, tzinfo=tz)
    after = datetime.datetime(2026, 3, 1, 7, 0, tzinfo=tz)
    assert next_run(datetime.time(6, 0), before) == datetime.datetime(2026, 3, 1, 6, 0, tzinfo=tz)
    assert next_run(datetime.time(6, 0), after) == datetime.datetime(2026, 3, 2, 6, 0, tzinfo=tz)


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_daily_task_is_queued_once_and_requeues_itself_after_running():
    assert sample_daily.module_path in ensure_scheduled()
    assert ensure_scheduled() == []  # already waiting
    waiting = DBTaskResult.objects.filter(task_path=sample_daily.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after > datetime.datetime.now(datetime.UTC)
    sample_daily.func()  # what the worker does when the time has come
    assert calls
    assert waiting.count() == 2  # the next day's run was queued by the run itself
