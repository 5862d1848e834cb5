"""A realistic synthetic centre: offices, teams, workers and clients with plausible histories.

Everything is made up (Faker names, valid but invented INSZ numbers) and deterministic for a
given seed and day. The same generator serves `load_demo` (one small centre with the demo
accounts) and `generate_data` (several large centres for the benchmark).

Generated data bypasses the services on purpose: it is bulk-inserted for speed and writes no
audit entries, since nobody acted on it.

Capabilities add their own data with a step::

    from opstap.demo.generator import register_step

    @register_step(order=200)
    def placements(centre, rng, clients, ctx):
        ...  # bulk_create rows for `clients`; ctx has the workers, teams, dates, ...

Put steps in `opstap/<app>/demo_data.py` (discovered automatically) or register them in the
app's ready(). Each step gets its own random generator, seeded by the seed, the centre and the
step's name, so adding a step never changes what the other steps produce.
"""

from __future__ import annotations

import datetime
import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from opstap.accounts.models import User
from opstap.accounts.roles import Role
from opstap.clients.models import (
    Appointment,
    CareRole,
    CareTeamMember,
    Client,
    IncomeRight,
    JournalNote,
    RightKind,
)
from opstap.clients.validators import make_insz
from opstap.core.models import Centre, Office, Team
from opstap.core.services import centre_create
from opstap.interchange import bulk

from . import texts

DEMO_PASSWORD = "demo-opstap"

# Home languages of the clients, with their share of a Flemish city's caseload.
LANGUAGES = {
    "nl": 40,
    "ar": 15,
    "fr": 10,
    "ti": 8,
    "ro": 6,
    "ps": 6,
    "ru": 5,
    "so": 5,
    "en": 5,
}
# Dutch level by home language: (levels, weights). Native speakers are C2.
DUTCH_LEVELS = {
    "nl": (["C2"], [1]),
    "fr": (["A1", "A2", "B1", "B2", "C1"], [1, 2, 3, 2, 1]),
    "en": (["A0", "A1", "A2", "B1", "B2"], [1, 3, 3, 2, 1]),
    "ru": (["A0", "A1", "A2", "B1", "B2"], [1, 3, 3, 2, 1]),
    "ro": (["A0", "A1", "A2", "B1", "B2"], [1, 3, 3, 2, 1]),
}
DUTCH_LEVELS_NEWCOMER = (["A0", "A1", "A2", "B1"], [3, 4, 2, 1])
HOUSEHOLDS = (
    ["single", "single_with_children", "couple", "couple_with_children", "other"],
    [45, 22, 8, 18, 7],
)

# The demo accounts, one per role: username -> (first, last, role, job title).
DEMO_ACCOUNTS = {
    "social": ("Sara", "Claeys", Role.SOCIAL_WORKER, "Maatschappelijk werker"),
    "counsellor": ("Tom", "Verhoeven", Role.COUNSELLOR, "Trajectbegeleider"),
    "activation": ("Lien", "Wouters", Role.ACTIVATION, "Medewerker sociale activering"),
    "head": ("Koen", "De Backer", Role.HEAD, "Diensthoofd"),
    "management": ("Anne", "Dubois", Role.MANAGEMENT, "Directeur sociale dienst"),
    "admin": ("Pieter", "Goossens", Role.ADMIN, "Functioneel beheerder"),
    "partner": ("Marc", "Lambrecht", Role.PARTNER, "Aanspreekpunt vzw Het Atelier"),
}


