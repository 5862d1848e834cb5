"""`manage.py generate_data`: large synthetic centres for the benchmark (codes ocmw01, …).

    manage.py generate_data --clients 250000 --centres 50 --years 5

`--clients` is the total: ocmw01 is a city centre (up to 20,000 clients), the others share the
rest evenly (opstap.demo.generator.centre_sizes).
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from opstap.core.models import Centre
from opstap.demo.bulk import CentrePlan, generate_centres
from opstap.demo.generator import centre_sizes


class Command(BaseCommand):
    help = "Generate synthetic centres ocmw01, ocmw02, … with fake clients and their histories."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, default=1000, help="clients in all centres together"
        )
        parser.add_argument("--centres", type=int, default=1, help="number of centres")
        parser.add_argument("--years", type=int, default=5, help="years of history")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="centres generated side by side (PostgreSQL; default: the number of CPUs)",
        )
        parser.add_argument(
            "--password", default=None, help="password of every generated worker (default: none)"
        )

    def handle(self, *args, clients, centres, years, seed, jobs, password, **options):
        plans = []
        for n, size in enumerate(centre_sizes(clients, centres), start=1):
            code = f"ocmw{n:02d}"
            if Centre.objects.filter(code=code, clients__isnull=False).exists():
                self.stdout.write(f"{code}: already has clients, skipped.")
                continue
            plans.append(CentrePlan(code, f"OCMW Benchstad {n:02d}", size, seed + n))
        begun, made = time.monotonic(), 0
        for done in generate_centres(plans, years=years, password=password, jobs=jobs):
            made += done.clients
            self.stdout.write(
                f"{done.code}: {done.clients} clients, {done.workers} workers, "
                f"{done.offices} offices in {done.seconds:.1f} s."
            )
        self.stdout.write(f"Generated {made} clients in {time.monotonic() - begun:.1f} s.")
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner would otherwise expect a handful of rows per centre.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
