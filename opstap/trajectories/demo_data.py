"""Demo data: trajectories and the activation ladder, shaped after the centres in the seeds.

Every client's history is built per income right (an "episode"): a new request opens an
instap trajectory at the right's start; within weeks to months (about 90% within four months, as
in Ghent) an activation trajectory follows, and clients then move up (and sometimes down) the
ladder until the right ends. For clients with a right today the trajectory running now is drawn
from Ghent's spring 2012 mix (taal 27%, sociale activering 5%, activering 23%, extern 10%,
studie 10%, new requests 14%, welzijn 11%); the trajectories before it follow the ladder, so
over the years welzijn, taal and activering gather the most dossiers, as in Bruges.

The ladder positions are derived from the trajectories (the rung of each type), and the
trajectories are left on `ctx.trajectories` (client pk -> list) for the steps after this one.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from opstap.clients.models import CareRole, Client, IncomeRight
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk

from .catalogue import ensure_default_catalogue
from .models import LadderPosition, Rung, Trajectory, TrajectoryOutcome, TrajectoryType

DAY = datetime.timedelta(days=1)

# What a client with a right today is doing now (Ghent, 2012), before the profile adjusts it.
# "reintake": a new request after an earlier trajectory ended; "none": no trajectory running.
CURRENT_MIX = {
    "taal": 27,
    "sociale_activering": 5,
    "activering": 26,
    "extern": 10,
    "studie": 10,
    "welzijn": 11,
    "werk": 2,
    "reintake": 11,
    "none": 5,
}
# Typical length in days of each kind of trajectory (shortest, longest).
DURATION = {
    "welzijn": (90, 540),
    "taal": (150, 720),
    "sociale_activering": (120, 540),
    "activering": (120, 450),
    "extern": (120, 365),
    "studie": (270, 1095),
    "werk": (90, 365),
}
# The trajectories a client may have walked before the one running now, in the order walked:
# (type, probability, only for clients who still learn Dutch).
BEFORE = {
    "taal": [("welzijn", 0.35, False)],
    "sociale_activering": [("welzijn", 0.45, False), ("taal", 0.5, True)],
    "activering": [
        ("welzijn", 0.3, False),
        ("taal", 0.6, True),
        ("sociale_activering", 0.12, False),
    ],
    "extern": [("welzijn", 0.25, False), ("taal", 0.45, True), ("activering", 0.3, False)],
    "welzijn": [("activering", 0.2, False), ("taal", 0.15, True)],
    "studie": [("taal", 0.35, True)],
    "werk": [("taal", 0.3, True), ("activering", 1.0, False)],
}
# How a right that ended closed the trajectory that ran then.
RIGHT_END_OUTCOMES = (["work", "ended_right", "moved", "training", "dropout"], [35, 33, 14, 8, 10])

NOTES = {
    "instap": [
        "Nieuwe aanvraag leefloon: kennismaking, rechten en plichten toegelicht.",
        "Instapgesprek: documenten verzameld, verwachtingen besproken.",
        "Aanvraag na verhuis naar de stad; eerste afspraken gemaakt.",
        "Nieuwe aanvraag na einde werkloosheidsuitkering.",
    ],
    "welzijn": [
        "Eerst stabiliseren: huisvesting en schulden aanpakken.",
        "Psychologische ondersteuning via het CGG.",
        "Budgetbegeleiding en opvolging van de afbetalingsplannen.",
        "Begeleiding door het CAW; woonbegeleiding.",
        "Herstel na ziekte; medische opvolging door de huisarts.",
    ],
    "taal": [
        "NT2 richtgraad 1 bij het CVO, vier halve dagen per week.",
        "NT2 richtgraad 2 via het Huis van het Nederlands.",
        "Taalcoaching en oefenen in een conversatietafel.",
        "Alfabetisering NT2 bij het CBE.",
    ],
    "sociale_activering": [
        "Vrijwilligerswerk in het sociaal restaurant, twee halve dagen per week.",
        "Arbeidszorg in het atelier van de partner, opbouw van de uren.",
        "Vrijwilligerswerk in de kringloopwinkel.",
    ],
    "activering": [
        "Werkervaring via artikel 60 §7 in de eigen diensten.",
        "Screening en oriëntatie met de jobcoach.",
        "Sollicitatietraining en opvolging van vacatures.",
        "Artikel 60 bij een partner in de groenzorg.",
    ],
    "extern": [
        "Trajectbegeleiding door VDAB, opvolging per maand.",
        "Begeleiding door GTB.",
        "Opleiding via een partner (heftruckchauffeur).",
    ],
    "studie": [
        "Voltijds studeren met een GPMI student; examens in juni.",
        "Bachelor verpleegkunde; vakantiejob in de zomer.",
        "Secundair onderwijs afwerken in het volwassenenonderwijs.",
    ],
    "werk": [
        "Deeltijds werk met aanvullend leefloon; nazorg door de jobcoach.",
        "Nazorg na aanwerving na artikel 60.",
    ],
}
SETBACKS = [
    "gezondheidsproblemen",
    "psychische problemen",
    "een crisis in het gezin",
    "het verlies van de woning",
    "schulden die eerst aangepakt moeten worden",
]
REASONS = {
    ("zorg", "first"): [
        "Na de instap: eerst hulpverlening en stabiliseren.",
        "Eerst de woon- en gezinssituatie op orde brengen.",
    ],
    ("zorg", "down"): ["Stap terug door {setback}; eerst hulpverlening."],
    ("taal", "first"): [
        "Nederlands leren is de eerste stap.",
        "Start taaltraject: taal is nu de grootste drempel.",
    ],
    ("taal", "up"): ["Stabieler nu; start met Nederlands leren."],
    ("taal", "down"): ["Stap terug naar taal: het Nederlands volstaat nog niet voor werk."],
    ("sociaal", "first"): ["Start met vrijwilligerswerk om ritme op te bouwen."],
    ("sociaal", "up"): [
        "Klaar voor een zinvolle dagbesteding: vrijwilligerswerk.",
        "Taalniveau volstaat voor vrijwilligerswerk; start sociale activering.",
    ],
    ("sociaal", "down"): ["Werk is nog te zwaar door {setback}; terug naar sociale activering."],
    ("arbeid", "first"): ["Meteen werkgericht: start activeringstraject."],
    ("arbeid", "up"): [
        "Stap naar werk: start activeringstraject.",
        "Goede evaluatie; doorstroom naar arbeidsactivering.",
        "Taaltraject afgerond; nu werkgericht aan de slag.",
    ],
    ("arbeid", "down"): ["Job verloren; opnieuw arbeidsactivering."],
    ("werk", "up"): [
        "Aan het werk; nazorg loopt.",
        "Contract na artikel 60; opvolging door de jobcoach.",
    ],
    ("werk", "first"): ["Aan het werk; nazorg loopt."],
}
# Who is responsible for a trajectory of each type, by care role, most fitting first.
RESPONSIBLE = {
    "taal": [CareRole.LANGUAGE_COACH, CareRole.COUNSELLOR],
    "sociale_activering": [CareRole.ACTIVATION, CareRole.COUNSELLOR],
    "activering": [CareRole.COUNSELLOR],
    "extern": [CareRole.COUNSELLOR],
    "werk": [CareRole.COUNSELLOR],
}


@dataclass
class Planned:
    type: str
    start: datetime.date
    end: datetime.date | None = None
    outcome: str | None = None
    note: str = ""


@dataclass
class Profile:
    learns_dutch: bool  # Dutch below B1: a language trajectory is likely
    native: bool
    age: int


def _profile(client: Client, today: datetime.date) -> Profile:
    return Profile(
        learns_dutch=client.dutch_level in ("A0", "A1", "A2"),
        native=client.dutch_level in ("C1", "C2"),
        age=client.age_on(today),
    )


def _weights(profile: Profile, mix: dict[str, int]) -> dict[str, float]:
    """The mix adjusted to the person: language for newcomers, studies for the young."""
    factor = dict.fromkeys(mix, 1.0)
    if profile.learns_dutch:
        factor.update(taal=2.6, activering=0.35, extern=0.4, werk=0.3)
    elif profile.native:
        factor.update(taal=0.0, activering=1.45, extern=1.4)
    else:
        factor.update(taal=0.7)
    if profile.age <= 25:
        factor["studie"] = 3.6
    elif profile.age >= 50:
        factor.update(studie=0.0, welzijn=2.0, sociale_activering=2.0, activering=0.7)
    else:
        factor["studie"] = 0.1
    return {code: weight * factor[code] for code, weight in mix.items()}


def _choose(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _first_type(rng: random.Random, profile: Profile) -> str:
    mix = {code: CURRENT_MIX[code] for code in DURATION if code != "werk"}
    return _choose(rng, _weights(profile, mix))


def _duration(rng: random.Random, code: str) -> int:
    low, high = DURATION[code]
    return rng.randint(low, high)


def _activation_delay(rng: random.Random) -> int:
    """Days from the start of a right to the first activation trajectory (Ghent: 90% < 4 m)."""
    band = rng.choices([(7, 45), (46, 115), (125, 300)], [50, 40, 10])[0]
    return rng.randint(*band)


def _note(rng: random.Random, code: str) -> str:
    return rng.choice(NOTES[code]) if rng.random() < 0.75 else ""


def _level(code: str, types: dict[str, TrajectoryType]) -> int:
    rung = types[code].rung if code in types else None
    return Rung.level(rung) if rung else 0


def _close(prev: Planned, nxt: str, types, rng) -> None:
    """The outcome of a trajectory followed by another: down the ladder often means dropout."""
    if _level(nxt, types) < _level(prev.type, types) and rng.random() < 0.6:
        prev.outcome = "dropout"
    elif prev.type == "taal" and rng.random() < 0.25:
        prev.outcome = "training"
    else:
        prev.outcome = "other_trajectory"


def _lay_out(rng, path: list[str], last_start: datetime.date, types) -> list[Planned]:
    """Place `path` backwards from the start of its last item; the earlier ones each end
    a few days before the next starts."""
    placed = [Planned(path[-1], last_start)]
    for code in reversed(path[:-1]):
        end = placed[0].start - DAY * rng.randint(0, 21)
        item = Planned(code, end - DAY * _duration(rng, code), end)
        _close(item, placed[0].type, types, rng)
        placed.insert(0, item)
    return placed


def _from(rng, placed: list[Planned], begin: datetime.date, profile, types) -> list[Planned]:
    """The placed trajectories from `begin` on: what starts earlier is cut, a long gap after
    `begin` is filled with an earlier trajectory, and the first one starts at `begin`."""
    placed = [p for p in placed if p.end is None or (p.end - begin).days >= 30]
    for _ in range(4):
        if (placed[0].start - begin).days < 45:
            break
        code = _first_type(rng, profile)
        if code == placed[0].type:
            code = "welzijn" if code != "welzijn" else "taal"
        end = placed[0].start - DAY * rng.randint(0, 21)
        item = Planned(code, max(begin, end - DAY * _duration(rng, code)), end)
        _close(item, placed[0].type, types, rng)
        placed.insert(0, item)
    placed[0].start = begin
    return placed


def _path_to(rng: random.Random, final: str, profile: Profile) -> list[str]:
    path = [
        code
        for code, chance, only_learners in BEFORE.get(final, [])
        if (profile.learns_dutch or not only_learners) and rng.random() < chance
    ]
    if final == "werk" and "activering" in path and rng.random() < 0.3:
        path[path.index("activering")] = "extern"
    return [*path, final]


def _current_episode(rng, profile, begin: datetime.date, today, types) -> list[Planned]:
    """The trajectories since the first activation of the running right, up to today."""
    final = _choose(rng, _weights(profile, CURRENT_MIX))
    window = (today - begin).days
    if final == "reintake" and window < 120:
        final = _first_type(rng, profile)
    if final == "none":
        if rng.random() < 0.3:
            return []  # e.g. exempted for health reasons: nothing after the intake
        first = _first_type(rng, profile)
        end = min(today - DAY * rng.randint(14, 120), begin + DAY * _duration(rng, first))
        return [Planned(first, begin, max(begin, end), rng.choice(["dropout", "other"]))]
    if final == "reintake":
        # A new request after the trajectory before it was broken off.
        restart = today - DAY * rng.randint(5, min(100, window - 60))
        first = _first_type(rng, profile)
        earlier = Planned(first, begin, restart - DAY * rng.randint(1, 30))
        earlier.outcome = rng.choices(["dropout", "other"], [7, 3])[0]
        return [*_from(rng, [earlier], begin, profile, types), Planned("instap", restart)]
    last_start = max(begin, today - DAY * rng.randint(0, DURATION[final][1]))
    placed = _lay_out(rng, _path_to(rng, final, profile), last_start, types)
    if final == "werk" and len(placed) > 1:
        placed[-2].outcome = "work"
    return _from(rng, placed, begin, profile, types)


def _past_episode(rng, profile, begin, right_end, types) -> list[Planned]:
    """Trajectories during a right that has ended; the last one ends with the right."""
    code = _first_type(rng, profile)
    placed = [Planned(code, begin)]
    window = (right_end - begin).days
    if rng.random() < 0.4 and window > 200:
        second = rng.choice(["activering", "extern", "sociale_activering", "taal"])
        start = begin + DAY * rng.randint(window // 3, window - 30)
        placed = _from(rng, _lay_out(rng, [code, second], start, types), begin, profile, types)
    last = placed[-1]
    last.end = right_end
    last.outcome = rng.choices(*RIGHT_END_OUTCOMES)[0]
    return placed


def _episode(rng, profile, start, end, first: bool, today, types) -> list[Planned]:
    """The trajectories of one income right, from the new request on."""
    limit = end or today
    delay = _activation_delay(rng) if first else rng.randint(10, 120)
    begin = start + DAY * delay
    plans = []
    if begin > limit or rng.random() < (0.7 if first else 0.55):
        plans.append(Planned("instap", start, note=_note(rng, "instap")))
    if begin > limit:  # still in intake, or the right ended before any activation
        if end is not None:
            plans[0].end, plans[0].outcome = end, rng.choice(["ended_right", "moved"])
        return plans
    if plans:
        plans[0].end = max(start, begin - DAY)
        plans[0].outcome = "other_trajectory"
    if end is None:
        later = _current_episode(rng, profile, begin, today, types)
    else:
        later = _past_episode(rng, profile, begin, end, types)
    if plans and not later:
        plans[0].outcome = "other"
    return plans + later


def _add_parallel(rng, plans: list[Planned]) -> None:
    """Some clients keep welfare support while a later trajectory runs."""
    running = [p for p in plans if p.end is None and p.type not in ("instap", "welzijn")]
    if not running or rng.random() > 0.15:
        return
    current = running[-1]
    before = [p for p in plans if p.end is not None and p.end < current.start]
    if before and before[-1].type == "welzijn":
        before[-1].end, before[-1].outcome = None, None
    elif (current.start - plans[0].start).days > 30:
        start = current.start - DAY * rng.randint(7, 30)
        plans.append(Planned("welzijn", max(plans[0].start, start)))


def _history(rng, client, rights, today, types) -> list[Planned]:
    profile = _profile(client, today)
    plans: list[Planned] = []
    for index, (start, end) in enumerate(rights):
        plans += _episode(rng, profile, start, end, index == 0, today, types)
    _add_parallel(rng, plans)
    for plan in plans:
        if plan.type != "instap" and not plan.note:
            plan.note = _note(rng, plan.type)
    return [p for p in plans if p.type in types]


def _responsible(members, code: str, day: datetime.date):
    """A carer of the client on that day who fits the trajectory, else the reference worker."""
    active = [
        m for m in members if m.start_date <= day and (m.end_date is None or day <= m.end_date)
    ]
    for role in [*RESPONSIBLE.get(code, []), CareRole.REFERENCE]:
        for member in active:
            if member.role == role:
                return member.user
    references = [m for m in members if m.role == CareRole.REFERENCE]
    return (references or members)[0].user if members else None


def _rights(centre) -> dict[int, list[tuple]]:
    rights = defaultdict(list)
    rows = (
        IncomeRight.objects.filter(client__centre=centre)
        .order_by("client_id", "start_date")
        .values_list("client_id", "start_date", "end_date")
    )
    for client_id, start, end in rows:
        rights[client_id].append((start, end))
    return rights


def _refs(centre, count: int) -> list[str]:
    """`count` references T00001, … not used yet in the centre, in order."""
    taken = set(Trajectory.objects.filter(centre=centre).values_list("ref", flat=True))
    refs, number = [], len(taken) + 1
    while len(refs) < count:
        ref = f"T{number:05d}"
        if ref not in taken:
            refs.append(ref)
        number += 1
    return refs


@register_step(order=100)
def trajectories(centre, rng, clients, ctx: Context) -> None:
    """Trajectories for every client, and their activation ladder positions."""
    ensure_default_catalogue(centre)
    types = {t.code: t for t in TrajectoryType.objects.filter(centre=centre)}
    outcomes = {o.code: o for o in TrajectoryOutcome.objects.filter(centre=centre)}
    rights = _rights(centre)
    planned: list[tuple[datetime.date, int, Client, Planned]] = []
    for client in clients:
        for plan in _history(rng, client, rights.get(client.pk, []), ctx.today, types):
            planned.append((plan.start, len(planned), client, plan))
    planned.sort(key=lambda item: item[:2])  # references follow the start dates
    rows = []
    for ref, (_start, _n, client, plan) in zip(_refs(centre, len(planned)), planned, strict=True):
        rows.append(
            Trajectory(
                centre=centre,
                ref=ref,
                client=client,
                type=types[plan.type],
                start_date=plan.start,
                end_date=plan.end,
                outcome=outcomes.get(plan.outcome) if plan.end else None,
                responsible=_responsible(ctx.care.get(client.pk, []), plan.type, plan.start),
                note=plan.note,
            )
        )
    bulk.create(Trajectory, rows, batch_size=1000)
    by_client = defaultdict(list)
    for row in rows:
        by_client[row.client_id].append(row)
    ctx.trajectories = dict(by_client)
    bulk.create(
        LadderPosition,
        [p for client in clients for p in _ladder(rng, by_client.get(client.pk, []), client)],
        batch_size=1000,
    )


def _ladder(rng, rows: list[Trajectory], client: Client) -> list[LadderPosition]:
    """A position whenever a trajectory puts the client on another rung; one per day."""
    events: dict[datetime.date, tuple[str, Trajectory]] = {}
    for row in sorted(rows, key=lambda t: (t.start_date, t.pk or 0)):
        if row.type.rung:
            events[row.start_date] = (row.type.rung, row)
        if row.outcome and row.outcome.code == "work":
            events[row.end_date] = (Rung.WERK, row)
    positions: list[LadderPosition] = []
    for day in sorted(events):
        rung, row = events[day]
        previous = positions[-1].rung if positions else None
        if rung == previous:
            continue
        if previous is None:
            direction = "first"
        else:
            direction = "up" if Rung.level(rung) > Rung.level(previous) else "down"
        options = REASONS.get((rung, direction)) or REASONS.get((rung, "up")) or [""]
        reason = rng.choice(options).format(setback=rng.choice(SETBACKS))
        positions.append(
            LadderPosition(
                client=client, rung=rung, since=day, reason=reason, recorded_by=row.responsible
            )
        )
    return positions
