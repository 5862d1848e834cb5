"""Demo data: the partner network of a city's social activation service, after Antwerp's.

About thirty partner organisations in the sectors of the Antwerp handbook (social, technical,
hospitality, animals, administration and reception, environment), each with a contact point, a
signed uniform agreement, a liability insurance (a few expired or ending within 30 days, so the
warnings show) and places with tasks, hours and requirements. The arbeidszorg partner vzw ANA
runs 6 workshops with 35 places. The partner accounts are contacts of "vzw Het Atelier", which
gets referrals in every status to answer and follow.

Referrals go from clients with a right to places, support offers and organisations, in every
status; some were requested more than 14 days ago without an answer, among them some by the
first social worker (the demo account `social`), so the "waiting for an answer" flag shows.

Organisations are matched on their reference: running the step again on a centre that kept
its partners (`load_demo --reset` only deletes dossiers) adds only what is missing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from opstap.accounts.roles import Role
from opstap.clients.models import CareRole, CareTeamMember, Client
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk

from .models import (
    REFERRAL_ANSWER_DAYS,
    OfferKind,
    Organisation,
    PartnerContact,
    Place,
    PlaceStatus,
    Referral,
    ReferralStatus,
    Sector,
    SharedInfo,
    SupportOffer,
)
from .selectors import _consented_keys
from .services import ensure_default_catalogue

DAY = datetime.timedelta(days=1)
PARTNER_REF = "ATELIER"  # the organisation of the demo partner account

# Places by sector: (title, tasks, hours per week, requirements).
PLACES: dict[str, list[tuple[str, str, int, str]]] = {
    Sector.SOCIAL: [
        (
            "Gezelschap bewoners",
            "Praten met bewoners, mee wandelen, helpen bij activiteiten in de namiddag.",
            8,
            "Geduldig en vriendelijk; Nederlands minstens 1.2.",
        ),
        (
            "Hulp cafetaria",
            "Koffie en drank schenken voor bewoners en bezoekers, afruimen.",
            10,
            "Stipt; werkt graag met mensen.",
        ),
        (
            "Begeleiding knutselnamiddag",
            "Materiaal klaarzetten en kinderen helpen bij het knutselen.",
            6,
            "Attest goed gedrag en zeden.",
        ),
        (
            "Onthaal buurthuis",
            "Bezoekers verwelkomen, koffie zetten, telefoon opnemen.",
            12,
            "Vriendelijk; eenvoudige gesprekken in het Nederlands.",
        ),
        (
            "Sorteerder voedselpakketten",
            "Voedselpakketten samenstellen en uitdelen.",
            8,
            "Kan tillen tot 15 kg.",
        ),
    ],
    Sector.TECHNICAL: [
        (
            "Fietshersteller",
            "Banden plakken, remmen en verlichting herstellen, tweedehandsfietsen opknappen.",
            12,
            "Technische interesse; ervaring is geen vereiste.",
        ),
        (
            "Klusjesman",
            "Kleine herstellingen, schilderen, meubels monteren.",
            16,
            "Handig; veiligheidsschoenen worden voorzien.",
        ),
        (
            "Hersteller elektrische toestellen",
            "Toestellen testen en eenvoudige herstellingen uitvoeren.",
            8,
            "Nauwkeurig; basiskennis elektriciteit is een plus.",
        ),
        (
            "Medewerker sorteerruimte",
            "Ingezamelde goederen sorteren, prijzen en in de winkel zetten.",
            16,
            "Kan rechtstaan en tillen.",
        ),
    ],
    Sector.HOSPITALITY: [
        (
            "Hulpkok",
            "Groenten snijden, soep maken, helpen bij de bereiding van de middagmaaltijd.",
            16,
            "Hygiëne; geen allergie voor gluten of noten.",
        ),
        (
            "Zaalmedewerker",
            "Tafels dekken, bedienen, afruimen.",
            12,
            "Vriendelijk en stipt.",
        ),
        (
            "Afwas en schoonmaak keuken",
            "Afwassen, keuken en materiaal schoonmaken.",
            10,
            "Werkt in een vast tempo.",
        ),
        (
            "Medewerker koffiebar",
            "Koffie en taart serveren, kassa onder begeleiding.",
            8,
            "Eenvoudig rekenen.",
        ),
    ],
    Sector.ANIMALS: [
        (
            "Dierenverzorger",
            "Hokken uitmesten, voederen, water verversen.",
            12,
            "Geen allergie voor dieren; kan tegen geur en vuil.",
        ),
        (
            "Hondenuitlater",
            "Honden van het asiel uitlaten en socialiseren.",
            6,
            "Niet bang van honden; wandelt graag.",
        ),
        (
            "Medewerker stal",
            "Stallen proper maken, hooi aanvoeren, helpen bij het verzorgen van de paarden.",
            10,
            "Buitenwerk in alle weer.",
        ),
    ],
    Sector.ADMINISTRATION: [
        (
            "Onthaalmedewerker",
            "Bezoekers ontvangen en de weg wijzen, telefoon opnemen.",
            12,
            "Nederlands minstens 2.1; verzorgd.",
        ),
        (
            "Administratief medewerker",
            "Post sorteren, kopiëren, gegevens invoeren.",
            10,
            "Basiskennis computer.",
        ),
        (
            "Medewerker uitleenbalie",
            "Boeken terugzetten, uitlenen aan de balie, rekken ordenen.",
            8,
            "Kan alfabetisch ordenen.",
        ),
    ],
    Sector.ENVIRONMENT: [
        (
            "Medewerker groenonderhoud",
            "Hagen snoeien, gras maaien, onkruid wieden.",
            16,
            "Buitenwerk in alle weer; werkkledij wordt voorzien.",
        ),
        (
            "Moestuinier",
            "Zaaien, planten, oogsten in de buurtmoestuin.",
            8,
            "Interesse in tuinieren.",
        ),
        (
            "Zwerfvuilraper",
            "Zwerfvuil opruimen in parken en straten, in een ploeg.",
            6,
            "Kan lang stappen.",
        ),
        (
            "Medewerker compostpark",
            "Compost omzetten, bezoekers uitleg geven.",
            6,
            "Buitenwerk.",
        ),
    ],
}

# (reference, name, sector, contact first name, contact last name)
ORGANISATIONS: list[tuple[str, str, str, str, str]] = [
    ("ANA", "vzw ANA", Sector.TECHNICAL, "An", "Verhulst"),
    (PARTNER_REF, "vzw Het Atelier", Sector.TECHNICAL, "Marc", "Lambrecht"),
    ("WZC-ZONNEWENDE", "WZC Zonnewende", Sector.SOCIAL, "Griet", "Peeters"),
    ("WZC-LINDEHOF", "WZC Hof ter Linden", Sector.SOCIAL, "Johan", "Wuyts"),
    ("SPEELBRUG", "Kinderdagverblijf De Speelbrug", Sector.SOCIAL, "Nadia", "Bouzid"),
    ("OEVER", "Dagcentrum De Oever", Sector.SOCIAL, "Els", "Maes"),
    ("WIJKWINKEL", "Buurthuis De Wijkwinkel", Sector.SOCIAL, "Kristof", "Janssens"),
    ("VOEDSELHULP", "Voedselhulp Samen Delen", Sector.SOCIAL, "Hilde", "Goossens"),
    ("SCHROEF", "Repaircafé De Schroef", Sector.TECHNICAL, "Dirk", "Van Dyck"),
    ("FIETSPUNT", "Fietspunt Centraal", Sector.TECHNICAL, "Youssef", "El Amrani"),
    ("HANDIG", "Klusjesdienst Handig", Sector.TECHNICAL, "Patrick", "Mertens"),
    ("ZOLDER", "Kringloopwinkel De Zolder", Sector.TECHNICAL, "Sofie", "Claes"),
    ("SMAAK", "Sociaal restaurant De Smaak", Sector.HOSPITALITY, "Bart", "Jacobs"),
    ("PLEINTJE", "Buurtcafé 't Pleintje", Sector.HOSPITALITY, "Ingrid", "Willems"),
    ("KLAVERBLAD", "Koffiebar Het Klaverblad", Sector.HOSPITALITY, "Lotte", "Hermans"),
    ("WARMHART", "Soepbar Warm Hart", Sector.HOSPITALITY, "Ahmed", "Benali"),
    ("BRUG", "Ontmoetingscentrum De Brug", Sector.HOSPITALITY, "Veerle", "Aerts"),
    ("POOT", "Dierenasiel De Poot", Sector.ANIMALS, "Tine", "De Smet"),
    ("HOOILAND", "Kinderboerderij Het Hooiland", Sector.ANIMALS, "Wim", "Michiels"),
    ("REIGER", "Vogelopvang De Reiger", Sector.ANIMALS, "Karen", "Verstraeten"),
    ("TERHEIDE", "Manege Ter Heide", Sector.ANIMALS, "Luc", "Smets"),
    ("BIB-NOORD", "Wijkbibliotheek Noord", Sector.ADMINISTRATION, "Annelies", "Dubois"),
    ("FORUM", "Cultuurcentrum Het Forum", Sector.ADMINISTRATION, "Geert", "Lemmens"),
    ("VRIJWILLIGERSPUNT", "vzw Vrijwilligerspunt", Sector.ADMINISTRATION, "Katrien", "Pauwels"),
    ("BLADZIJDE", "Tweedehandsboeken De Bladzijde", Sector.ADMINISTRATION, "Rik", "Vermeulen"),
    ("SPORTONTHAAL", "Sporthal De Ring", Sector.ADMINISTRATION, "Samira", "Haddad"),
    ("GROENEZOOM", "Natuurwerkgroep De Groene Zoom", Sector.ENVIRONMENT, "Jan", "Desmet"),
    ("KOLK", "Stadsboerderij De Kolk", Sector.ENVIRONMENT, "Eva", "Wouters"),
    ("ZAADJE", "Buurtmoestuin Het Zaadje", Sector.ENVIRONMENT, "Pieter", "Cools"),
    ("PROPER", "Ploeg Proper Straatje", Sector.ENVIRONMENT, "Mohamed", "Tahiri"),
    ("COMPOST", "Compostmeesters vzw", Sector.ENVIRONMENT, "Marleen", "Hendrickx"),
]

# vzw ANA's arbeidszorg workshops: (title, tasks, hours per week, capacity); 35 places in all.
ANA_WORKSHOPS: list[tuple[str, str, int, int]] = [
    ("Houtatelier", "Meubels herstellen en kleine houtproducten maken voor verkoop.", 20, 8),
    ("Metaalatelier", "Lassen, slijpen en eenvoudige metaalconstructies.", 20, 6),
    ("Fietsatelier", "Tweedehandsfietsen opknappen en verkopen.", 18, 6),
    ("Naaiatelier", "Herstellingen en tassen naaien uit gerecupereerde stof.", 16, 5),
    ("Keukenatelier", "Broodjes en soep bereiden voor de eigen cafetaria.", 20, 6),
    ("Groenploeg", "Tuinonderhoud bij klanten van de buurt.", 20, 4),
]
ANA_REQUIREMENTS = (
    "Arbeidszorg: intensieve begeleiding. Geen actieve verslaving; Nederlands minstens 1.2."
)

# vzw Het Atelier's places (the demo partner account): (title, tasks, hours, requirements, status)
ATELIER_PLACES: list[tuple[str, str, int, str, str]] = [
    (
        "Fietshersteller",
        "Fietsen van buurtbewoners herstellen in het fietsatelier.",
        12,
        "Technische interesse.",
        PlaceStatus.OPEN,
    ),
    (
        "Klusjesman",
        "Kleine herstellingen bij senioren thuis, samen met een begeleider.",
        16,
        "Stipt; kan met senioren omgaan.",
        PlaceStatus.OPEN,
    ),
    (
        "Medewerker sorteerruimte",
        "Ingezameld materiaal sorteren en prijzen.",
        10,
        "Kan tillen tot 15 kg.",
        PlaceStatus.FILLED,
    ),
    (
        "Schilder",
        "Lokalen van vzw's schilderen en behangen.",
        16,
        "Geen hoogtevrees.",
        PlaceStatus.OPEN,
    ),
]

# Offers of the catalogue that partners provide: (organisation ref, kind, nl, fr, en).
PARTNER_OFFERS: list[tuple[str, str, str, str, str]] = [
    (
        "ANA",
        OfferKind.SOCIAL,
        "Arbeidszorg in de ateliers van vzw ANA",
        "Travail adapté dans les ateliers de l'asbl ANA",
        "Work-care in the workshops of vzw ANA",
    ),
    (
        "VRIJWILLIGERSPUNT",
        OfferKind.SOCIAL,
        "Zoeken naar vrijwilligerswerk",
        "Recherche de volontariat",
        "Finding volunteer work",
    ),
    (
        "SMAAK",
        OfferKind.WORK,
        "Leerwerkplek horeca",
        "Poste d'apprentissage horeca",
        "Learning workplace hospitality",
    ),
    (
        "BIB-NOORD",
        OfferKind.LANGUAGE,
        "Oefenkansen Nederlands (praattafel)",
        "Table de conversation en néerlandais",
        "Dutch conversation table",
    ),
]

REASONS = {
    "place": [
        "Zoekt een zinvolle dagbesteding met vaste structuur; interesse voor deze taken.",
        "Wil werkritme opbouwen als opstap naar werkervaring.",
        "Eerst stabiliseren: enkele uren per week in een rustige omgeving.",
        "Sociaal netwerk uitbreiden en Nederlands oefenen op de werkvloer.",
        "Heeft ervaring in deze sector in het thuisland; wil ze hier inzetten.",
    ],
    "offer": [
        "Vraag naar ondersteuning besproken in het GPMI; cliënt gaat akkoord.",
        "Nood aan gespecialiseerde begeleiding naast de maatschappelijke begeleiding.",
        "Cliënt vraagt zelf deze ondersteuning.",
        "Uit de balans blijkt dat dit de volgende stap is.",
    ],
    "organisation": [
        "Zoekt vrijwilligerswerk in deze sector; graag een kennismakingsgesprek.",
        "Vraag naar een passende taak; uren nog af te spreken.",
    ],
}
ACCEPT_NOTES = [
    "Welkom, intakegesprek gepland.",
    "Akkoord, we verwachten de cliënt maandag om 9 uur.",
    "Past goed in de ploeg. Kennismaking afgesproken.",
]
REFUSE_NOTES = [
    "Geen plaats meer vrij deze maand.",
    "De taken passen niet bij wat de cliënt zoekt.",
    "Nederlands nog te beperkt voor onthaalwerk.",
]
OUTCOMES = [
    "Afgerond volgens plan; cliënt zet de stap naar werkervaring (BWE).",
    "Gestopt op vraag van de cliënt: gezondheidsproblemen.",
    "Doel bereikt: vaste dagstructuur en meer zelfvertrouwen.",
    "Stopgezet na herhaalde afwezigheden zonder verwittiging.",
    "Verhuisd naar een andere gemeente.",
]
STREETS = [
    "Kerkstraat",
    "Stationsstraat",
    "Molenstraat",
    "Schoolstraat",
    "Dorpsstraat",
    "Nieuwstraat",
    "Kapelstraat",
    "Lindenlei",
    "Parklaan",
    "Veldstraat",
    "Beekstraat",
    "Bosstraat",
]


@dataclass
class Target:
    organisation: Organisation | None = None
    place: Place | None = None
    offer: SupportOffer | None = None

    @property
    def kind(self) -> str:
        return "place" if self.place else "offer" if self.offer else "organisation"


def make_kbo(rng: random.Random, used: set[str]) -> str:
    """An invented KBO enterprise number: 8 digits and the check 97 - (those 8 mod 97).

    Most numbers start with 0 (older enterprises, like 0403.170.701), newer ones with 1.
    """
    while True:
        head = rng.choices("01", [4, 1])[0] + f"{rng.randint(2_000_000, 9_999_999)}"
        number = f"{head}{97 - int(head) % 97:02d}"
        if number not in used:
            used.add(number)
            return number


# --- organisations, places, offers, contacts ------------------------------------------------


def _organisation(rng, ref, name, sector, first, last, today, city, kbo) -> Organisation:
    slug = ref.lower()
    return Organisation(
        ref=ref,
        name=name,
        kbo=kbo,
        sector=sector,
        address=f"{rng.choice(STREETS)} {rng.randint(1, 160)}, 9999 {city}",
        contact_name=f"{first} {last}",
        contact_email=f"{first.lower()}@{slug}.example.org",
        contact_phone=f"03 2{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        agreement_signed_on=today - DAY * rng.randint(60, 8 * 365),
        insurance_until=today + DAY * rng.randint(45, 400),
    )


def _insurance_warnings(rng, orgs: list[Organisation], today: datetime.date) -> None:
    """A few expired, a few ending within 30 days, one with no date at all; the partner's too."""
    others = [o for o in orgs if o.ref not in ("ANA", PARTNER_REF)]
    chosen = rng.sample(others, 7)
    for org in chosen[:3]:
        org.insurance_until = today - DAY * rng.randint(3, 120)
    for org in chosen[3:6]:
        org.insurance_until = today + DAY * rng.randint(2, 28)
    chosen[6].insurance_until = None
    chosen[6].agreement_signed_on = None  # a new partner, agreement still being drawn up
    for org in orgs:
        if org.ref == PARTNER_REF:
            org.insurance_until = today + DAY * 21  # the partner sees the reminder too


