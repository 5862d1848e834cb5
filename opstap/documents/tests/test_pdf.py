import shutil
import subprocess

import pytest

from opstap.documents.pdf import document_language, pdf_response, render_html, render_pdf


@pytest.mark.parametrize(
    ("asked", "used"), [("fr", "fr"), ("EN", "en"), ("nl", "nl"), ("ar", "nl"), ("", "nl")]
)
def test_document_language_falls_back_to_dutch(asked, used, settings):
    settings.LANGUAGE_CODE = "nl"  # the site default, as in config/settings.py
    assert document_language(asked) == used


def test_render_html_runs_in_the_documents_language():
    html = render_html("documents/base_print.html", {"centre_name": "OCMW Gent"}, "fr")
    assert '<html lang="fr">' in html
    assert "size: A4" in html and "DejaVu Sans" in html
    assert "counter(page)" in html


def test_render_pdf_makes_a_pdf_with_the_centre_name():
    data = render_pdf("documents/base_print.html", {"centre_name": "OCMW Gent"}, "en")
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout
        assert b"OCMW Gent" in text


def test_pdf_response_headers():
    response = pdf_response(b"%PDF-1.7", "x.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="x.pdf"'
