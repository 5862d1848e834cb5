from django import template

from opstap.gpmi.selectors import due_for_worker

register = template.Library()


@register.simple_tag(takes_context=True)
def gpmi_due(context, limit: int = 15) -> list:
    """The worker's GPMI deadlines, overdue first, then due within 30 days (start page).

    The start page has read the worker's reference dossiers already (`reference_ids`)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return due_for_worker(request.user, client_ids=context.get("reference_ids"))[:limit]
