from django.http import HttpRequest

from .navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .notifications import unread_count

    return {
        "nav_items": items_for(user, request.path),
        "centre": getattr(request, "centre", None),
        "unread_notifications": unread_count(user),
    }