def _places(rng, org: Organisation) -> list[Place]:
    if org.ref == "ANA":
        return [
            Place(
                organisation=org,
                title=title,
                tasks=tasks,
                hours_per_week=hours,
                requirements=ANA_REQUIREMENTS,
                location=org.address,
                capacity=capacity,
                status=PlaceStatus.FILLED if title == "Metaalatelier" else PlaceStatus.OPEN,
            )
            for title, tasks, hours, capacity in ANA_WORKSHOPS
        ]
    if org.ref == PARTNER_REF:
        return [
            Place(
                organisation=org,
                title=title,
                tasks=tasks,
                hours_per_week=hours,
                requirements=req,
                location=org.address,
                status=status,
            )
            for title, tasks, hours, req, status in ATELIER_PLACES
        ]
    templates = rng.sample(PLACES[org.sector], rng.randint(1, min(3, len(PLACES[org.sector]))))
    return [
        Place(
            organisation=org,
            title=title,
            tasks=tasks,
            hours_per_week=hours + rng.choice([-2, 0, 0, 2, 4]),
            requirements=req,
            location=org.address,
            capacity=rng.choice([1, 1, 1, 2, 3]),
            status=PlaceStatus.OPEN if rng.random() < 0.6 else PlaceStatus.FILLED,
        )
        for title, tasks, hours, req in templates
    ]


