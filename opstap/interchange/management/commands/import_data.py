"""python manage.py import_data PATH --centre CODE [--create] [--dry-run]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opstap.core.models import Centre
from opstap.core.services import centre_create
from opstap.interchange.engine import SourceError, import_files, read_source


class Command(BaseCommand):
    help = "Import a folder (or a .zip of that folder) of interchange CSV files into a centre."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder or .zip holding clients.csv and other files")
        parser.add_argument("--centre", required=True, help="code of the centre")
        parser.add_argument(
            "--create", action="store_true", help="create the centre when it does not exist"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )

    def handle(self, *args, path, centre, create, dry_run, **options):
        try:
            files = read_source(path)
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        with transaction.atomic():
            target = _centre(centre, create=create)
            if target is None:
                raise CommandError(
                    f"There is no centre with code {centre!r}. Add --create to create it."
                )
            result = import_files(files=files, centre=target, dry_run=dry_run)
            if result.errors or dry_run:  # nothing is kept, not even a new centre
                transaction.set_rollback(True)
        for problem in result.errors:
            self.stderr.write(str(problem))
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} error(s) found; nothing was imported.", returncode=1
            )
        for filename, counts in result.summary().items():
            self.stdout.write(
                f"{filename}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
        self.stdout.write(
            "Check finished: no errors, nothing was written." if dry_run else "Import finished."
        )


def _centre(code: str, *, create: bool) -> Centre | None:
    centre = Centre.objects.filter(code=code).first()
    if centre is None and create:
        try:
            centre = centre_create(code=code, name=code)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
    return centre
