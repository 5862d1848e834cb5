from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from opstap.core.scheduling import ensure_scheduled


class Command(BaseCommand):
    help = "Queue the next run of every daily background task that has none waiting."

    def handle(self, *args, **options):
        autodiscover_modules("tasks")
        queued = ensure_scheduled()
        for path in queued:
            self.stdout.write(f"queued {path}")
        if not queued:
            self.stdout.write("every daily task already has a run waiting")
