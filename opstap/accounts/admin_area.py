"""The administration home: other apps add links to their catalogue pages here.

from opstap.accounts.admin_area import register_catalogue
register_catalogue(_("Support catalogue"), "network:catalogue", order=20)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class CatalogueLink:
    label: str
    url_name: str
    order: int
    help_text: str = ""


CATALOGUES: list[CatalogueLink] = []


def register_catalogue(label, url_name: str, order: int = 50, help_text="") -> None:
    """Show a link to a catalogue page on the administration home (once per url_name)."""
    if not any(c.url_name == url_name for c in CATALOGUES):
        CATALOGUES.append(CatalogueLink(label, url_name, order, help_text))


def catalogue_links() -> list[dict]:
    links = []
    for item in sorted(CATALOGUES, key=lambda c: (c.order, str(c.label))):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": item.label, "url": url, "help_text": item.help_text})
    return links