def _ensure_organisations(centre, rng, ctx: Context) -> list[Organisation]:
    """Create the organisations the centre does not have yet, with their places and offers."""
    city = centre.name.removeprefix("OCMW ").removeprefix("CPAS ")
    used_kbo: set[str] = set()
    planned = [
        _organisation(rng, *spec, ctx.today, city, make_kbo(rng, used_kbo))
        for spec in ORGANISATIONS
    ]
    _insurance_warnings(rng, planned, ctx.today)
    existing = {o.ref: o for o in Organisation.objects.filter(centre=centre)}
    new = [o for o in planned if o.ref not in existing]
    for org in new:
        org.centre = centre
    bulk.create(Organisation, new)
    bulk.create(Place, [p for org in new for p in _places(rng, org)])
    by_ref = {**existing, **{o.ref: o for o in new}}
    new_refs = {o.ref for o in new}
    bulk.create(
        SupportOffer,
        [
            SupportOffer(
                centre=centre,
                kind=kind,
                name_nl=nl,
                name_fr=fr,
                name_en=en,
                provider=by_ref[ref],
                contact=by_ref[ref].contact_name,
            )
            for ref, kind, nl, fr, en in PARTNER_OFFERS
            if ref in new_refs
        ],
    )
    return [by_ref[ref] for ref, *_ in ORGANISATIONS]


