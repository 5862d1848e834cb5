"""What a subject-access export contains: every record that refers to one client.

By default the export walks the client's reverse relations generically (every model with a
foreign key to Client, and the models that hang from those, one level further), so a new app's
records are included without anything to do. An app adds what the walk cannot find (a record
linked through another path, a generated document) with a contributor:

    from opstap.privacy.registry import register_contributor

    def gpmi_pdfs(client):  # yields (file name, bytes)
        ...

    register_contributor("gpmi-pdfs", files=gpmi_pdfs)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contributor:
    key: str
    records: Callable | None = None  # records(client) -> {"name": [dict, ...]}
    files: Callable | None = None  # files(client) -> iterable of (file name, bytes)


CONTRIBUTORS: dict[str, Contributor] = {}


def register_contributor(key: str, *, records=None, files=None) -> None:
    CONTRIBUTORS[key] = Contributor(key, records, files)


def contributors() -> Iterable[Contributor]:
    return list(CONTRIBUTORS.values())
