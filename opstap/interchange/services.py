"""Writes of the import/export pages: store an upload, run it, export a centre."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from .engine import ImportResult, SourceError, export_files, import_files, read_zip, zip_bytes
from .models import ImportRun, ImportStatus
from .registry import Problem


def imports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def import_run_create(*, actor, centre, upload: UploadedFile, dry_run: bool) -> ImportRun:
    """Keep the uploaded zip on disk and queue its check or import."""
    from .tasks import run_import

    stored_as = f"{uuid.uuid4().hex}.zip"
    with (imports_dir() / stored_as).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    run = ImportRun.objects.create(
        centre=centre,
        actor=actor,
        dry_run=dry_run,
        filename=Path(upload.name or "upload.zip").name[:200],
        stored_as=stored_as,
    )
    run_import.enqueue(run.pk)  # the database backend queues it in this same transaction
    return run


@transaction.atomic
def import_run_repeat(*, actor, run: ImportRun) -> ImportRun:
    """Import for real a file whose check passed, without uploading it again."""
    from .tasks import run_import

    again = ImportRun.objects.create(
        centre=run.centre,
        actor=actor,
        dry_run=False,
        filename=run.filename,
        stored_as=run.stored_as,
    )
    ImportRun.objects.filter(pk=run.pk).update(stored_as="")
    run_import.enqueue(again.pk)
    return again


def import_run_execute(*, run: ImportRun) -> ImportResult:
    """Read the stored zip and import it (or only check it) into the run's centre."""
    path = imports_dir() / run.stored_as if run.stored_as else None
    if path is None or not path.is_file():
        return _failed(run.filename, _("The uploaded file is no longer available."))
    try:
        with path.open("rb") as handle:
            files = read_zip(handle)
    except SourceError as exc:
        return _failed(run.filename, str(exc))
    return import_files(files=files, centre=run.centre, actor=run.actor, dry_run=run.dry_run)


def import_run_cleanup(*, run: ImportRun) -> None:
    """Delete the upload once done, except a checked file that may still be imported."""
    if not run.stored_as:
        return
    if run.dry_run and run.status == ImportStatus.SUCCEEDED:
        return
    (imports_dir() / run.stored_as).unlink(missing_ok=True)
    ImportRun.objects.filter(pk=run.pk).update(stored_as="")


def _failed(filename: str, message: str) -> ImportResult:
    result = ImportResult(dry_run=True)
    result.errors.append(Problem(file=filename, message=message))
    return result


def centre_export_zip(*, actor, centre) -> bytes:
    """All of a centre's data as a zip of interchange files (audited)."""
    return zip_bytes(export_files(centre=centre, actor=actor))
