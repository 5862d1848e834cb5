"""The client timeline: each capability registers a provider of events for one client.

A provider runs a fixed number of queries, so the timeline stays bounded whatever its length.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_providers: list[Callable] = []

# What the timeline filter shows for each kind of event.
KIND_LABELS = {
    "dossier": _("Dossier"),
    "right": _("Income rights"),
    "care": _("Care team"),
    "journal": _("Journal"),
    "appointment": _("Appointments"),
    "balance": _("Balance"),
    "trajectory": _("Trajectories"),
    "ladder": _("Activation ladder"),
    "referral": _("Referrals"),
    "gpmi": _("GPMI"),
    "placement": pgettext_lazy("timeline", "Activation"),
    "module": _("Modules"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime.datetime | datetime.date
    kind: str  # short code, used for the icon and the filter: "journal", "right", ...
    title: str
    detail: str = ""
    url: str = ""
    author: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return self.when.replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.min)


def register(provider: Callable) -> Callable:
    """Decorator: provider(client, user) -> iterable of TimelineEvent."""
    _providers.append(provider)
    return provider


def events_for(client, user) -> list[TimelineEvent]:
    events = [event for provider in _providers for event in provider(client, user)]
    return sorted(events, key=lambda e: e.sort_key, reverse=True)
