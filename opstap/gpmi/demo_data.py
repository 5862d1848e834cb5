"""Demo GPMIs: most clients with a leefloon older than 3 months have a signed contract with
goals, steps and evaluations; some have none yet (so the deadlines report shows problems), a
few are exempted, some evaluations are late."""

from __future__ import annotations

import datetime

from django.db.models import Q

from opstap.clients.models import CareRole, IncomeRight, RightKind
from opstap.core.dates import add_months
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk

from .models import (
    GoalStatus,
    Gpmi,
    GpmiEvaluation,
    GpmiGoal,
    GpmiKind,
    GpmiStatus,
    GpmiStep,
    LifeDomain,
    StepOwner,
)
from .services import ensure_default_life_domains

DAY = datetime.timedelta(days=1)
# Life domains that go with a trajectory type, first the most likely.
TYPE_DOMAINS = {
    "taal": ["language", "education", "network"],
    "studie": ["education", "income", "mobility"],
    "sociale_activering": ["network", "wellbeing", "leisure"],
    "welzijn": ["wellbeing", "health", "debts", "housing"],
    "activering": ["work", "education", "mobility"],
    "extern": ["work", "digital", "mobility"],
    "werk": ["work", "income"],
}
GOALS = {
    "language": ("Nederlands leren tot niveau %s", ["Inschrijven bij het CVO", "Lessen volgen"]),
    "education": ("Een opleiding afmaken", ["Inschrijven", "Examenresultaten bezorgen"]),
    "network": ("Nieuwe mensen leren kennen", ["Vrijwilligerswerk zoeken", "Kennismaking"]),
    "wellbeing": ("Beter in mijn vel zitten", ["Afspraak bij de psycholoog", "Wekelijks wandelen"]),
    "health": ("Mijn gezondheid opvolgen", ["Huisarts kiezen", "Medicatie in orde"]),
    "debts": ("Overzicht over mijn schulden", ["Brieven verzamelen", "Budgetbegeleiding starten"]),
    "housing": ("Een betaalbare woning vinden", ["Inschrijven sociale huisvesting", "Bezoeken"]),
    "work": ("Werk vinden", ["CV opmaken", "Inschrijven bij VDAB", "Drie sollicitaties per maand"]),
    "income": ("Mijn budget beheren", ["Maandbudget opmaken", "Vaste kosten nakijken"]),
    "mobility": ("Zelfstandig naar school of werk gaan", ["Busabonnement aanvragen"]),
    "leisure": ("Een hobby vinden", ["Vrijetijdsaanbod bekijken"]),
    "digital": ("Online zaken regelen", ["Computercursus volgen", "itsme installeren"]),
}
OWNERS = [StepOwner.CLIENT, StepOwner.CLIENT, StepOwner.CENTRE, StepOwner.PARTNER]
EXEMPTIONS = [
    ("health", "Langdurige ziekenhuisopname; GPMI herbekijken na ontslag."),
    ("health", "Ernstige psychische problemen, attest van de psychiater."),
    ("equity", "Hoogbejaarde mantelzorger voor een zwaar zorgbehoevend kind."),
]


def _current_rights(centre, today) -> dict[int, datetime.date]:
    rights = IncomeRight.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        client__centre=centre,
        kind=RightKind.LEEFLOON,
        start_date__lte=today,
    ).values_list("client_id", "start_date")
    return dict(rights)


def _type_code(ctx: Context, client, day) -> str:
    running = [
        t
        for t in getattr(ctx, "trajectories", {}).get(client.pk, [])
        if t.start_date <= day and (t.end_date is None or t.end_date >= day)
    ]
    return running[-1].type.code if running else "welzijn"


