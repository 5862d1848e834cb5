"""The start page's card rows written in Python (fix 84): the same HTML as the template loops
they replace (`tests/test_start_rows.py` renders both), at a fraction of the cost.

A social worker's start page draws up to about seventy rows: appointments, GPMI steps and
deadlines, evaluations, referrals, hours and absences. Each row in a template loop resolved
a dozen variables, formatted dates through Django's date formatter and translated its words
again: about a tenth of a millisecond a row, and the part of the page that grows with the
caseload. Here a row is one f-string; the words are translated once per card.
"""

from __future__ import annotations

import datetime

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, pgettext

from .escaping import escaped, shown
from .links import pk_url


def _separator() -> str:
    return escaped(pgettext("label separator", ":"))


def day_month_year(value) -> str:
    """`value|date:"d/m/Y"`."""
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _due(day: datetime.date, overdue: bool) -> str:
    """ "overdue since d/m/Y" (in bold) or "due d/m/Y", as the cards' blocktranslate wrote it."""
    shown = escaped(day_month_year(day))
    if overdue:
        return "<strong>" + gettext("overdue since %(day)s") % {"day": shown} + "</strong>"
    return gettext("due %(day)s") % {"day": shown}


def _due_evaluation(day: datetime.date, overdue: bool) -> str:
    """The same for the evaluations' card, whose words are their own messages."""
    shown = escaped(day_month_year(day))
    if overdue:
        return (
            '<span class="badge warn">' + gettext("overdue since %(d)s") % {"d": shown} + "</span>"
        )
    return gettext("due %(d)s") % {"d": shown}


def _rows(rows, between: str = "\n      ") -> SafeString:
    return mark_safe(between.join(rows))


def _row(url: str, name, separator: str, rest: str) -> str:
    """`<li><a href="url">name</a>: rest</li>`, the shape of every card's row but the
    appointments'; `rest` is HTML already."""
    return f'<li><a href="{url}">{escaped(name)}</a>{separator} {rest}</li>'


def appointment_rows(appointments, with_day: bool = False) -> SafeString:
    """The "Today" (`H:i`) and "Later this week" (`D d/m H:i`) cards' rows."""
    separator = _separator()
    rows = []
    for appointment in appointments:
        moment = template_localtime(appointment.starts_at)
        time = f"{moment.hour:02d}:{moment.minute:02d}"
        if with_day:
            weekday = escaped(WEEKDAYS_ABBR[moment.weekday()])
            time = f"{weekday} {moment.day:02d}/{moment.month:02d} {time}"
        rows.append(
            f'<li><time datetime="{escaped(moment.isoformat())}">{time}</time> —\n'
            f'        <a href="{pk_url("clients:detail", appointment.client_id)}">'
            f"{escaped(appointment.client.full_name)}</a>{separator} "
            f"{escaped(appointment.subject)}</li>"
        )
    return _rows(rows)


def step_rows(steps) -> SafeString:
    """The "GPMI steps due" card's rows."""
    separator = _separator()
    return _rows(
        _row(
            pk_url("gpmi:client", step.client_id),
            step.client_name,
            separator,
            f"{escaped(Truncator(step.text).chars(80))} · {_due(step.due, step.overdue)}",
        )
        for step in steps
    )


def deadline_rows(deadlines) -> SafeString:
    """The "GPMI due and overdue" card's rows."""
    separator = _separator()
    to_sign, evaluation = escaped(gettext("GPMI to sign")), escaped(gettext("GPMI evaluation"))
    return _rows(
        (
            _row(
                pk_url("gpmi:client", d.client_id),
                d.client_name,
                separator,
                f"{to_sign if d.problem == 'gpmi_missing' else evaluation} · "
                f"{_due(d.due, d.overdue)}",
            )
            for d in deadlines
        ),
        "\n    ",
    )


def referral_rows(referrals) -> SafeString:
    """The "Referrals without answer" card's rows."""
    separator = _separator()
    return _rows(
        _row(
            pk_url("network:client-referrals", r.client_id),
            r.client.full_name,
            separator,
            f"{escaped(r.target_label)} · "
            + gettext("since %(d)s") % {"d": escaped(day_month_year(r.referred_on))},
        )
        for r in referrals
    )


def evaluation_rows(evaluations) -> SafeString:
    """The "Placement evaluations due" card's rows."""
    separator = _separator()
    return _rows(
        _row(
            f"{pk_url('activation:evaluation', due.placement.pk)}?due="
            f"{due.due_on.year:04d}-{due.due_on.month:02d}-{due.due_on.day:02d}",
            due.placement.client.full_name,
            separator,
            f"{escaped(due.placement.organisation.name)} · "
            f"{_due_evaluation(due.due_on, due.overdue)}",
        )
        for due in evaluations
    )


def hours_rows(missing) -> SafeString:
    """The "Placements without hours last month" card's rows."""
    separator = _separator()
    return _rows(
        _row(
            pk_url("activation:client", h.client_id),
            h.client_name,
            separator,
            f"{escaped(h.organisation)} · {h.month.month:02d}/{h.month.year:04d}",
        )
        for h in missing
    )


def absence_rows(absences) -> SafeString:
    """The "Absences without reason" card's rows."""
    separator = _separator()
    return _rows(
        _row(
            pk_url("courses:client-modules", a.client_id),
            a.client_name,
            separator,
            f"{escaped(a.module)} · {day_month_year(a.day)}",
        )
        for a in absences
    )


def team_rows(loads, worker=None) -> SafeString:
    """The head's team table's rows (start page and the team page): dossiers and what is
    overdue per worker; `worker`, the one being rebalanced on the team page, is marked."""
    team = escaped(pk_url("dashboards:team"))
    current = worker.pk if worker else None
    rows = []
    for load in loads:
        person = load.worker
        mark = ' aria-current="true"' if worker and current == person.pk else ""
        overdue = load.overdue
        overdue = f'<span class="badge warn">{shown(overdue)}</span>' if overdue else "0"
        rows.append(
            f"<tr{mark}>\n"
            f'    <th scope="row"><a href="{team}?worker={shown(person.pk)}">'
            f"{escaped(person.get_full_name() or person.username)}</a></th>\n"
            f'    <td class="num">{shown(load.dossiers)}</td><td class="num">'
            f'{shown(load.gpmi_overdue)}</td><td class="num">{shown(load.steps_overdue)}</td>'
            f'<td class="num">{shown(load.referrals_waiting)}</td>\n'
            f'    <td class="num">{overdue}</td></tr>'
        )
    return _rows(rows, "\n  ")
