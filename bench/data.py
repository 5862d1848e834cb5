"""The benchmark's data: generated centres, the workers who log in, export and import timing."""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

# Large centre, small centre (1% of the large one), and the others in between.
LARGE, SMALL = "bench-large", "bench-small"
LARGEST = 20_000  # a city centre; a national run has one of these and many smaller ones


@dataclass
class CentreWorld:
    """One centre and the generated workers the benchmark logs in as."""

    centre: object
    clients: int
    social: str = ""
    head: str = ""
    management: str = ""
    partner: str = ""
    dossiers: list[int] = field(default_factory=list)  # the social worker's active clients
    timeline: int | None = None  # the one with the longest history among them
    search: str = ""
    team_last_page: int = 1  # the last page of the head's team caseload
    # (username, client pks) of social workers for the concurrent run.
    crowd: list[tuple[str, list[int]]] = field(default_factory=list)


@dataclass
class World:
    large: CentreWorld
    small: CentreWorld
    total_clients: int

    def describe(self) -> dict:
        return {
            w.centre.code: {"clients": w.clients, "social_worker": w.social, "head": w.head}
            for w in (self.large, self.small)
        }


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def analyze() -> None:
    """Refresh the planner's statistics and clear dead rows, as autovacuum would in time.

    Without statistics PostgreSQL guesses a few dozen clients per centre and picks plans that
    scan the whole centre (measured: start page p50 144 ms instead of a few dozen). The dead
    rows are those of an earlier run's import, which is rolled back: left in place they made
    each run slower than the last (the start page's SQL 15 -> 24 ms over six runs).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def forget_kept_figures() -> None:
    """Start every run as the first of the day: the figures an earlier run kept in the
    database for every process (opstap.core.stored) would otherwise be read, not counted."""
    from opstap.core.stored import forget_old

    forget_old(datetime.date.today() + datetime.timedelta(days=1))


def sizes(total: int, centres: int | None = None) -> dict[str, int]:
    """The centres of a run of `total` clients.

    Up to 25,000 clients: four centres, the large one with 80%. Beyond: as a national run —
    a city centre of 20,000, a small one at 1% of it, and the rest in centres of ~4,800
    (250,000 clients: 50 centres). BENCH_CENTRES overrides the number of centres.
    """
    large = min(LARGEST, round(total * 0.8))
    small = max(30, round(large / 100))
    rest = max(0, total - large - small)
    if centres is None:
        centres = 4 if total <= 25_000 else 2 + max(2, round(rest / 4_800))
    others = max(1, centres - 2)
    wanted = {LARGE: large, SMALL: small}
    for i in range(others):
        wanted[f"bench-mid{i + 1}"] = rest // others + (1 if i < rest % others else 0)
    return wanted


def ensure(total: int, *, password: str, smoke: bool) -> tuple[World, dict]:
    """Generate the centres that are missing (with the workers' password); time the generator."""
    from opstap.clients.models import Client
    from opstap.core.models import Centre
    from opstap.demo.bulk import CentrePlan, generate_centres

    centres = os.environ.get("BENCH_CENTRES")
    wanted = sizes(total, int(centres) if centres else None)
    plans = []
    for n, (code, count) in enumerate(wanted.items(), start=1):
        if count <= 0:
            continue
        existing = Client.objects.filter(centre__code=code).count()
        if existing:
            if abs(existing - count) > count * 0.05:
                print(f"  {code} holds {existing} clients (not {count}); kept as it is.")
            continue
        name = f"OCMW Benchstad {code.removeprefix('bench-')}"
        plans.append(CentrePlan(code, name, count, 100 + n))
    generated, started = 0, time.monotonic()
    if plans:
        print(
            f"  generating {len(plans)} centres, {sum(p.clients for p in plans)} clients "
            "over 5 years …",
            flush=True,
        )
    for done in generate_centres(plans, years=5, password=password):
        generated += done.clients
        print(f"  {done.code}: {done.clients} clients in {done.seconds:.1f} s", flush=True)
    seconds = time.monotonic() - started if plans else 0.0
    _set_password(password)
    world = World(
        large=_centre_world(Centre.objects.get(code=LARGE)),
        small=_centre_world(Centre.objects.get(code=SMALL)),
        total_clients=Client.objects.filter(centre__code__in=list(wanted)).count(),
    )
    generation = {
        "clients": generated,
        "seconds": round(seconds, 1),
        "clients_per_s": round(generated / seconds, 1) if seconds else None,
    }
    return world, generation


def _set_password(password: str) -> None:
    """Data generated earlier may carry another password (or none): give it the bench's."""
    from django.contrib.auth.hashers import check_password, make_password

    from opstap.accounts.models import User

    users = User.objects.filter(centre__code__startswith="bench-")
    sample = users.first()
    if sample is not None and not check_password(password, sample.password):
        users.update(password=make_password(password))


def _role(centre, role: str):
    from opstap.accounts.models import User

    return User.objects.filter(centre=centre, roles__contains=f",{role},", is_active=True)


def _centre_world(centre) -> CentreWorld:
    from opstap.accounts.roles import Role
    from opstap.clients.models import CareTeamMember, Client

    today = datetime.date.today()
    active = Q(care_memberships__start_date__lte=today) & (
        Q(care_memberships__end_date__isnull=True) | Q(care_memberships__end_date__gte=today)
    )
    socials = list(
        _role(centre, Role.SOCIAL_WORKER)
        .annotate(load=Count("care_memberships", filter=active))
        .order_by("-load", "pk")
    )
    world = CentreWorld(centre=centre, clients=Client.objects.filter(centre=centre).count())
    # The busiest social worker: the heaviest caseload is the one to watch.
    world.social = socials[0].username
    world.dossiers = _caseload(socials[0], today)
    world.timeline = (
        Client.objects.filter(pk__in=world.dossiers)
        .annotate(n=Count("journal", distinct=True) + Count("appointments", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    member = CareTeamMember.objects.filter(user=socials[0]).select_related("user").first()
    head = _role(centre, Role.HEAD).filter(teams__in=socials[0].teams.all()).first()
    world.head = head.username if head else ""
    if head:
        from opstap.clients.selectors import CASELOAD_PAGE, client_queryset_for

        world.team_last_page = max(1, -(-client_queryset_for(head).count() // CASELOAD_PAGE))
    world.management = _role(centre, Role.MANAGEMENT).first().username
    partner = _role(centre, Role.PARTNER).first()
    world.partner = partner.username if partner else ""
    # What a head types to find someone: the surname of a client of the team.
    world.search = Client.objects.get(pk=member.client_id).last_name if member else "a"
    world.crowd = [(u.username, _caseload(u, today)) for u in socials[:8]]
    return world


def _caseload(user, today) -> list[int]:
    from opstap.clients.models import CareTeamMember

    members = CareTeamMember.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), user=user, start_date__lte=today
    )
    return sorted(set(members.values_list("client_id", flat=True)))[:50]


def exchange(centre) -> tuple[float, float, int]:
    """export_data of the centre, then import_data of it into a new centre (rolled back)."""
    from opstap.core.services import centre_create
    from opstap.interchange.engine import export_files, import_files

    started = time.perf_counter()
    files = export_files(centre=centre)
    export_seconds = time.perf_counter() - started
    rows = sum(max(0, content.count(b"\n") - 1) for content in files.values())
    import_seconds = 0.0
    with transaction.atomic():
        target = centre_create(code="bench-import", name="Bench import")
        started = time.perf_counter()
        result = import_files(files=files, centre=target)
        import_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    if result.errors:
        print(f"  import reported {len(result.errors)} errors, e.g. {result.errors[0]}")
    return (
        round(rows / export_seconds) if export_seconds else 0,
        round(rows / import_seconds) if import_seconds and not result.errors else 0,
        rows,
    )
