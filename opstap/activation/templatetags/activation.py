from django import template

from opstap.activation.selectors import evaluations_due_for

register = template.Library()


@register.simple_tag(takes_context=True)
def evaluations_due(context, limit: int = 10) -> list:
    """The worker's placement evaluations overdue or due within 30 days (for start pages)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return evaluations_due_for(request.user)[:limit]
