"""The client dossier: each capability adds a section (tab) and facts for the header."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .links import pk_url


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str  # takes the client's pk
    order: int


SECTIONS: list[Section] = []
HEADER_FACTS: list[Callable] = []
T = TypeVar("T")


def add_section(key: str, label, url_name: str, order: int) -> None:
    if not any(s.key == key for s in SECTIONS):
        SECTIONS.append(Section(key, label, url_name, order))


def add_header_fact(provider: Callable) -> Callable:
    """provider(client) -> list of (label, value) shown in the dossier header."""
    HEADER_FACTS.append(provider)
    return provider


def sections_for(client, active_key: str) -> list[dict]:
    return [
        {
            "label": s.label,
            "url": pk_url(s.url_name, client.pk),
            "active": s.key == active_key,
        }
        for s in sorted(SECTIONS, key=lambda s: s.order)
    ]


def header_facts_for(client) -> list[tuple]:
    return [fact for provider in HEADER_FACTS for fact in provider(client)]


def shared_read(client, key: str, load: Callable[[], T]) -> T:
    """Read something about the client once per request, for every part of the dossier.

    The header facts, a tab and the timeline all show the client's rights, care team,
    balances, contracts and placements. Each is a short list; the first part that needs it
    reads it and the others take it from the client instance, which lives for one request.
    """
    reads = client.__dict__.setdefault("_dossier_reads", {})
    if key not in reads:
        reads[key] = load()
    return reads[key]


def client_rows(read, client, *args) -> list:
    """The rows of a PreparedRead by client id (and args), each pointing back to the client."""
    rows = read.list(client.pk, *args)
    for row in rows:
        row.client = client
    return rows
