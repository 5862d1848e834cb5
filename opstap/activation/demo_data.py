"""Demo data: social activation after Antwerp's handbook.

Volunteering clients split 55% finaliteit, 30% mogelijke opstap, 15% opstap; some change place
(a mutation continues the spell), some step up to work experience; work-care (arbeidszorg) in
vzw ANA's workshops; a few art. 60 employments. Past months have approved hours; last month is
left open at the demo partner's organisation (vzw Het Atelier) so the partner can fill it in.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from stdnum import iban as stdnum_iban

from opstap.core.dates import add_months
from opstap.demo.generator import Context, register_step
from opstap.interchange import bulk
from opstap.network.models import Organisation, Place

from .models import (
    ActivationSettings,
    AgreementNote,
    Art60Employment,
    ClientPayment,
    MonthlyHours,
    Placement,
    Status,
)
from .reports import months_between

DAY = datetime.timedelta(days=1)
TRACKS = (["finaliteit", "mogelijke_opstap", "opstap"], [55, 30, 15])
AZ_TRACKS = (["opstap", "mogelijke_opstap", "finaliteit"], [9, 15, 17])
PARTNER_REF = "ATELIER"
ANA_REF = "ANA"
TASKS = [
    "Helpen in de cafetaria van het woonzorgcentrum",
    "Fietsen herstellen in het atelier",
    "Dieren verzorgen en hokken reinigen",
    "Onthaal en telefoon in het buurthuis",
    "Moestuin en kinderboerderij onderhouden",
]
ATTENTION = [
    "Allergie voor huisstof",
    "Op tijd komen: bellen bij ziekte",
    "Rustig werktempo, korte pauzes",
    "",
]


def demo_iban(rng) -> str:
    """A valid, invented Belgian IBAN (bank code 096)."""
    first = f"096{rng.randrange(10**7):07d}"
    check = int(first) % 97 or 97
    bban = f"{first}{check:02d}"
    return f"BE{stdnum_iban.calc_check_digits('BE00' + bban)}{bban}"


class _Builder:
    def __init__(self, centre, rng, today):
        self.centre, self.rng, self.today = centre, rng, today
        self.placements: list[Placement] = []
        self.links: list[tuple[int, int]] = []  # (index of next, index of previous)
        self.n = 0

    def add(self, client, org, place, kind, track, start, end=None, reason="") -> int:
        self.n += 1
        status = Status.ENDED if end else Status.ACTIVE
        if start > self.today:
            status = Status.AGREEMENT
        self.placements.append(
            Placement(
                centre=self.centre,
                ref=f"PL{self.n:05d}",
                client=client,
                organisation=org,
                place=place,
                kind=kind,
                track=track,
                start=start,
                end=end,
                end_reason=reason,
                status=status,
                weekly_hours=Decimal(self.rng.choice([4, 6, 8, 12, 16, 19])),
            )
        )
        return len(self.placements) - 1

    def spell(self, client, orgs, places, kind, track, start) -> None:
        """One spell: one or two placements (a mutation), open or ended."""
        rng, today = self.rng, self.today
        org = rng.choice(orgs)
        length = rng.randint(60, 900)
        end = start + DAY * length
        ended = end < today and rng.random() < 0.6
        if rng.random() < 0.15 and start + DAY * 60 < today:  # a mutation to another place
            cut = start + DAY * rng.randint(30, min(length - 1, (today - start).days - 1))
            first = self.add(
                client,
                org,
                rng.choice(places.get(org.pk, [None])),
                kind,
                track,
                start,
                cut,
                "mutation",
            )
            org = rng.choice(orgs)
            second = self.add(
                client,
                org,
                rng.choice(places.get(org.pk, [None])),
                kind,
                track,
                cut + DAY,
                end if ended else None,
                self._reason(track) if ended else "",
            )
            self.links.append((second, first))
            return
        self.add(
            client,
            org,
            rng.choice(places.get(org.pk, [None])),
            kind,
            track,
            start,
            end if ended else None,
            self._reason(track) if ended else "",
        )

    def _reason(self, track: str) -> str:
        if track == "opstap" and self.rng.random() < 0.6:
            return "step_up"
        return self.rng.choices(["completed", "dropout", "moved", "other"], [4, 3, 1, 1])[0]


@register_step(order=160)
def activation(centre, rng, clients, ctx: Context) -> None:
    """Placements, agreement notes, monthly hours, payment details and art. 60 employments."""
    today = ctx.today
    ActivationSettings.objects.update_or_create(
        centre=centre,
        defaults={
            "debtor_name": centre.name[:70],
            "debtor_iban": "BE62510007547061",
            "debtor_bic": "GKCCBEBB",
        },
    )
    orgs = list(Organisation.objects.filter(centre=centre, active=True).order_by("ref"))
    if not orgs or not clients:
        return
    places: dict[int, list] = {}
    for place in Place.objects.filter(organisation__in=orgs).order_by("pk"):
        places.setdefault(place.organisation_id, []).append(place)
    partner = next((o for o in orgs if o.ref == PARTNER_REF), orgs[0])
    ana = next((o for o in orgs if o.ref == ANA_REF), orgs[-1])
    volunteer_orgs = [o for o in orgs if o.pk != ana.pk]
    b = _Builder(centre, rng, today)
    pool = sorted(clients, key=lambda c: c.pk)
    rng.shuffle(pool)
    n = max(6, len(pool) // 6)
    volunteers, workcare = pool[:n], pool[n : n + max(3, n // 4)]
    art60 = pool[n + max(3, n // 4) : n + max(3, n // 4) + max(2, n // 12)]
    earliest = today - DAY * 365 * max(ctx.years, 1)
    for client in volunteers:
        track = rng.choices(*TRACKS)[0]
        start = earliest + DAY * rng.randint(0, max(1, (today - earliest).days - 30))
        b.spell(client, volunteer_orgs, places, "volunteering", track, start)
    for client in workcare:
        track = rng.choices(*AZ_TRACKS)[0]
        start = earliest + DAY * rng.randint(0, max(1, (today - earliest).days - 30))
        b.spell(client, [ana], places, "arbeidszorg", track, start)
    for client in art60:
        start = today - DAY * rng.randint(60, 500)
        b.add(client, rng.choice(orgs), None, "art60", "", start)
    # The demo partner always has running placements with last month open to fill in.
    for client in pool[:3]:
        b.add(
            client,
            partner,
            rng.choice(places.get(partner.pk, [None])),
            "volunteering",
            rng.choices(*TRACKS)[0],
            today - DAY * rng.randint(90, 400),
        )
    bulk.create(Placement, b.placements, batch_size=1000)
    for nxt, prev in b.links:
        b.placements[nxt].previous = b.placements[prev]
        b.placements[nxt].mutation_by = rng.choice(["client", "organisation", "centre"])
    bulk.update(Placement, [b.placements[i] for i, _ in b.links], ["previous", "mutation_by"])
    _details(rng, b.placements, today, partner)


def _details(rng, placements: list[Placement], today: datetime.date, partner) -> None:
    notes, hours, payments, employments = [], [], {}, []
    last_month = (today.replace(day=1) - DAY).replace(day=1)
    for p in placements:
        if p.start > today:
            continue
        notes.append(
            AgreementNote(
                placement=p,
                tasks=rng.choice(TASKS),
                schedule="Dinsdag en donderdag 9u–12u",
                hours_buildup="Eerste maand 4 uur per week, daarna 8",
                attention_points=rng.choice(ATTENTION),
                signed_on=p.start,
            )
        )
        if p.kind == "art60":
            employments.append(
                Art60Employment(
                    placement=p,
                    planned_end=add_months(p.start, 18),
                    regime="full_time",
                    days_required=468,
                    days_worked=min(468, (today - p.start).days * 5 // 7),
                )
            )
            continue
        payments.setdefault(p.client_id, ClientPayment(client_id=p.client_id, iban=demo_iban(rng)))
        last = min(p.end or today, today)
        for first, _end in months_between(p.start, last)[-18:]:
            if first >= today.replace(day=1):
                continue
            if first == last_month and p.organisation_id == partner.pk:
                continue  # open for the demo partner to fill in
            weeks = Decimal(rng.choice([3, 4, 4, 4]))
            hours.append(
                MonthlyHours(
                    placement=p,
                    month=first,
                    hours=((p.weekly_hours or Decimal(8)) * weeks).quantize(Decimal("0.01")),
                    transport_eur=Decimal(rng.choice([0, 0, 12, 49])),
                    clothing_eur=Decimal(rng.choice([0] * 9 + [25])),
                    status="submitted" if first == last_month else "approved",
                )
            )
    bulk.create(AgreementNote, notes, batch_size=1000)
    bulk.create(Art60Employment, employments)
    existing = set(
        ClientPayment.objects.filter(client_id__in=payments).values_list("client_id", flat=True)
    )
    bulk.create(ClientPayment, [v for k, v in payments.items() if k not in existing])
    bulk.create(MonthlyHours, hours, batch_size=2000)
