"""Demo data: the five Bruges collective modules (seed 003) with their real week schedules, a
year of editions like Bruges' (total cost €57,042 for about 90 distinct clients), and a running
Ta(a)lent edition with registers, plus an upcoming Uitstraling with a waiting list."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from opstap.clients.models import Client
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk
from opstap.network.models import Organisation

from .models import (
    AbsenceReason,
    Attendance,
    Edition,
    Enrolment,
    Module,
    PlanStep,
    Session,
)
from .schedule import BRUGES_SCHEDULES, plan_sessions
from .services import write_schedule

PARTNERS = {
    "VORMINGPLUS": "vzw Vormingplus",
    "VOKANS": "vzw Vokans",
    "GROEP-INTRO": "Groep INTRO vzw",
}
GOAL_NL = (
    "Sociaal activeren naar een grotere zelfredzaamheid en zelfstandigheid; een actievere "
    "deelname aan de maatschappij; zicht krijgen op de eigen kwaliteiten en talenten."
)
GOAL_FR = (
    "Activation sociale vers plus d'autonomie; une participation plus active à la société; "
    "découvrir ses propres qualités et talents."
)
GOAL_EN = (
    "Social activation towards more self-reliance; taking a more active part in society; "
    "discovering one's own qualities and talents."
)
# ref: (name, criteria, target group in words, method, partner ref)
MODULES = {
    "UITSTRALING": (
        "Uitstraling",
        {"target_gender": "F", "age_min": 18},
        "Meerderjarige dames met beperkt zicht op hun eigen kwaliteiten, talenten en "
        "vaardigheden; moeilijke oriëntatie naar de arbeidsmarkt.",
        "Vorming in groep door middel van educatieve workshops.",
        "VORMINGPLUS",
    ),
    "BOOST": (
        "Boost",
        {"target_gender": "M", "age_min": 18},
        "Meerderjarige mannen met beperkt zicht op hun eigen kwaliteiten, talenten en "
        "vaardigheden.",
        "Vorming in groep door middel van educatieve workshops; sinds 2017 inspringtheater.",
        "VOKANS",
    ),
    "ZINDERING": (
        "Zinderin(g)",
        {"target_gender": "F", "age_min": 18},
        "Meerderjarige dames met een zeer beperkt sociaal netwerk.",
        "Workshops met nadruk op ontmoeting, groepsvormende, educatieve en creatieve activiteiten.",
        "VORMINGPLUS",
    ),
    "SWITCH": (
        "Switch",
        {"age_min": 18, "age_max": 25},
        "Jongeren tussen 18 en 25 jaar; groepen van 8 à 10.",
        "Collectieve modules (huisvesting, opleiding, werk zoeken, sociale zekerheid, "
        "solliciteren, budgetteren) en individuele begeleiding; eindigt met een individueel "
        "stappenplan.",
        "GROEP-INTRO",
    ),
    "TAALENT": (
        "Ta(a)lent",
        {"age_min": 18, "non_native_only": True, "dutch_level_max": "B1"},
        "Anderstalige cliënten die door hun beperktere taalkennis moeilijk georiënteerd raken "
        "op de arbeidsmarkt.",
        "Vorming in groep, aangevuld met individuele begeleiding en een stageperiode.",
        "GROEP-INTRO",
    ),
}
SCHEDULE_KEY = {
    "UITSTRALING": "uitstraling",
    "BOOST": "boost",
    "ZINDERING": "zindering",
    "SWITCH": "switch",
    "TAALENT": "taalent",
}
# Last year's editions: (module, start month, participants, completed, cost). 57,042 in all.
LAST_YEAR = [
    ("ZINDERING", 1, 16, 13, Decimal("9842.00")),
    ("TAALENT", 2, 13, 8, Decimal("9000.00")),
    ("SWITCH", 2, 10, 8, Decimal("5400.00")),
    ("BOOST", 4, 8, 5, Decimal("6500.00")),
    ("SWITCH", 5, 10, 7, Decimal("5400.00")),
    ("TAALENT", 9, 12, 9, Decimal("9000.00")),
    ("UITSTRALING", 9, 9, 9, Decimal("6500.00")),
    ("SWITCH", 9, 10, 8, Decimal("5400.00")),
]
CAPACITY = {"ZINDERING": 16, "TAALENT": 14, "SWITCH": 10, "BOOST": 10, "UITSTRALING": 10}
DROP_REASONS = [
    "Werk gevonden",
    "Gezondheidsproblemen",
    "Verhuisd",
    "Opleiding gestart",
    "Kinderopvang niet geregeld",
    "Niet meer komen opdagen",
]
STEPS = [
    ("Inschrijven bij VDAB als werkzoekende", "client"),
    ("Oriënterend gesprek bij een opleidingscentrum", "client"),
    ("Cv afwerken met de trajectbegeleider", "centre"),
    ("Taalles Nederlands volgen (volgende module)", "client"),
    ("Kennismakingsstage bij een werkgever", "partner"),
    ("Budgetplan opmaken met de maatschappelijk werker", "centre"),
]
REASONS = [r.value for r in AbsenceReason]


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _eligible(module: Module, client: Client, day: datetime.date) -> bool:
    age = client.age_on(day)
    if module.age_min and age < module.age_min or module.age_max and age > module.age_max:
        return False
    if module.target_gender and client.gender != module.target_gender:
        return False
    if module.non_native_only and client.language == "nl":
        return False
    return not (module.dutch_level_max and client.dutch_level in ("B2", "C1", "C2"))


def _modules(centre, ctx: Context) -> dict[str, Module]:
    have = {o.ref: o for o in Organisation.objects.filter(centre=centre, ref__in=PARTNERS)}
    bulk.create(
        Organisation,
        [
            Organisation(centre=centre, ref=ref, name=name, sector="social")
            for ref, name in PARTNERS.items()
            if ref not in have
        ],
    )
    partners = {o.ref: o for o in Organisation.objects.filter(centre=centre, ref__in=PARTNERS)}
    modules = {}
    steering = (ctx.workers.get("counsellor") or [])[:2]
    for ref, (name, criteria, target, method, partner) in MODULES.items():
        module, _created = Module.objects.update_or_create(
            centre=centre,
            ref=ref,
            defaults={
                "name_nl": name,
                "name_fr": name,
                "name_en": name,
                "goal_nl": GOAL_NL,
                "goal_fr": GOAL_FR,
                "goal_en": GOAL_EN,
                "target_group": target,
                "method": method,
                "steering_group": "OCMW Brugge, dienst trajectbegeleiding; "
                + partners[partner].name,
                **criteria,
            },
        )
        module.partners.set([partners[partner]])
        module.steering_members.set(steering)
        modules[ref] = module
    return modules


def _edition(centre, module, ref, start, capacity, cost) -> tuple[Edition, list[Session]]:
    specs = BRUGES_SCHEDULES[SCHEDULE_KEY[module.ref]]
    planned = plan_sessions(start, specs)
    edition = Edition.objects.create(
        centre=centre,
        module=module,
        ref=ref,
        start_date=start,
        end_date=planned[-1].date,
        capacity=capacity,
        cost_eur=cost,
        location="Dienst trajectbegeleiding, Brugge",
    )
    _phases, sessions = write_schedule(edition, specs, create=bulk.create)
    return edition, sessions


def _attendance(rng, session, enrolment, worker) -> Attendance:
    roll = rng.random()
    status = "present" if roll < 0.84 else "excused" if roll < 0.95 else "unexcused"
    return Attendance(
        session=session,
        enrolment=enrolment,
        status=status,
        reason=rng.choice(REASONS) if status == "excused" else "",
        recorded_by=worker,
    )


@register_step(order=200)
def collective_modules(centre, rng: random.Random, clients, ctx: Context) -> None:
    """Bruges' five modules, last year's editions and this year's running ones."""
    modules = _modules(centre, ctx)
    Edition.objects.filter(module__in=modules.values()).delete()
    today = ctx.today
    workers = ctx.workers.get("counsellor") or ctx.workers.get("social_worker") or [None]
    used: set[int] = set()
    enrolments, attendance, steps = [], [], []

    def pick(module, day, n):
        pool = [c for c in clients if c.pk not in used and _eligible(module, c, day)]
        chosen = rng.sample(pool, min(n, len(pool)))
        used.update(c.pk for c in chosen)
        return chosen

    year = today.year - 1
    for index, (ref, month, n, completed, cost) in enumerate(LAST_YEAR):
        module = modules[ref]
        start = _monday_on_or_after(datetime.date(year, month, 3))
        edition, sessions = _edition(
            centre, module, f"{ref}-{year}-{index + 1}", start, CAPACITY[ref], cost
        )
        edition.evaluation = "Positief verloop; goede groepscohesie. Meerwaarde voor de groep."
        edition.save(update_fields=["evaluation"])
        for rank, client in enumerate(pick(module, start, n)):
            worker = rng.choice(workers)
            enrolled_on = start - datetime.timedelta(days=rng.randint(5, 30))
            finished = rank < completed
            left_on = (
                edition.end_date if finished else sessions[rng.randint(2, len(sessions) - 3)].date
            )
            enrolment = Enrolment(
                edition=edition,
                client=client,
                proposed_by=worker,
                proposed_on=enrolled_on,
                enrolled_on=enrolled_on,
                status="completed" if finished else "dropped",
                left_on=left_on,
                reason="" if finished else rng.choice(DROP_REASONS),
            )
            enrolments.append(enrolment)
            if finished and ref in ("SWITCH", "TAALENT"):
                for text, owner in rng.sample(STEPS, 3):
                    steps.append((enrolment, text, owner, edition.end_date))
            attendance += [
                (s, enrolment, worker) for s in sessions if s.date <= min(left_on, today)
            ]
    # This year: a running Ta(a)lent (started five weeks ago) and an upcoming, full Uitstraling.
    running, sessions = _edition(
        centre,
        modules["TAALENT"],
        f"TAALENT-{today.year}-1",
        _monday_on_or_after(today - datetime.timedelta(days=38)),
        12,
        Decimal("9000.00"),
    )
    for client in pick(modules["TAALENT"], running.start_date, 11):
        worker = rng.choice(workers)
        enrolment = Enrolment(
            edition=running,
            client=client,
            proposed_by=worker,
            status="enrolled",
            proposed_on=running.start_date - datetime.timedelta(days=10),
            enrolled_on=running.start_date - datetime.timedelta(days=10),
        )
        enrolments.append(enrolment)
        attendance += [(s, enrolment, worker) for s in sessions if s.date < today]
    upcoming, _sessions = _edition(
        centre,
        modules["UITSTRALING"],
        f"UITSTRALING-{today.year}-1",
        _monday_on_or_after(today + datetime.timedelta(days=21)),
        8,
        Decimal("6500.00"),
    )
    for rank, client in enumerate(pick(modules["UITSTRALING"], upcoming.start_date, 10)):
        proposed_on = today - datetime.timedelta(days=20 - rank)
        enrolments.append(
            Enrolment(
                edition=upcoming,
                client=client,
                proposed_by=rng.choice(workers),
                proposed_on=proposed_on,
                status="enrolled" if rank < 8 else "waiting",
                enrolled_on=proposed_on if rank < 8 else None,
            )
        )
    bulk.create(Enrolment, enrolments, batch_size=1000)
    bulk.create(Attendance, (_attendance(rng, s, e, w) for s, e, w in attendance), batch_size=2000)
    bulk.create(
        PlanStep,
        [
            PlanStep(enrolment=e, text=t, owner=o, due_date=d + datetime.timedelta(days=60))
            for e, t, o, d in steps
        ],
    )