def _link_partner_accounts(centre, ctx: Context, organisation: Organisation) -> None:
    """The partner accounts (the demo's `partner` first) become contacts of Het Atelier."""
    partners = ctx.workers.get(Role.PARTNER, [])
    linked = set(PartnerContact.objects.filter(user__in=partners).values_list("user_id", flat=True))
    bulk.create(
        PartnerContact,
        [PartnerContact(user=u, organisation=organisation) for u in partners if u.pk not in linked],
    )


# --- referrals ---------------------------------------------------------------------------------


def _consents(centre) -> dict[int, list[str]]:
    """Client pk -> the shared-info keys of their latest consent to share (from the balance)."""
    try:
        from opstap.balance.models import SharingConsent
    except ImportError:
        return {}
    rows = (
        SharingConsent.objects.filter(
            balance__centre=centre, balance__sharing_consent_date__isnull=False
        )
        .order_by("balance__client_id", "balance__sharing_consent_date", "balance_id")
        .values_list("balance__client_id", "balance_id", "category")
    )
    latest: dict[int, int] = {}  # client pk -> balance pk of the latest consent
    categories: dict[int, set[str]] = {}
    for client_id, balance_id, category in rows:
        if latest.get(client_id) != balance_id:
            latest[client_id], categories[client_id] = balance_id, set()
        categories[client_id].add(category)
    return {
        pk: [k for k in SharedInfo.values if k in _consented_keys(cats)]
        for pk, cats in categories.items()
    }


