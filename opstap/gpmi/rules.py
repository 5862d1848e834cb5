"""The date rules of the GPMI (law of 21 July 2016, art. 30 §2), as plain functions.

No database access here: the services, selectors and tests call them with dates.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opstap.core.dates import add_months

from .models import CONCLUDE_WITHIN_MONTHS, REFLECTION_DAYS, SanctionDecision

# Suspension limits in months: a first one, and a repeat within 12 months.
MAX_SUSPENSION_MONTHS = 1
MAX_REPEAT_SUSPENSION_MONTHS = 3
REPEAT_WINDOW_MONTHS = 12
# An active contract needs at least this many in-person evaluations per calendar year.
MIN_IN_PERSON_PER_YEAR = 2


def conclude_by(right_start: datetime.date) -> datetime.date:
    """The day by which a GPMI must be signed: 3 months after the decision."""
    return add_months(right_start, CONCLUDE_WITHIN_MONTHS)


def reflection_ends(proposed_on: datetime.date) -> datetime.date:
    """The first day the client may sign without a recorded reason (5 calendar days later)."""
    return proposed_on + datetime.timedelta(days=REFLECTION_DAYS)


def next_evaluation_due(
    *,
    signed_on: datetime.date,
    evaluation_dates: list[datetime.date],
    interval_months: int,
    day: datetime.date,
) -> datetime.date:
    """The last evaluation on or before `day` (else the signature) plus the interval."""
    past = [d for d in evaluation_dates if d <= day]
    return add_months(max(past) if past else signed_on, interval_months)


def active_on(start: datetime.date | None, end: datetime.date | None, day: datetime.date) -> bool:
    return start is not None and start <= day and (end is None or day <= end)


def check_duration(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


def check_signature(
    *,
    proposed_on: datetime.date | None,
    signed_on: datetime.date,
    centre_signed_on: datetime.date,
    committee_decision_on: datetime.date,
    early_signature_reason: str,
    today: datetime.date,
) -> None:
    """Signing respects the reflection period unless a reason is recorded; no future dates."""
    errors: dict[str, str] = {}
    for field, value in (
        ("signed_on", signed_on),
        ("centre_signed_on", centre_signed_on),
        ("committee_decision_on", committee_decision_on),
    ):
        if value > today:
            errors[field] = _("This date is in the future.")
    if proposed_on and signed_on < proposed_on:
        errors.setdefault("signed_on", _("The client cannot sign before the proposal."))
    elif (
        proposed_on
        and signed_on < reflection_ends(proposed_on)
        and not early_signature_reason.strip()
    ):
        errors["early_signature_reason"] = _(
            "The client has 5 calendar days to reflect (until %(day)s). To sign earlier, record "
            "the reason."
        ) % {"day": reflection_ends(proposed_on).strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)


def suspension_limit(decided_on: datetime.date, earlier_decisions: list[datetime.date]) -> int:
    """The maximum suspension in months: 3 when repeated within 12 months, else 1."""
    window_start = add_months(decided_on, -REPEAT_WINDOW_MONTHS)
    repeated = any(window_start <= d <= decided_on for d in earlier_decisions)
    return MAX_REPEAT_SUSPENSION_MONTHS if repeated else MAX_SUSPENSION_MONTHS


def check_sanction_decision(
    *,
    decision: str,
    decided_on: datetime.date,
    warning_on: datetime.date,
    hearing_on: datetime.date | None,
    reason: str,
    suspension_start: datetime.date | None,
    suspension_end: datetime.date | None,
    partial_percent: int | None,
    earlier_decisions: list[datetime.date],
) -> None:
    """A decision after the warning (and hearing), with a reason, within the legal maximum."""
    errors: dict[str, str] = {}
    if decision not in SanctionDecision.values:
        errors["decision"] = _("Choose a decision.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the decision.")
    if decided_on < warning_on or (hearing_on and decided_on < hearing_on):
        errors["decided_on"] = _("The decision comes after the warning and the hearing.")
    if decision in (SanctionDecision.FULL, SanctionDecision.PARTIAL):
        if suspension_start is None:
            errors["suspension_start"] = _("Give the first day of the suspension.")
        if suspension_end is None:
            errors["suspension_end"] = _("Give the last day of the suspension.")
        if suspension_start and suspension_end:
            months = suspension_limit(decided_on, earlier_decisions)
            last_allowed = add_months(suspension_start, months) - datetime.timedelta(days=1)
            if suspension_end < suspension_start:
                errors["suspension_end"] = _("The suspension cannot end before it starts.")
            elif suspension_end > last_allowed:
                if months == MAX_SUSPENSION_MONTHS:
                    message = _("A suspension lasts at most 1 month (until %(day)s at the latest).")
                else:
                    message = _(
                        "A repeated suspension within 12 months lasts at most 3 months (until "
                        "%(day)s at the latest)."
                    )
                errors["suspension_end"] = message % {"day": last_allowed.strftime("%d/%m/%Y")}
        if decision == SanctionDecision.PARTIAL and not (
            partial_percent and 1 <= partial_percent <= 99
        ):
            errors["partial_percent"] = _("A partial suspension is between 1 and 99 percent.")
    if errors:
        raise ValidationError(errors)


def years_short_of_in_person(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    in_person_dates: list[datetime.date],
    today: datetime.date,
) -> list[int]:
    """Calendar years of the running contract, up to this year, with fewer than 2 in-person
    evaluations. The current year counts too: the warning says what still has to happen."""
    if start is None or start > today:
        return []
    last = min(end, today) if end else today
    per_year: dict[int, int] = {}
    for d in in_person_dates:
        per_year[d.year] = per_year.get(d.year, 0) + 1
    return [
        year
        for year in range(start.year, last.year + 1)
        if per_year.get(year, 0) < MIN_IN_PERSON_PER_YEAR
    ]
