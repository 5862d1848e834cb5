from django import template

from opstap.network.selectors import first_referrals_waiting

register = template.Library()


@register.simple_tag(takes_context=True)
def referrals_waiting(context) -> list:
    """The current worker's first ten referrals without an answer for 14 days or more (for
    start pages)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return first_referrals_waiting(request.user)