def _referrer(members: list[CareTeamMember], day: datetime.date, kind: str):
    """The reference worker on that day; for a place, the activation worker when there is one."""
    active = [
        m for m in members if m.start_date <= day and (m.end_date is None or day <= m.end_date)
    ]
    if kind == "place":
        for member in active:
            if member.role == CareRole.ACTIVATION:
                return member.user
    for member in active:
        if member.role == CareRole.REFERENCE:
            return member.user
    return None


def _status_for(rng, age: int) -> str:
    if age < REFERRAL_ANSWER_DAYS:
        return rng.choices(["requested", "accepted", "refused"], [5, 3, 2])[0]
    return rng.choices(
        ["requested", "accepted", "refused", "started", "ended"], [7, 6, 15, 32, 40]
    )[0]


def _fill_dates(rng, r: Referral, status: str, today: datetime.date) -> None:
    """Set the status and the dates that go with it, never after today."""
    r.status = ReferralStatus.REQUESTED
    age = (today - r.referred_on).days
    if status == ReferralStatus.REQUESTED or age < 1:
        return
    r.answered_on = r.referred_on + DAY * rng.randint(1, min(age, REFERRAL_ANSWER_DAYS - 1))
    if status == ReferralStatus.REFUSED:
        r.status, r.answer_note = ReferralStatus.REFUSED, rng.choice(REFUSE_NOTES)
        return
    r.status, r.answer_note = ReferralStatus.ACCEPTED, rng.choice(ACCEPT_NOTES)
    left = (today - r.answered_on).days
    if status == ReferralStatus.ACCEPTED or left < 1:
        return
    r.status, r.started_on = (
        ReferralStatus.STARTED,
        r.answered_on + DAY * rng.randint(1, min(left, 21)),
    )
    left = (today - r.started_on).days
    if status == ReferralStatus.STARTED or left < 30:
        return
    r.status, r.ended_on = ReferralStatus.ENDED, r.started_on + DAY * rng.randint(30, left)
    r.outcome = rng.choice(OUTCOMES)


