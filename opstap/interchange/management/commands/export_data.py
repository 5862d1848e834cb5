"""python manage.py export_data PATH --centre CODE"""

from django.core.management.base import BaseCommand, CommandError

from opstap.core.models import Centre
from opstap.interchange.engine import export_files, write_target


class Command(BaseCommand):
    help = "Export all data of a centre as interchange CSV files, into a folder or a .zip."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder to write into, or a path ending in .zip")
        parser.add_argument("--centre", required=True, help="code of the centre")

    def handle(self, *args, path, centre, **options):
        target = Centre.objects.filter(code=centre).first()
        if target is None:
            raise CommandError(f"There is no centre with code {centre!r}.")
        files = export_files(centre=target)
        write_target(path, files)
        self.stdout.write(f"Exported {len(files)} files to {path}.")
