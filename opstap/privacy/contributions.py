"""The documents a subject-access export adds to the records: the PDFs given to the client."""

from __future__ import annotations

from opstap.documents.pdf import render_pdf

from .registry import register_contributor


def balance_synthesis_pdfs(client):
    from opstap.balance.models import Balance
    from opstap.balance.views import synthesis_context

    for balance in Balance.objects.filter(client=client).order_by("pk"):
        context = synthesis_context(balance)
        data = render_pdf("balance/synthesis_pdf.html", context, client.language)
        yield f"balance-{balance.pk}.pdf", data


def gpmi_contract_pdfs(client):
    from opstap.gpmi.models import Gpmi
    from opstap.gpmi.views import _document_context  # the contract renderer's own context

    for gpmi in Gpmi.objects.filter(client=client).order_by("pk"):
        if gpmi.is_exemption:
            continue
        data = render_pdf("gpmi/print_contract.html", _document_context(gpmi), client.language)
        yield f"gpmi-{gpmi.pk}.pdf", data


def register() -> None:
    register_contributor("balance-synthesis", files=balance_synthesis_pdfs)
    register_contributor("gpmi-contract", files=gpmi_contract_pdfs)
