from django import template

from opstap.activation.selectors import DueEvaluations, evaluations_due_for

register = template.Library()


@register.simple_tag(takes_context=True)
def evaluations_due(context, limit: int = 10) -> list:
    """The worker's first placement evaluations overdue or due within 30 days (for start
    pages); `.total` counts them all."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return DueEvaluations([], 0)
    return evaluations_due_for(request.user, limit=limit)
