"""Demo data: socio-professional balances in every phase, matching the trajectories.

About four in ten clients who have a trajectory counsellor or a recent right get a balance. A
client still in the intake (an open instap trajectory) is usually in the middle of one (phase 1
or 2); others finished one before their activation trajectory started, and its synthesis proposes
that trajectory and its rung. Runs after the trajectories step, which leaves
`ctx.trajectories`. Rows are bulk-inserted without audit entries (nobody acted on them); the
`version` counts the saves a worker would have made.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from opstap.clients.models import CareRole, Client, IncomeRight
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk

from .models import (
    Balance,
    BalanceBarrier,
    BalanceResource,
    Barrier,
    ConsentCategory,
    InstrumentResponse,
    InstrumentTemplate,
    Phase,
    QuestionKind,
    ResourceKind,
    SharingConsent,
)
from .selectors import instruments_offered, template_with_content
from .services import ensure_default_instruments

DAY = datetime.timedelta(days=1)

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "fr": "Frans",
    "ar": "Arabisch",
    "ti": "Tigrinya",
    "ro": "Roemeens",
    "ps": "Pasjtoe",
    "ru": "Russisch",
    "so": "Somalisch",
    "en": "Engels",
}
# Choice positions of the language instrument's levels for each Dutch level.
DUTCH_CHOICE = {"A0": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 4, "C2": 5}

REASONS = [
    "Nieuwe aanvraag leefloon: zicht krijgen op mogelijkheden en drempels.",
    "Doorverwezen door de maatschappelijk werker voor een traject naar werk.",
    "Heroriëntering na het afbreken van het vorige traject.",
    "Vraag van de cliënt om een opleiding te starten.",
]
EXPECTATIONS = [
    "Wil zo snel mogelijk werken, liefst in de zorg.",
    "Wil eerst Nederlands leren en dan een opleiding volgen.",
    "Zoekt een job dicht bij huis, combineerbaar met de kinderen.",
    "Wil iets zinvols doen overdag en mensen leren kennen.",
    "Wil studies afmaken en een diploma halen.",
]
INTAKE_NOTES = [
    "Gemotiveerd; komt op tijd. Tolk geregeld voor het volgende gesprek.",
    "Eerste gesprek samen met de maatschappelijk werker.",
    "Was wat terughoudend; doel en vertrouwelijkheid van de balans uitgelegd.",
    "",
]
EXPLORATION_NOTES = {
    "newcomer": [
        "Werkervaring in het thuisland; wil die ervaring hier benutten.",
        "Diploma uit het thuisland; gelijkwaardigheid aanvragen bij NARIC.",
    ],
    "": [
        "Weinig schoolervaring maar handig en leergierig.",
        "Heeft een netwerk in de buurt; geen rijbewijs.",
        "Gezondheid laat voorlopig geen zwaar fysiek werk toe.",
        "",
    ],
}
CONCLUSIONS = {
    "welzijn": "Eerst stabiliseren: woonsituatie en schulden aanpakken met het CAW en "
    "budgetbegeleiding. Over drie maanden samen bekijken wat haalbaar is.",
    "taal": "Nederlands is de grootste drempel. Start NT2 bij het CVO; ondertussen "
    "oriënteren op sectoren waar de werkervaring past.",
    "sociale_activering": "Werk is nu nog te ver. Vrijwilligerswerk om ritme en "
    "zelfvertrouwen op te bouwen, met evaluatie na vier maanden.",
    "activering": "Klaar om werkgericht te starten. Screening door de jobcoach en een "
    "werkervaring via artikel 60.",
    "extern": "Werkzoekend met een duidelijk doel; begeleiding door VDAB met opvolging "
    "door de trajectbegeleider.",
    "studie": "Wil een diploma halen. Voltijds studeren met een GPMI student; "
    "vakantiejob in de zomer.",
    "werk": "Aan het werk; nazorg door de jobcoach.",
}
PLAN_NOTES = {
    "welzijn": "1. Intake bij de dienst budgetbegeleiding. 2. Afspraak met het CAW over de "
    "woning. 3. Huisarts: attest over de arbeidsgeschiktheid.",
    "taal": "1. Inschrijven bij het CVO (NT2). 2. Kinderopvang regelen. 3. Evaluatie binnen "
    "drie maanden.",
    "sociale_activering": "1. Kennismaking bij de partnerorganisatie. 2. Afsprakennota "
    "opmaken. 3. Evaluatie na vier maanden.",
    "activering": "1. Afspraak met de jobcoach. 2. CV opmaken. 3. Kennismaking op de "
    "werkplek (artikel 60).",
    "extern": "1. Inschrijven bij VDAB. 2. Eerste gesprek met de VDAB-consulent. "
    "3. Driemaandelijks overleg.",
    "studie": "1. Inschrijving en studiekosten bekijken. 2. GPMI student opmaken. "
    "3. Examenresultaten bezorgen.",
    "werk": "1. Nazorggesprek na een maand. 2. Aanvullend leefloon herberekenen.",
}
# Who the conclusions may go to, by the trajectory proposed.
RECIPIENTS = {
    "welzijn": ["CAW", "CGG", "dienst budgetbegeleiding"],
    "taal": ["CVO", "Huis van het Nederlands"],
    "sociale_activering": ["vzw Het Atelier", "kringloopwinkel"],
    "activering": ["jobcoach", "werkplek artikel 60"],
    "extern": ["VDAB", "GTB"],
    "studie": ["hogeschool", "CLB"],
    "werk": ["werkgever", "VDAB"],
}
BARRIER_NOTES = {
    Barrier.LANGUAGE: "Spreekt nog weinig Nederlands.",
    Barrier.DEBTS: "Afbetalingsplan bij twee schuldeisers.",
    Barrier.HOUSING: "Woont tijdelijk bij familie.",
    Barrier.SINGLE_PARENT: "Zoekt kinderopvang.",
    Barrier.HEALTH: "Rugklachten; geen zwaar werk.",
    Barrier.NO_DIPLOMA: "",
    Barrier.NO_EXPERIENCE: "Nooit in België gewerkt.",
    Barrier.NETWORK: "Kent weinig mensen in de stad.",
    Barrier.PSYCHOLOGICAL: "In behandeling bij het CGG.",
    Barrier.BUDGETING: "",
    Barrier.LITERACY: "Leest en schrijft moeilijk.",
    Barrier.SELF_IMAGE: "",
}
RESOURCES = {
    ResourceKind.STRENGTH: ["Doorzetter", "Vriendelijk en behulpzaam", "Stipt", "Leergierig"],
    ResourceKind.COMPETENCE: [
        "Koken voor grote groepen",
        "Ervaring in de bouw",
        "Zorg voor kinderen en ouderen",
        "Vlot met de computer",
        "Rijbewijs B",
    ],
    ResourceKind.RESOURCE: [
        "Steun van de familie",
        "Goede band met de buren",
        "Actief in een vereniging",
        "Begeleiding door het CAW",
    ],
}
# Text answers by question; "newcomer", "local", "parent", "worked", "learner" keep them true
# to the person (a Belgian-born client did not "come to Belgium").
TEXT_ANSWERS = {
    "Belangrijke gebeurtenissen in je leven": {
        "newcomer": ["Kwam in {year} naar België.", "Erkend als vluchteling in {year}."],
        "parent": ["Scheiding in {year}; sindsdien alleen met de kinderen."],
        "local": ["Verhuisd naar de stad in {year}.", "Lange ziekte in {year}."],
    },
    "Hoe ziet je dag er nu uit?": {
        "parent": ["Kinderen naar school brengen, huishouden."],
        "learner": ["Overdag les Nederlands, 's avonds huiswerk."],
        "": ["Weinig structuur; slaapt laat.", "Helpt een buurvrouw; veel thuis."],
    },
    "Vorige jobs (werkgever, functie, periode)": {
        "newcomer": ["Kok in een restaurant in het thuisland, 5 jaar.", "Bouwvakker, 3 jaar."],
        "worked": [
            "Poetshulp via dienstencheques, 2 jaar.",
            "Magazijnier via een interimkantoor, enkele maanden.",
        ],
    },
    "Waarom stopte de laatste job?": {
        "worked": ["Contract niet verlengd.", "Rugklachten.", "Faillissement van de werkgever."]
    },
    "Vaktechnische vaardigheden": {"": ["Koken", "Naaien", "Schilderen en kleine herstellingen"]},
    "Wat wil je bereiken over een jaar?": {
        "learner": ["Vlot Nederlands spreken."],
        "": ["Een vaste job hebben.", "Een opleiding afgerond hebben."],
    },
    "Wat verwacht je van het OCMW?": {
        "": [
            "Hulp bij het zoeken naar werk.",
            "Een opleiding kunnen volgen.",
            "Rust om eerst de problemen op te lossen.",
        ]
    },
    "Waar ben je trots op?": {
        "parent": ["Mijn kinderen."],
        "newcomer": ["Dat ik hier alles opnieuw opbouw."],
        "": ["Dat ik nooit opgeef."],
    },
    "Op wie kan je rekenen?": {"": ["Mijn zus.", "Een vriendin uit de buurt.", "Niemand echt."]},
}
GENERIC_TEXTS = ["Besproken in het gesprek.", "Nog verder bekijken.", "Geen bijzonderheden."]
# Questions that only make sense after another answer: label -> fact that must hold.
ONLY_IF = {
    "Vorige jobs (werkgever, functie, periode)": "worked",
    "Einde van de laatste job": "worked",
    "Waarom stopte de laatste job?": "worked",
    "Is het buitenlands diploma erkend (gelijkwaardigheid)?": "abroad",
}
YES_NO_FACTS = {
    "Heb je al betaald werk gedaan?": "worked",
    "Werd het diploma in het buitenland behaald?": "abroad",
    "Volgt of volgde je een taalcursus (NT2)?": "learner",
}


def _facts(rng: random.Random, client: Client) -> set[str]:
    """What holds for this client, so that all their answers agree with each other."""
    newcomer = client.language not in ("nl", "fr")
    facts = {"newcomer" if newcomer else "local", ""}
    if client.household == "single_with_children":
        facts.add("parent")
    if client.dutch_level in ("A0", "A1", "A2", "B1"):
        facts.add("learner")
    if rng.random() < 0.6:
        facts.add("worked")
    if newcomer and rng.random() < 0.7:
        facts.add("abroad")
    return facts


def _text(rng, label: str, facts: set[str], today) -> str | None:
    options = TEXT_ANSWERS.get(label)
    if options is None:
        return rng.choice(GENERIC_TEXTS)
    fitting = [text for fact, texts in options.items() if fact in facts for text in texts]
    if not fitting:
        return None
    return rng.choice(fitting).format(year=rng.randint(today.year - 12, today.year - 1))


def _answer(rng: random.Random, question, client: Client, facts: set[str], today):
    """A plausible answer of this client to one question, as the balance forms store it."""
    label, choices = question.label_nl, list(question.choices.all())
    if ONLY_IF.get(label, "") not in facts:
        return None
    if label in YES_NO_FACTS:
        return "yes" if YES_NO_FACTS[label] in facts else "no"
    if label == "Moedertaal":
        return LANGUAGE_NAMES.get(client.language, "Nederlands")
    if label.startswith("Nederlands") and len(choices) >= 6:
        index = DUTCH_CHOICE.get(client.dutch_level or "A1", 1)
        if label.endswith("schrijven"):
            index = max(0, index - rng.randint(0, 1))
        return choices[index].pk
    if label == "Frans" and len(choices) >= 6:
        return choices[5 if client.language == "fr" else rng.randint(0, 3)].pk
    if question.kind == QuestionKind.TEXT:
        return _text(rng, label, facts, today)
    if question.kind == QuestionKind.YES_NO:
        return rng.choice(["yes", "no"])
    if question.kind == QuestionKind.SCALE:
        return str(rng.randint(2, 5))
    if question.kind == QuestionKind.DATE:
        day = today - DAY * rng.randint(200, 2000)
        return day.isoformat() if client.age_on(day) >= 18 else None
    if question.kind == QuestionKind.SINGLE and choices:
        return rng.choice(choices).pk
    if question.kind == QuestionKind.MULTIPLE and choices:
        return sorted(c.pk for c in rng.sample(choices, rng.randint(1, min(3, len(choices)))))
    return None


def _answers(rng, template: InstrumentTemplate, client: Client, facts, today) -> dict:
    """Answers to about three in four questions (at least one: the worker saved something)."""
    questions = [q for section in template.sections.all() for q in section.questions.all()]
    answers = {}
    for question in questions:
        if rng.random() < 0.75 or (not answers and question is questions[-1]):
            value = _answer(rng, question, client, facts, today)
            if value not in (None, "", []):
                answers[str(question.pk)] = value
    return answers


def _barriers(rng, client: Client, today) -> list[str]:
    likely = []
    if client.dutch_level in ("A0", "A1", "A2"):
        likely += [Barrier.LANGUAGE, Barrier.NO_EXPERIENCE]
    if client.household == "single_with_children":
        likely.append(Barrier.SINGLE_PARENT)
    if client.age_on(today) >= 45:
        likely.append(Barrier.HEALTH)
    others = [b for b in BARRIER_NOTES if b not in likely]
    chosen = [b for b in likely if rng.random() < 0.8]
    chosen += rng.sample(others, rng.randint(0 if chosen else 1, 2))
    return chosen


def _worker(members, day: datetime.date):
    """The counsellor of the client on that day, else the reference worker."""
    active = [
        m for m in members if m.start_date <= day and (m.end_date is None or day <= m.end_date)
    ]
    for role in (CareRole.COUNSELLOR, CareRole.REFERENCE):
        for member in active or members:
            if member.role == role:
                return member.user
    return members[0].user if members else None


def _at(ctx: Context, day: datetime.date, hour: int) -> datetime.datetime:
    """That day at that hour, but never later than now."""
    return min(ctx.aware(day, hour), timezone.now())


class _Rows:
    """Everything to insert, collected per balance and written with a few bulk_creates."""

    def __init__(self):
        self.balances: list[Balance] = []
        self.children: list[tuple[Balance, list]] = []

    def add(self, balance: Balance, children: list) -> None:
        for child in children:
            if isinstance(child, InstrumentResponse):
                child.stamp = child.updated_at
        done = [balance.completed_at(phase) for phase in Phase.values]
        done += [c.stamp for c in children if isinstance(c, InstrumentResponse)]
        latest = max([d for d in done if d is not None] + [balance.created_at])
        balance.stamps = (balance.created_at, latest)
        self.balances.append(balance)
        self.children.append((balance, children))

    def save(self) -> None:
        bulk.create(Balance, self.balances, batch_size=500)
        by_model = defaultdict(list)
        for balance, children in self.children:
            for child in children:
                child.balance = balance
                by_model[type(child)].append(child)
        for model in (InstrumentResponse, BalanceBarrier, BalanceResource, SharingConsent):
            bulk.create(model, by_model[model], batch_size=500)
        # auto_now and auto_now_add stamped the rows with today; give them their own dates.
        for balance in self.balances:
            balance.created_at, balance.updated_at = balance.stamps
        for response in by_model[InstrumentResponse]:
            response.updated_at = response.stamp
        bulk.update(Balance, self.balances, ["created_at", "updated_at"])
        bulk.update(InstrumentResponse, by_model[InstrumentResponse], ["updated_at"])


def _balance(
    rng,
    ctx: Context,
    client,
    worker,
    started: datetime.date,
    phase_now: int | None,
    templates,
    proposed=None,
    agreed: datetime.date | None = None,
):
    """One balance started on `started`: in phase `phase_now`, or finished (None) on `agreed`."""
    balance = Balance(
        centre=ctx.centre,
        client=client,
        started_on=started,
        created_at=_at(ctx, started, 9),
        started_by=worker,
        intake_date=started,
        reason=rng.choice(REASONS),
        expectations=rng.choice(EXPECTATIONS),
        balance_consent=True,
        balance_consent_date=started,
        intake_notes=rng.choice(INTAKE_NOTES),
    )
    saves = rng.randint(1, 2)
    children: list = []
    if phase_now == Phase.INTAKE:
        if rng.random() < 0.4:  # not everything is filled in yet
            balance.balance_consent, balance.balance_consent_date = False, None
            balance.expectations = ""
        balance.version = 1 + saves
        return balance, children
    last = agreed or ctx.today
    explored = min(last, started + DAY * rng.randint(0, 7))
    balance.phase1_completed_at = _at(ctx, explored, 9)
    count = rng.randint(1, 3) if phase_now == Phase.EXPLORATION else rng.randint(3, len(templates))
    facts = _facts(rng, client)
    answered = [explored + DAY * rng.randint(0, 14) for _ in range(count)]
    for template, day in zip(templates[:count], sorted(answered), strict=True):
        answers = _answers(rng, template, client, facts, ctx.today)
        response = InstrumentResponse(template=template, answers=answers, updated_by=worker)
        response.updated_at = _at(ctx, min(day, last), rng.randint(10, 13))
        children.append(response)
    for code in _barriers(rng, client, ctx.today):
        children.append(BalanceBarrier(code=code, note=BARRIER_NOTES.get(code, "")))
    for kind, texts in RESOURCES.items():
        for text in rng.sample(texts, rng.randint(0, 2)):
            children.append(BalanceResource(kind=kind, text=text))
    balance.exploration_notes = rng.choice(
        [note for fact, notes in EXPLORATION_NOTES.items() if fact in facts for note in notes]
    )
    saves += 1 + count + 1  # phase 1 completed, the instruments, barriers and strengths
    if phase_now == Phase.EXPLORATION:
        balance.version = 1 + saves
        return balance, children
    code, rung = proposed
    balance.phase2_completed_at = _at(ctx, agreed, 14)
    balance.conclusions = CONCLUSIONS.get(code, CONCLUSIONS["activering"])
    balance.conclusions_agreed_on = agreed
    balance.proposed_rung = rung
    balance.proposed_trajectory = code
    balance.plan_notes = PLAN_NOTES.get(code, "")
    balance.sharing_consent_date = agreed
    balance.phase3_completed_at = _at(ctx, agreed, 15)
    categories = [ConsentCategory.IDENTITY, *rng.sample(ConsentCategory.values[1:], 2)]
    options = RECIPIENTS.get(code, ["VDAB"])
    recipients = ", ".join(rng.sample(options, rng.randint(1, len(options))))
    children += [SharingConsent(category=c, recipients=recipients) for c in categories]
    balance.version = 1 + saves + 3  # phase 2 completed, synthesis saved, phase 3 completed
    return balance, children


def _current_right_start(centre) -> dict[int, datetime.date]:
    rows = IncomeRight.objects.filter(client__centre=centre, end_date__isnull=True)
    return dict(rows.values_list("client_id", "start_date"))


PROPOSED_RUNG_OF_STUDIES = "arbeid"  # a study trajectory aims at work


@register_step(order=120)
def balances(centre, rng, clients, ctx: Context) -> None:
    """Balances for about 40% of the clients with a counsellor or a recent right."""
    ensure_default_instruments(centre)
    templates = list(
        template_with_content(instruments_offered(centre)).order_by("position", "code")
    )
    trajectories = getattr(ctx, "trajectories", {})
    current = _current_right_start(centre)
    recent = ctx.today - DAY * 365
    rows = _Rows()
    for client in clients:
        members = ctx.care.get(client.pk, [])
        has_counsellor = any(m.role == CareRole.COUNSELLOR for m in members)
        if not members or not (has_counsellor or current.get(client.pk, recent) > recent):
            continue
        own = sorted(trajectories.get(client.pk, []), key=lambda t: t.start_date)
        intake = [t for t in own if t.type.code == "instap" and t.end_date is None]
        if intake and rng.random() < 0.75:
            started = min(ctx.today, intake[-1].start_date + DAY * rng.randint(2, 21))
            late = (ctx.today - started).days > 10
            phase = Phase.EXPLORATION if late and rng.random() < 0.6 else Phase.INTAKE
            worker = _worker(members, started)
            rows.add(*_balance(rng, ctx, client, worker, started, phase, templates))
            continue
        activations = [t for t in own if t.type.counts_as_activation]
        if not activations or rng.random() > 0.33:
            continue
        target = activations[-1] if rng.random() < 0.5 else activations[0]
        _finished(rng, ctx, client, members, target, own, templates, rows)
    rows.save()


def _finished(rng, ctx, client, members, target, own, templates, rows: _Rows) -> None:
    """A balance whose synthesis led to `target`, and sometimes a new one in progress."""
    floor = max(
        [t.start_date for t in own if t.start_date < target.start_date]
        + [client.created_at.date() if client.created_at else target.start_date]
    )
    agreed = max(floor, target.start_date - DAY * rng.randint(0, 10))
    started = max(floor, agreed - DAY * rng.randint(14, 60))
    rung = target.type.rung or PROPOSED_RUNG_OF_STUDIES
    worker = _worker(members, started)
    rows.add(
        *_balance(
            rng,
            ctx,
            client,
            worker,
            started,
            None,
            templates,
            proposed=(target.type.code, rung),
            agreed=agreed,
        )
    )
    if target.end_date is None and (ctx.today - agreed).days > 300 and rng.random() < 0.15:
        # A follow-up balance: the counsellor looks at the next step.
        again = ctx.today - DAY * rng.randint(3, 40)
        phase = rng.choice([Phase.INTAKE, Phase.EXPLORATION])
        rows.add(*_balance(rng, ctx, client, _worker(members, again), again, phase, templates))
