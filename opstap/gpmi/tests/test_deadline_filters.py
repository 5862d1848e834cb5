"""The deadline queries filter "due before a day" in the database: the day bound they use is
exact at month ends, and the rows equal those of the plain definition."""

import datetime
import random

import pytest

from opstap.gpmi import rules
from opstap.gpmi.selectors import deadlines, latest_basis

D = datetime.date


@pytest.mark.parametrize("months", [0, 1, 3, 4, 6, 12])
def test_latest_basis_is_the_last_day_due_before(months):
    day = D(2023, 10, 1)
    while day < D(2025, 4, 1):  # two February ends, a leap year, every month end
        bound = latest_basis(day, months)
        assert rules.add_months(bound, months) < day
        assert rules.add_months(bound + datetime.timedelta(days=1), months) >= day
        day += datetime.timedelta(days=1)


def _expected(centre, day, interval, until):
    """gpmi_missing and evaluation_overdue straight from the definition, row by row."""
    from opstap.clients.models import IncomeRight
    from opstap.gpmi.models import Gpmi, GpmiStatus

    rows = []
    contracts = list(Gpmi.objects.filter(client__centre=centre).prefetch_related("evaluations"))
    covered = {
        g.client_id
        for g in contracts
        if (g.signed_on and g.signed_on <= day)
        or (g.status == GpmiStatus.EXEMPTED and (g.exempted_on is None or g.exempted_on <= day))
    }
    for right in IncomeRight.objects.filter(client__centre=centre, kind="leefloon"):
        active = right.start_date <= day and (right.end_date is None or right.end_date >= day)
        due = rules.conclude_by(right.start_date)
        if active and due < until and right.client_id not in covered:
            rows.append((right.client.ref, "gpmi_missing", due))
    for g in contracts:
        if not (g.signed_on and g.signed_on <= day and g.start_date and g.start_date <= day):
            continue
        if g.end_date and g.end_date < day:
            continue
        past = [e.date for e in g.evaluations.all() if e.date <= day]
        due = rules.add_months(max(past) if past else g.signed_on, interval)
        if due < until:
            rows.append((g.client.ref, "evaluation_overdue", due))
    return sorted(rows, key=lambda r: (r[2], r[0], r[1]))


def test_deadlines_match_the_definition_around_month_ends(centre, build):
    from opstap.clients.models import Client

    rng = random.Random(3)
    for n in range(30):
        start = D(2024, 10, 25) + datetime.timedelta(days=rng.randrange(12))  # around 31 Oct
        person = build.client(f"K{n:02d}", (start, None if rng.random() < 0.8 else D(2025, 3, 1)))
        choice = rng.random()
        if choice < 0.4:
            signed = start + datetime.timedelta(days=rng.randrange(120))
            gpmi = build.contract(person, signed_on=signed, start=signed)
            for _ in range(rng.randrange(3)):
                build.evaluation(gpmi, signed + datetime.timedelta(days=rng.randrange(200)))
        elif choice < 0.5:
            build.exemption(person, start + datetime.timedelta(days=rng.randrange(150)))
    clients = Client.objects.filter(centre=centre)
    for offset in range(60, 260, 3):
        day = D(2024, 10, 25) + datetime.timedelta(days=offset)
        for until in (day, day + datetime.timedelta(days=31)):
            got = deadlines(clients=clients, day=day, interval_months=4, until=until)
            assert [(d.client_ref, d.problem, d.due) for d in got] == _expected(
                centre, day, 4, until
            ), (day, until)