@dataclass
class Context:
    """What the steps share: the centre's structure and each client's history so far."""

    centre: Centre
    seed: int
    today: datetime.date
    years: int
    demo: bool
    offices: list[Office] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)  # neighbourhood teams; teams[0] is team 1
    activation_team: Team | None = None
    # Role key (a Role value, or "language_coach") -> workers, demo account first.
    workers: dict[str, list[User]] = field(default_factory=dict)
    clients: list[Client] = field(default_factory=list)
    first_right: dict[int, datetime.date] = field(default_factory=dict)  # client pk -> start
    active_right: dict[int, bool] = field(default_factory=dict)  # client pk -> right today
    care: dict[int, list[CareTeamMember]] = field(default_factory=dict)  # client pk -> members
    team_of_office: dict[int, Team] = field(default_factory=dict)

    def rng_for(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.centre.code}:{name}")

    def social_workers_of(self, team: Team) -> list[User]:
        return [u for u in self.workers[Role.SOCIAL_WORKER] if u._demo_team == team]

    def aware(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


Step = Callable[[Centre, random.Random, list[Client], Context], None]
_steps: dict[str, tuple[int, Step]] = {}


def register_step(fn: Step | None = None, *, order: int = 100):
    """Add a step, called as fn(centre, rng, clients, ctx) after the dossiers exist.

    Usable bare (`@register_step`) or with an order (`@register_step(order=150)`); lower
    orders run first, the dossier's own steps use 10–40. Registering the same function again
    replaces it, so re-imports are harmless.
    """

    def decorator(step: Step) -> Step:
        _steps[f"{step.__module__}.{step.__qualname__}"] = (order, step)
        return step

    return decorator(fn) if fn is not None else decorator


def registered_steps() -> list[tuple[str, Step]]:
    autodiscover_modules("demo_data")
    ordered = sorted(_steps.items(), key=lambda item: (item[1][0], item[0]))
    return [(name, step) for name, (_, step) in ordered]


# --- names ------------------------------------------------------------------------------


class NamePool:
    """Invented names per home language: Faker for nl/fr, combined short lists for others."""

    def __init__(self, seed: int):
        from faker import Faker

        self.pools = {}
        for lang, locale in (("nl", "nl_BE"), ("fr", "fr_BE")):
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.pools[lang] = (
                sorted({fake.first_name_female() for _ in range(120)}),
                sorted({fake.first_name_male() for _ in range(120)}),
                sorted({fake.last_name() for _ in range(200)}),
            )
        fake = Faker("nl_BE")
        fake.seed_instance(seed)
        self.streets = sorted({fake.street_name() for _ in range(120)})
        self.pools.update(texts.NAMES)

    def person(self, rng: random.Random, language: str, gender: str) -> tuple[str, str]:
        female, male, last = self.pools.get(language, self.pools["nl"])
        given = female if gender == "F" else male if gender == "M" else rng.choice([female, male])
        return rng.choice(given), rng.choice(last)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


# --- structure: offices, teams, workers -------------------------------------------------


def _ensure_structure(ctx: Context, n_offices: int) -> None:
    centre = ctx.centre
    for name in texts.OFFICE_NAMES[:n_offices]:
        office, _ = Office.objects.get_or_create(centre=centre, name=name)
        ctx.offices.append(office)
    for office in ctx.offices:
        team_name = "Team " + office.name.removeprefix("Wijkcentrum ")
        team, _ = Team.objects.get_or_create(
            centre=centre, name=team_name, defaults={"office": office}
        )
        ctx.teams.append(team)
        ctx.team_of_office[office.pk] = team
    ctx.activation_team, _ = Team.objects.get_or_create(centre=centre, name="Dienst Activering")


def _worker_plan(ctx: Context, n_clients: int) -> list[tuple[str, Team | None, str]]:
    """(role key, team, job title) for each worker to create, demo accounts first per role."""
    k = len(ctx.teams)
    n_social = 7 if ctx.demo else max(k, math.ceil(n_clients / 60))
    n_counsellor = 3 if ctx.demo else max(2, math.ceil(n_clients / 150))
    n_activation = 2 if ctx.demo else max(1, math.ceil(n_clients / 400))
    n_coach = 1 if ctx.demo else max(1, n_clients // 400)
    plan = [
        (Role.SOCIAL_WORKER, ctx.teams[i % k], "Maatschappelijk werker") for i in range(n_social)
    ]
    plan += [(Role.COUNSELLOR, ctx.activation_team, "Trajectbegeleider")] * n_counsellor
    plan += [("language_coach", ctx.activation_team, "Taalcoach")] * n_coach
    plan += [(Role.ACTIVATION, ctx.activation_team, "Medewerker sociale activering")] * n_activation
    plan += [(Role.HEAD, team, "Diensthoofd") for team in ctx.teams + [ctx.activation_team]]
    plan += [(Role.MANAGEMENT, None, "Beleidsmedewerker"), (Role.ADMIN, None, "Beheerder")]
    plan += [(Role.PARTNER, None, "Aanspreekpunt partnerorganisatie")]
    return plan


def _ensure_workers(ctx: Context, n_clients: int, names: NamePool, password: str | None) -> None:
    """Create the workers (reusing those already there, by username) and their teams."""
    rng = ctx.rng_for("workers")
    code = ctx.centre.code
    demo_by_role = {spec[2]: username for username, spec in DEMO_ACCOUNTS.items()}
    existing = {u.username: u for u in User.objects.filter(centre=ctx.centre)}
    worker_hash = make_password(password)  # one hash for all: hashing is slow on purpose
    demo_hash = make_password(DEMO_PASSWORD) if ctx.demo else None
    seen_demo: set[str] = set()
    taken: set[str] = set()
    planned: list[tuple[User, str, Team | None]] = []
    for role_key, team, job_title in _worker_plan(ctx, n_clients):
        demo_username = demo_by_role.get(role_key) if ctx.demo else None
        if demo_username and demo_username not in seen_demo:
            seen_demo.add(demo_username)
            first, last, _, job_title = DEMO_ACCOUNTS[demo_username]
            username, pw_hash, language = demo_username, demo_hash, "nl"
        else:
            # One in four generated social workers writes in French (a bilingual centre).
            language = "fr" if rng.random() < 0.25 and role_key == Role.SOCIAL_WORKER else "nl"
            first, last = names.person(rng, language, rng.choice("FM"))
            base = f"{_slug(first)}.{_slug(last)}@{code}"
            username, n = base, 2
            while username in taken:
                username, n = f"{_slug(first)}.{_slug(last)}{n}@{code}", n + 1
            pw_hash = worker_hash
        taken.add(username)
        user = existing.get(username) or User(
            username=username,
            first_name=first,
            last_name=last,
            centre=ctx.centre,
            language=language,
            job_title=job_title,
            password=pw_hash,
            email=f"{username.replace('@', '.')}@example.org",
        )
        user.set_roles([Role.COUNSELLOR if role_key == "language_coach" else role_key])
        user._demo_team = team
        planned.append((user, role_key, team))
    User.objects.bulk_create([u for u, _, _ in planned if u.pk is None])
    memberships = [
        User.teams.through(user_id=u.pk, team_id=team.pk) for u, _, team in planned if team
    ]
    User.teams.through.objects.bulk_create(memberships, ignore_conflicts=True)
    for user, role_key, _ in planned:
        ctx.workers.setdefault(role_key, []).append(user)


# --- clients ------------------------------------------------------------------------------


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    # Young adults are over-represented among leefloon clients.
    ages = [rng.randint(18, 25), rng.randint(26, 45), rng.randint(46, 64)]
    age = rng.choices(ages, [3, 5, 2])[0]
    return _years_later(today, -age - 1) + datetime.timedelta(days=rng.randint(1, 364))


def _create_clients(ctx: Context, n_clients: int, names: NamePool, used_insz: set[str]) -> None:
    rng = ctx.rng_for("clients")
    city = ctx.centre.name.removeprefix("OCMW ").removeprefix("CPAS ")
    # An office's caseload grows with its team's social workers, so caseloads stay even.
    office_weights = [len(ctx.social_workers_of(ctx.team_of_office[o.pk])) for o in ctx.offices]
    clients = []
    for i in range(n_clients):
        language = rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]
        gender = rng.choices(["F", "M", "X"], [52, 47, 1])[0]
        first, last = names.person(rng, language, gender)
        birth = _birth_date(rng, ctx.today)
        insz = _unique_insz(rng, birth, gender, used_insz)
        levels, weights = DUTCH_LEVELS.get(language, DUTCH_LEVELS_NEWCOMER)
        office = rng.choices(ctx.offices, office_weights)[0]
        slug = _slug(first)[:1] + _slug(last)
        clients.append(
            Client(
                centre=ctx.centre,
                ref=f"{i + 1:05d}",  # prefixed with the intake year by income_rights
                last_name=last,
                first_name=first,
                birth_date=birth,
                gender=gender,
                insz=insz,
                language=language,
                dutch_level=rng.choices(levels, weights)[0],
                household=rng.choices(*HOUSEHOLDS)[0],
                phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}"
                if rng.random() < 0.85
                else "",
                email=f"{slug}{rng.randint(1, 99)}@example.org" if rng.random() < 0.5 else "",
                address=f"{rng.choice(names.streets)} {rng.randint(1, 180)}, 9999 {city}",
                office=office,
            )
        )
    ctx.clients = bulk.create(Client, clients, batch_size=1000)