class _Referrals:
    """Builds the referral rows; each client is referred at most once to the same target."""

    def __init__(self, rng, ctx: Context, consents: dict[int, list[str]]):
        self.rng, self.ctx, self.consents = rng, ctx, consents
        self.rows: list[Referral] = []
        self.seen: set[tuple] = set()

    def add(self, client: Client, target: Target, status: str, referred_on: datetime.date):
        key = (client.pk, target.organisation, target.place, target.offer)
        referrer = _referrer(self.ctx.care.get(client.pk, []), referred_on, target.kind)
        if key in self.seen or referrer is None:
            return None
        self.seen.add(key)
        shared = self.consents.get(client.pk)
        if shared is None:  # no balance consent: asked when referring, most agree
            shared = ["name", "language"] if self.rng.random() < 0.7 else []
        referral = Referral(
            centre_id=client.centre_id,
            client=client,
            offer=target.offer,
            organisation=target.organisation or (target.offer.provider if target.offer else None),
            place=target.place,
            referred_by=referrer,
            reason=self.rng.choice(REASONS[target.kind]),
            referred_on=referred_on,
            shared_info=shared,
        )
        _fill_dates(self.rng, referral, status, self.ctx.today)
        self.rows.append(referral)
        return referral


def _targets(rng, centre, orgs: list[Organisation]) -> dict[str, list[Target]]:
    places = list(
        Place.objects.filter(organisation__in=orgs).select_related("organisation").order_by("pk")
    )
    offers = list(
        SupportOffer.objects.filter(centre=centre, active=True)
        .select_related("provider")
        .order_by("pk")
    )
    return {
        "place": [Target(organisation=p.organisation, place=p) for p in places],
        "offer": [Target(offer=o) for o in offers],
        "organisation": [Target(organisation=o) for o in orgs if o.active],
    }


