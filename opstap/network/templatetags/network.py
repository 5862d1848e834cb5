from django import template

from opstap.network.selectors import referrals_waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def referrals_waiting(context, limit: int = 10) -> list:
    """The current worker's referrals without an answer for 14 days or more (for start pages)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return list(referrals_waiting_for(request.user)[:limit])