def _unique_insz(rng: random.Random, birth: datetime.date, gender: str, used: set[str]) -> str:
    # The sequence is odd for men and even for women, as in the national register.
    while True:
        sequence = rng.randint(1, 499) * 2 - (1 if gender == "M" else 0)
        if gender == "X":
            sequence = rng.randint(1, 998)
        insz = make_insz(birth, sequence)
        if insz not in used:
            used.add(insz)
            return insz


# --- the dossier's own steps ---------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    return day + datetime.timedelta(days=round(months * 30.44))


@register_step(order=10)
def income_rights(centre, rng, clients, ctx: Context) -> None:
    """Leefloon (80%) or equivalent (20%), successive and never overlapping, some ended."""
    rights, created = [], []
    for client in clients:
        newcomer = client.language not in ("nl", "fr")
        kind = RightKind.EQUIVALENT if rng.random() < (0.35 if newcomer else 0.05) else None
        kind = kind or RightKind.LEEFLOON
        adult = _years_later(client.birth_date, 18)
        start = ctx.today - datetime.timedelta(days=rng.randint(0, ctx.years * 365))
        start = min(max(start, adult), ctx.today)
        ctx.first_right[client.pk] = start
        created.append((client, start))
        active = False
        for _ in range(3):
            end = None
            if rng.random() < 0.3:
                end = _add_months(start, rng.randint(3, 30))
                if end >= ctx.today:
                    end = None
            # bulk_create below gives each right its client's centre.
            rights.append(IncomeRight(client=client, kind=kind, start_date=start, end_date=end))
            if end is None:
                active = True
                break
            start = _add_months(end, rng.randint(1, 12))
            if rng.random() < 0.5 or start >= ctx.today:
                break
            if kind == RightKind.EQUIVALENT and rng.random() < 0.3:
                kind = RightKind.LEEFLOON  # e.g. recognised as a refugee meanwhile
        ctx.active_right[client.pk] = active
    bulk.create(IncomeRight, rights, batch_size=1000)
    # The dossier was opened when the first right started; its number starts with that year.
    for client, start in created:
        client.created_at = ctx.aware(start, 9, 0)
        client.ref = f"{start.year}/{client.ref.rpartition('/')[2]}"
    bulk.update(Client, [c for c, _ in created], ["created_at", "ref"])


