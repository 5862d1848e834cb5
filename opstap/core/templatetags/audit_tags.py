"""`{{ entry.action|action_label }}`: the words a person reads for an audit action code."""

from django import template

from opstap.core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)
