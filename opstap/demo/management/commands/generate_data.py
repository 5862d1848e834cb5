"""`manage.py generate_data`: large synthetic centres for the benchmark (codes ocmw01, …)."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from opstap.core.models import Centre
from opstap.demo.generator import generate_centre


class Command(BaseCommand):
    help = "Generate synthetic centres ocmw01, ocmw02, … with fake clients and their histories."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=1000, help="clients per centre")
        parser.add_argument("--centres", type=int, default=1, help="number of centres")
        parser.add_argument("--years", type=int, default=5, help="years of history")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--password", default=None, help="password of every generated worker (default: none)"
        )

    def handle(self, *args, clients, centres, years, seed, password, **options):
        used_insz: set[str] = set()
        for n in range(1, centres + 1):
            code = f"ocmw{n:02d}"
            if Centre.objects.filter(code=code, clients__isnull=False).exists():
                self.stdout.write(f"{code}: already has clients, skipped.")
                continue
            started = time.monotonic()
            ctx = generate_centre(
                code,
                f"OCMW Benchstad {n:02d}",
                clients=clients,
                years=years,
                seed=seed + n,
                password=password,
                used_insz=used_insz,
            )
            workers = sum(len(users) for users in ctx.workers.values())
            self.stdout.write(
                f"{code}: {len(ctx.clients)} clients, {workers} workers, "
                f"{len(ctx.offices)} offices in {time.monotonic() - started:.1f} s."
            )
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner would otherwise expect a handful of rows per centre.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
