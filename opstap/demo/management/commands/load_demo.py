"""`manage.py load_demo`: the demo centre "OCMW Demostad" with ~300 fake clients and one
account per role. Safe to run again: an existing demo centre is left as it is (`--reset`
rebuilds its dossiers, keeping the accounts and the audit log)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from opstap.accounts.models import User
from opstap.clients.models import Client
from opstap.core.models import Centre
from opstap.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, generate_centre

DEMO_CODE = "demo"
DEMO_NAME = "OCMW Demostad"


class Command(BaseCommand):
    help = "Create the demo centre with fake clients and the demo accounts (password demo-opstap)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=300, help="number of clients")
        parser.add_argument("--seed", type=int, default=2024, help="random seed")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo centre's dossiers and generate them again",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="URL to print")

    def handle(self, *args, clients, seed, reset, url, **options):
        started = time.monotonic()
        elsewhere = User.objects.filter(username__in=DEMO_ACCOUNTS).exclude(centre__code=DEMO_CODE)
        if elsewhere.exists():
            names = ", ".join(elsewhere.values_list("username", flat=True))
            raise CommandError(
                f"These usernames belong to another centre, so the demo cannot use them: {names}"
            )
        centre = Centre.objects.filter(code=DEMO_CODE).first()
        present = centre is not None and Client.objects.filter(centre=centre).exists()
        if present and not reset:
            self.stdout.write(
                f"The demo centre '{DEMO_CODE}' already exists: left unchanged "
                "(run with --reset to generate its dossiers again)."
            )
        else:
            if present:
                self._delete_dossiers(centre)
            ctx = generate_centre(DEMO_CODE, DEMO_NAME, clients=clients, seed=seed, demo=True)
            verb = "Rebuilt" if present else "Created"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} the demo centre '{DEMO_CODE}' ({DEMO_NAME}): "
                    f"{len(ctx.clients)} clients in {time.monotonic() - started:.1f} s."
                )
            )
        self._print_logins(url)

    @transaction.atomic
    def _delete_dossiers(self, centre):
        try:
            Client.objects.filter(centre=centre).delete()
        except ProtectedError as exc:
            raise CommandError(
                f"The demo dossiers cannot be deleted, other records protect them: {exc}"
            ) from exc

    def _print_logins(self, url):
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_ACCOUNTS, centre__code=DEMO_CODE)
        }
        self.stdout.write(f"\nOpen {url} and log in with password '{DEMO_PASSWORD}' as:\n")
        self.stdout.write(f"  {'username':<12} {'name':<18} role")
        for username in DEMO_ACCOUNTS:
            user = users.get(username)
            if user:
                roles = ", ".join(str(label) for label in user.role_labels)
                self.stdout.write(f"  {username:<12} {str(user):<18} {roles}")
