"""The background import started from the web page."""

import logging

from django.utils import timezone, translation
from django_tasks import task

from . import services
from .models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)


@task()
def run_import(run_id: int) -> str:
    """Check or import the uploaded zip of an ImportRun and store the outcome on it."""
    run = ImportRun.objects.select_related("centre", "actor").get(pk=run_id)
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        with translation.override(run.actor.language or None):
            result = services.import_run_execute(run=run)
        run.summary = result.summary()
        run.errors = [problem.as_dict() for problem in result.errors]
        run.status = ImportStatus.FAILED if result.errors else ImportStatus.SUCCEEDED
    except Exception:
        logger.exception("Import run %s crashed", run_id)
        run.status = ImportStatus.CRASHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "errors", "finished_at"])
    services.import_run_cleanup(run=run)
    return run.status