def _pick(rng: random.Random, users: list[User], favour_first: bool) -> User:
    weights = [3] + [1] * (len(users) - 1) if favour_first else [1] * len(users)
    return rng.choices(users, weights)[0]


@register_step(order=20)
def care_teams(centre, rng, clients, ctx: Context) -> None:
    """A reference worker of the client's office team for everyone; other carers for some."""
    members = []
    counsellors = ctx.workers[Role.COUNSELLOR]
    coaches = ctx.workers["language_coach"]
    activation = ctx.workers[Role.ACTIVATION]
    for client in clients:
        team = ctx.team_of_office[client.office_id]
        social = ctx.social_workers_of(team)
        start = ctx.first_right[client.pk]
        reference = _pick(rng, social, ctx.demo and team == ctx.teams[0])
        team_members = []
        if len(social) > 1 and (ctx.today - start).days > 400 and rng.random() < 0.15:
            # An earlier reference worker handed the dossier over.
            handover = start + datetime.timedelta(days=rng.randint(60, (ctx.today - start).days))
            previous = rng.choice([u for u in social if u != reference])
            team_members.append(
                CareTeamMember(
                    client=client,
                    user=previous,
                    role=CareRole.REFERENCE,
                    start_date=start,
                    end_date=handover - datetime.timedelta(days=1),
                )
            )
            start = handover
        team_members.append(
            CareTeamMember(client=client, user=reference, role=CareRole.REFERENCE, start_date=start)
        )
        first = ctx.first_right[client.pk]

        def later(first=first):
            return min(ctx.today, first + datetime.timedelta(days=rng.randint(20, 200)))

        counsellor = None
        if ctx.active_right[client.pk] and client.age_on(ctx.today) < 60 and rng.random() < 0.4:
            counsellor = _pick(rng, counsellors, ctx.demo)
            team_members.append(
                CareTeamMember(
                    client=client, user=counsellor, role=CareRole.COUNSELLOR, start_date=later()
                )
            )
        if client.dutch_level in ("A0", "A1", "A2") and rng.random() < 0.4:
            team_members.append(
                CareTeamMember(
                    client=client,
                    user=rng.choice(coaches),
                    role=CareRole.LANGUAGE_COACH,
                    start_date=later(),
                )
            )
        if ctx.active_right[client.pk] and rng.random() < 0.15:
            team_members.append(
                CareTeamMember(
                    client=client,
                    user=_pick(rng, activation, ctx.demo),
                    role=CareRole.ACTIVATION,
                    start_date=later(),
                )
            )
        active = [m for m in team_members if m.end_date is None]
        if len(active) >= 3 and rng.random() < 0.6:
            team_members.append(
                CareTeamMember(
                    client=client,
                    user=counsellor or reference,
                    role=CareRole.CASE_MANAGER,
                    start_date=max(m.start_date for m in active),
                )
            )
        ctx.care[client.pk] = team_members
        members += team_members
    bulk.create(CareTeamMember, members, batch_size=1000)


