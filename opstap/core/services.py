"""Centre set-up: a new centre gets every app's default catalogues in one step."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .audit import log_action
from .models import Centre

_initialisers: list[Callable] = []


def register_centre_initialiser(fn: Callable) -> Callable:
    """fn(centre) fills a centre's defaults (catalogues, templates); it must be safe to repeat."""
    if fn not in _initialisers:
        _initialisers.append(fn)
    return fn


def centre_initialise(centre: Centre) -> None:
    """Give a centre every registered default it does not have yet."""
    for fn in _initialisers:
        fn(centre)


@transaction.atomic
def centre_create(*, code: str, name: str, actor=None) -> Centre:
    """Create a centre with its default catalogues."""
    centre = Centre(code=code, name=name)
    centre.full_clean()
    centre.save()
    centre_initialise(centre)
    log_action(actor=actor, action="centre.created", obj=centre, centre=centre)
    return centre