@register_step(order=140)
def gpmis(centre, rng, clients, ctx: Context) -> None:
    """Contracts, goals, steps and evaluations, bulk-inserted."""
    ensure_default_life_domains(centre)
    domains = {d.code: d for d in LifeDomain.objects.filter(centre=centre)}
    rights = _current_rights(centre, ctx.today)
    interval = centre.gpmi_evaluation_months
    contracts, goal_rows, step_plan, evaluations = [], [], [], []
    for client in clients:
        start = rights.get(client.pk)
        if start is None or add_months(start, 3) >= ctx.today:
            continue
        has_reference = any(m.role == CareRole.REFERENCE for m in ctx.care.get(client.pk, []))
        chance = rng.random()
        ref = f"GPMI-{client.ref}"
        if chance < 0.06:
            ground, reason = rng.choice(EXEMPTIONS)
            contracts.append(
                Gpmi(
                    centre=centre,
                    client=client,
                    ref=ref,
                    status=GpmiStatus.EXEMPTED,
                    exemption_ground=ground,
                    exemption_reason=reason,
                    exempted_on=start + DAY * rng.randint(20, 80),
                )
            )
            continue
        if chance < 0.18 or not has_reference:
            continue  # still missing: shows in the deadlines report
        drafted = start + DAY * rng.randint(15, 60)
        proposed = drafted + DAY * rng.randint(3, 14)
        signed = min(ctx.today, proposed + DAY * rng.randint(5, 12))
        code = _type_code(ctx, client, signed)
        kind = {"studie": GpmiKind.STUDENT, "sociale_activering": GpmiKind.SOCIAL_ACTIVATION}
        end = add_months(signed, 12)
        ended = end < ctx.today
        gpmi = Gpmi(
            centre=centre,
            client=client,
            ref=ref,
            kind=kind.get(code, GpmiKind.STANDARD),
            status=GpmiStatus.ENDED if ended else GpmiStatus.ACTIVE,
            drafted_on=drafted,
            proposed_on=proposed,
            signed_on=signed,
            centre_signed_on=signed,
            committee_decision_on=signed - DAY * rng.randint(0, 7),
            start_date=signed,
            end_date=end,
            end_reason="Looptijd verstreken" if ended else "",
            client_commitments="Afspraken nakomen, verwittigen bij afwezigheid, "
            "actief meewerken aan de stappen.",
            centre_commitments="Begeleiding door de maatschappelijk werker, "
            "toeleiding naar het aanbod, tijdige evaluatie.",
            evaluation_arrangements=f"Evaluatiegesprek minstens om de {interval} maanden.",
        )
        if gpmi.kind == GpmiKind.STUDENT:
            gpmi.school, gpmi.programme, gpmi.study_year = "HOWEST", "Bachelor verpleegkunde", "2"
        contracts.append(gpmi)
        options = TYPE_DOMAINS.get(code, ["work", "wellbeing"])
        chosen = options[: rng.randint(1, min(3, len(options)))]
        for position, domain_code in enumerate(chosen):
            text, steps = GOALS[domain_code]
            if "%s" in text:
                text %= rng.choice(["A2", "B1"])
            achieved = ended and rng.random() < 0.5
            goal_rows.append(
                (
                    ref,
                    GpmiGoal(
                        centre=centre,
                        ref=f"{ref}-{position + 1}",
                        domain=domains[domain_code],
                        text=text,
                        status=GoalStatus.ACHIEVED if achieved else GoalStatus.OPEN,
                        position=position,
                    ),
                )
            )
            for n, step in enumerate(steps):
                due = signed + DAY * rng.randint(14, 150)
                done = (
                    due - DAY * rng.randint(0, 10)
                    if due < ctx.today and rng.random() < 0.7
                    else None
                )
                owner = OWNERS[0] if n == 0 else rng.choice(OWNERS)
                step_plan.append(
                    (
                        f"{ref}-{position + 1}",
                        f"{ref}-{position + 1}-{n + 1}",
                        step,
                        owner,
                        due,
                        done,
                    )
                )
        late = rng.random() < 0.25  # evaluations stopped: overdue
        day, number = signed, 0
        last_day = min(ctx.today, end)
        while True:
            day = add_months(day, interval) - DAY * rng.randint(0, 20)
            if day > last_day or (late and number >= 1):
                break
            number += 1
            evaluations.append(
                (
                    ref,
                    GpmiEvaluation(
                        centre=centre,
                        ref=f"{ref}-E{number}",
                        date=day,
                        in_person=rng.random() < 0.8,
                        summary=rng.choice(
                            ["Goede vooruitgang.", "Stappen bijgestuurd.", "Moeilijke periode."]
                        ),
                    ),
                )
            )
    bulk.create(Gpmi, contracts, batch_size=1000)
    by_ref = {g.ref: g for g in Gpmi.objects.filter(centre=centre)}
    for ref, goal in goal_rows:
        goal.gpmi = by_ref[ref]
    bulk.create(GpmiGoal, [g for _r, g in goal_rows], batch_size=1000)
    goals = {g.ref: g for g in GpmiGoal.objects.filter(centre=centre)}
    bulk.create(
        GpmiStep,
        [
            GpmiStep(
                centre=centre,
                goal=goals[goal_ref],
                ref=ref,
                text=text,
                owner=owner,
                due_date=due,
                done_on=done,
            )
            for goal_ref, ref, text, owner, due, done in step_plan
        ],
        batch_size=1000,
    )
    for ref, evaluation in evaluations:
        evaluation.gpmi = by_ref[ref]
    bulk.create(GpmiEvaluation, [e for _r, e in evaluations], batch_size=1000)
