"""The client timeline: each capability registers a provider of events for one client.

A provider runs a fixed number of queries, so the timeline stays bounded whatever its length.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

_providers: list[Callable] = []


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