def _pick(rng, targets: list[Target], status: str) -> Target:
    """A target; a referral still waiting for an answer points to a place that is still open."""
    if status == ReferralStatus.REQUESTED:
        targets = [t for t in targets if t.place is None or t.place.status == PlaceStatus.OPEN]
    return rng.choice(targets)


def _random_referrals(rng, clients, ctx: Context, targets, build: _Referrals) -> None:
    for client in clients:
        active = ctx.active_right.get(client.pk, False)
        if rng.random() > (0.35 if active else 0.08):
            continue
        first = ctx.first_right[client.pk]
        for _ in range(rng.choice([1, 1, 1, 2])):
            span = (ctx.today - first).days
            if span < 1:
                continue
            age = min(span, int(rng.expovariate(1 / 150)))
            kind = rng.choices(["place", "offer", "organisation"], [45, 40, 15])[0]
            status = _status_for(rng, age)
            build.add(client, _pick(rng, targets[kind], status), status, ctx.today - DAY * age)


def _clients_of(clients, ctx: Context, user) -> list[Client]:
    """Clients whose reference worker today is `user`, in a stable order."""
    return [
        c
        for c in clients
        if any(
            m.user is user and m.role == CareRole.REFERENCE and m.end_date is None
            for m in ctx.care.get(c.pk, [])
        )
    ]


def _waiting_for_social(rng, clients, ctx: Context, targets, build: _Referrals) -> None:
    """The first social worker (the demo account) has referrals waiting for an answer."""
    social = ctx.workers.get(Role.SOCIAL_WORKER, [])
    if not social:
        return
    mine = [c for c in _clients_of(clients, ctx, social[0]) if ctx.first_right[c.pk] < ctx.today]
    for client in rng.sample(mine, min(3, len(mine))):
        span = (ctx.today - ctx.first_right[client.pk]).days
        age = min(span, rng.randint(REFERRAL_ANSWER_DAYS + 2, 45))
        if age < REFERRAL_ANSWER_DAYS:
            continue
        kind = rng.choice(["offer", "organisation"])
        build.add(
            client, rng.choice(targets[kind]), ReferralStatus.REQUESTED, ctx.today - DAY * age
        )


def _for_the_partner(rng, clients, ctx: Context, targets, build: _Referrals) -> None:
    """Het Atelier gets referrals in every status: something to answer, to follow, to read."""
    places = [t for t in targets["place"] if t.organisation.ref == PARTNER_REF]
    plan = [
        (ReferralStatus.REQUESTED, 3),
        (ReferralStatus.REQUESTED, 20),
        (ReferralStatus.REQUESTED, 9),
        (ReferralStatus.ACCEPTED, 12),
        (ReferralStatus.REFUSED, 40),
        (ReferralStatus.STARTED, 70),
        (ReferralStatus.STARTED, 120),
        (ReferralStatus.ENDED, 260),
        (ReferralStatus.ENDED, 400),
    ]
    candidates = [c for c in clients if ctx.active_right.get(c.pk)]
    rng.shuffle(candidates)
    for client in candidates:
        if not plan or not places:
            return
        status, age = plan[0]
        if (ctx.today - ctx.first_right[client.pk]).days < age:
            continue
        target = _pick(rng, places, status)
        referral = build.add(client, target, status, ctx.today - DAY * age)
        if referral is not None and referral.status == status:
            plan.pop(0)
        elif referral is not None:
            build.rows.remove(referral)
            build.seen.discard((client.pk, target.organisation, target.place, target.offer))


@register_step(order=150)
def network(centre, rng, clients, ctx: Context) -> None:
    """Partner organisations, places, partner contacts and referrals in every status."""
    ensure_default_catalogue(centre)
    orgs = _ensure_organisations(centre, rng, ctx)
    partner_org = next(o for o in orgs if o.ref == PARTNER_REF)
    _link_partner_accounts(centre, ctx, partner_org)
    targets = _targets(rng, centre, orgs)
    build = _Referrals(rng, ctx, _consents(centre))
    _for_the_partner(rng, clients, ctx, targets, build)
    _waiting_for_social(rng, clients, ctx, targets, build)
    _random_referrals(rng, clients, ctx, targets, build)
    bulk.create(Referral, build.rows, batch_size=1000)
    ctx.organisations = orgs
    ctx.partner_organisation = partner_org
