"""The start page's card rows (opstap.core.start_rows) as filters."""

from django import template

from opstap.core import start_rows

register = template.Library()

register.filter("appointment_rows", start_rows.appointment_rows)
register.filter("step_rows", start_rows.step_rows)
register.filter("deadline_rows", start_rows.deadline_rows)
register.filter("referral_rows", start_rows.referral_rows)
register.filter("evaluation_rows", start_rows.evaluation_rows)
register.filter("hours_rows", start_rows.hours_rows)
register.filter("absence_rows", start_rows.absence_rows)


@register.simple_tag(takes_context=True)
def team_rows(context, loads):
    """The team table's rows; the worker being rebalanced, if the page has one, marked."""
    return start_rows.team_rows(loads, context.get("worker"))
