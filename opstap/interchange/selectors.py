from django.http import Http404

from opstap.accounts.roles import Role

from .models import ImportRun


def require_admin(user) -> None:
    """Import and export are for the centre's administrators; others get "not found"."""
    if not (user.is_authenticated and user.has_role(Role.ADMIN)):
        raise Http404


def import_run_list_for(*, user, limit: int = 10):
    require_admin(user)
    return ImportRun.objects.filter(centre=user.centre).select_related("actor")[:limit]


def import_run_get_for(*, user, pk: int) -> ImportRun:
    require_admin(user)
    run = ImportRun.objects.filter(centre=user.centre, pk=pk).select_related("actor").first()
    if run is None:
        raise Http404
    return run