def _active_on(members: list[CareTeamMember], day: datetime.date) -> list[CareTeamMember]:
    return [m for m in members if m.start_date <= day and (m.end_date is None or day <= m.end_date)]


@register_step(order=30)
def journal_notes(centre, rng, clients, ctx: Context) -> None:
    """Case notes by the carers, in their language, from the intake to today; some restricted."""
    notes = []
    for client in clients:
        start = ctx.first_right[client.pk]
        span = (ctx.today - start).days
        count = 1 + min(10, rng.randint(0, 2 + span // 120))
        office = client.office.name if client.office else ""
        days = sorted({0} | {rng.randint(0, span) for _ in range(count - 1)})
        for n, offset in enumerate(days):
            day = start + datetime.timedelta(days=offset)
            carers = _active_on(ctx.care[client.pk], day) or ctx.care[client.pk][:1]
            refs = [m for m in carers if m.role == CareRole.REFERENCE]
            member = refs[0] if refs and (n == 0 or rng.random() < 0.65) else rng.choice(carers)
            french = member.user.language == "fr"
            restricted = n > 0 and rng.random() < 0.08
            if n == 0:
                subject, text = (texts.NOTES_FR if french else texts.NOTES_NL)[0]
            elif restricted:
                subject, text = rng.choice(
                    texts.NOTES_FR_RESTRICTED if french else texts.NOTES_NL_RESTRICTED
                )
            elif not french and member.role in texts.NOTES_BY_ROLE:
                subject, text = rng.choice(texts.NOTES_BY_ROLE[member.role])
            else:
                subject, text = rng.choice((texts.NOTES_FR if french else texts.NOTES_NL)[1:])
            notes.append(
                JournalNote(
                    client=client,
                    author=member.user,
                    occurred_on=day,
                    subject=subject,
                    text=text.format(name=client.first_name, office=office),
                    restricted=restricted,
                )
            )
    bulk.create(JournalNote, notes, batch_size=1000)


def _workday(rng: random.Random, day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@register_step(order=40)
def appointments(centre, rng, clients, ctx: Context) -> None:
    """Meetings in the last three months and in the next two weeks, on working days."""
    rows = []
    for client in clients:
        carers = _active_on(ctx.care[client.pk], ctx.today)
        if not carers:
            continue
        first = ctx.first_right[client.pk]
        offsets = [-rng.randint(1, 90) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        if rng.random() < 0.45:
            offsets.append(rng.randint(0, 13))
        for offset in offsets:
            day = _workday(rng, ctx.today + datetime.timedelta(days=offset))
            if day < first:
                continue
            member = carers[0] if rng.random() < 0.7 else rng.choice(carers)
            language = "fr" if member.user.language == "fr" else "nl"
            place = rng.choices(
                [client.office.name if client.office else "", "Huisbezoek", "Telefonisch"],
                [6, 2, 1],
            )[0]
            rows.append(
                Appointment(
                    client=client,
                    worker=member.user,
                    starts_at=ctx.aware(day, rng.randint(9, 15), rng.choice([0, 30])),
                    duration_minutes=rng.choice([30, 45, 45, 60]),
                    location=place,
                    subject=rng.choice(texts.APPOINTMENT_SUBJECTS[language]),
                    cancelled=offset < 0 and rng.random() < 0.1,
                )
            )
    bulk.create(Appointment, rows, batch_size=1000)


# --- entry point ------------------------------------------------------------------------------

# The largest centre of a national run: a city the size of Antwerp or Ghent.
LARGEST_CENTRE = 20_000


def centre_sizes(total: int, centres: int) -> list[int]:
    """How `total` clients spread over `centres`: one large city centre, the rest even.

    250,000 clients in 50 centres gives one centre of 20,000 and 49 of about 4,700.
    """
    if centres <= 1:
        return [total]
    large = max(-(-total // centres), min(LARGEST_CENTRE, round(total * 0.08)))
    rest, others = total - large, centres - 1
    return [large] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]


@transaction.atomic
def generate_centre(
    code: str,
    name: str,
    *,
    clients: int = 300,
    years: int = 5,
    seed: int = 1,
    today: datetime.date | None = None,
    demo: bool = False,
    offices: int | None = None,
    password: str | None = None,
    used_insz: set[str] | None = None,
) -> Context:
    """Create (or complete) the centre `code` and fill it with `clients` synthetic dossiers.

    `demo` makes the demo accounts (DEMO_ACCOUNTS, password DEMO_PASSWORD) part of the staff;
    other workers get `password`, or none they can log in with.
    """
    centre = Centre.objects.filter(code=code).first() or centre_create(code=code, name=name)
    ctx = Context(
        centre=centre, seed=seed, today=today or datetime.date.today(), years=years, demo=demo
    )
    n_offices = offices or (5 if demo else min(len(texts.OFFICE_NAMES), max(5, clients // 1000)))
    names = NamePool(seed)
    _ensure_structure(ctx, n_offices)
    _ensure_workers(ctx, clients, names, password)
    _create_clients(ctx, clients, names, used_insz if used_insz is not None else set())
    for step_name, step in registered_steps():
        step(centre, ctx.rng_for(step_name), ctx.clients, ctx)
    return ctx
