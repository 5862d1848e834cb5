"""From a week schedule to sessions: pure functions, no database.

Week 1 starts on the edition's start date; week n starts 7 × (n − 1) days later. A phase of
`days_per_week` days holds ceil(days_per_week) sessions each week (1.5 days = a day and a half
day = two sessions), spread over that week's working days (weekends are skipped). A phase's
hours are shared out over its sessions to the minute, so the sessions add up to the phase's
hours exactly.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

# Which of a week's five working days hold its sessions, for 1 to 5 sessions a week.
SPREAD = {1: (0,), 2: (0, 2), 3: (0, 2, 4), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    weeks: int
    hours: Decimal
    days_per_week: Decimal
    label: str = ""


@dataclass(frozen=True)
class PlannedSession:
    phase_index: int
    kind: str
    week: int
    date: datetime.date
    minutes: int


def sessions_per_week(days_per_week) -> int:
    return max(1, min(5, math.ceil(Decimal(str(days_per_week)))))


def working_days(week_start: datetime.date) -> list[datetime.date]:
    """The five working days from a week's first day on, weekends skipped."""
    days, day = [], week_start
    while len(days) < 5:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def split_minutes(total: int, parts: int) -> list[int]:
    """`total` minutes over `parts` sessions, the first ones one minute longer when needed."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def plan_sessions(start: datetime.date, phases: list[PhaseSpec]) -> list[PlannedSession]:
    planned: list[PlannedSession] = []
    week = 1
    for index, phase in enumerate(phases):
        per_week = sessions_per_week(phase.days_per_week)
        count = per_week * phase.weeks
        minutes = split_minutes(round(Decimal(str(phase.hours)) * 60), count)
        n = 0
        for _ in range(phase.weeks):
            days = working_days(start + datetime.timedelta(weeks=week - 1))
            for slot in SPREAD[per_week]:
                planned.append(PlannedSession(index, phase.kind, week, days[slot], minutes[n]))
                n += 1
            week += 1
    return planned


def total_weeks(phases: list[PhaseSpec]) -> int:
    return sum(p.weeks for p in phases)


def end_date(start: datetime.date, phases: list[PhaseSpec]) -> datetime.date:
    """The last working day of the schedule's last week."""
    weeks = total_weeks(phases)
    if not weeks:
        return start
    return working_days(start + datetime.timedelta(weeks=weeks - 1))[-1]


# The Bruges modules' schedules (seed 003): (kind, weeks, hours, days per week, title).
BRUGES_SCHEDULES: dict[str, list[PhaseSpec]] = {
    "uitstraling": [
        PhaseSpec("info", 1, Decimal("2"), Decimal("1"), "Infosessie"),
        PhaseSpec("group", 10, Decimal("30"), Decimal("1"), "Educatieve workshops"),
    ],
    "boost": [
        PhaseSpec("info", 2, Decimal("6"), Decimal("1"), "Infosessie en kennismaking"),
        PhaseSpec("group", 8, Decimal("24"), Decimal("1"), "Educatieve workshops"),
        PhaseSpec("closing", 1, Decimal("3"), Decimal("1"), "Evaluatie en afsluitmoment"),
    ],
    "zindering": [
        PhaseSpec("group", 44, Decimal("132"), Decimal("1"), "Ontmoeting en workshops"),
    ],
    "switch": [
        PhaseSpec("info", 1, Decimal("3"), Decimal("1"), "Infosessie"),
        PhaseSpec("group", 8, Decimal("72"), Decimal("1.5"), "Collectieve modules"),
        PhaseSpec("closing", 1, Decimal("3"), Decimal("1"), "Individueel stappenplan"),
    ],
    "taalent": [
        PhaseSpec("group", 7, Decimal("60"), Decimal("3"), "Vorming in groep"),
        PhaseSpec("individual", 1, Decimal("7.5"), Decimal("1"), "Individuele begeleiding"),
        PhaseSpec("group", 5, Decimal("45"), Decimal("3"), "Vorming in groep"),
        PhaseSpec("individual", 1, Decimal("7.5"), Decimal("1"), "Individuele begeleiding"),
        PhaseSpec("internship", 3, Decimal("60"), Decimal("4"), "Stage"),
        PhaseSpec("closing", 1, Decimal("3"), Decimal("1"), "Afsluitmoment"),
    ],
}
