"""Shared PDF rendering: a Django template, rendered in the recipient's language, to A4 PDF."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def document_language(language: str | None) -> str:
    """The language a document is printed in: the asked one when Opstap speaks it, else Dutch."""
    code = (language or "").lower()[:2]
    available = {code for code, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def render_html(template_name: str, context: dict, language: str | None) -> str:
    """The document's HTML, rendered inside translation.override(language)."""
    lang = document_language(language)
    with translation.override(lang):
        return render_to_string(template_name, {**context, "document_language": lang})


def render_pdf(template_name: str, context: dict, language: str | None) -> bytes:
    """The document as PDF bytes. Templates extend "documents/base_print.html"."""
    from weasyprint import HTML  # imported here: it is slow to load and only needed for PDFs

    html = render_html(template_name, context, language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
