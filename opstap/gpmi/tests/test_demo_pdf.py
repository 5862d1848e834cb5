"""The demo step and the contract documents."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from opstap.clients.models import IncomeRight
from opstap.demo.generator import generate_centre
from opstap.gpmi import services
from opstap.gpmi.models import Gpmi, GpmiStatus, Priority
from opstap.reports.registry import run

D = datetime.date
TODAY = D(2025, 3, 14)


@pytest.mark.django_db
def test_demo_has_signed_missing_and_exempted_contracts():
    centre = generate_centre("ocmwg", "OCMW G", clients=120, seed=3, today=TODAY).centre
    older = set(
        IncomeRight.objects.filter(
            client__centre=centre, kind="leefloon", start_date__lt=D(2024, 12, 14), end_date=None
        ).values_list("client_id", flat=True)
    )
    contracts = Gpmi.objects.filter(centre=centre)
    signed = set(contracts.exclude(signed_on=None).values_list("client_id", flat=True))
    exempted = contracts.filter(status=GpmiStatus.EXEMPTED)
    assert older and len(signed & older) > len(older) / 2
    assert exempted.exists()
    assert contracts.filter(goals__steps__isnull=False).exists()
    assert contracts.filter(evaluations__isnull=False).exists()
    result = run("gpmi-deadlines", centre=centre, user=None, raw_params={"date": TODAY})
    problems = {row["problem"] for row in result["rows"]}
    assert problems == {"gpmi_missing", "evaluation_overdue"}


@time_machine.travel(D(2025, 3, 20), tick=False)
@pytest.mark.parametrize(
    "language,title,summary",
    [
        ("nl", "GPMI", None),
        ("fr", None, None),
        ("en", "Individualised project for social integration", "Your plan in short"),
    ],
)
def test_contract_and_summary_pdf_render(
    as_alice, alice, client_record, domains, language, title, summary
):
    from opstap.documents.pdf import render_html

    client_record.language = language
    client_record.save()
    gpmi = services.gpmi_create(
        actor=alice,
        client=client_record,
        priorities=list(Priority.objects.filter(domain__code="work")[:1]),
        drafted_on=D(2025, 2, 1),
    )
    services.third_party_add(
        actor=alice,
        gpmi=gpmi,
        expected_version=gpmi.version,
        name="Jan Jobcoach",
        organisation="VDAB",
    )
    base = [client_record.pk, gpmi.pk]
    for name in ("gpmi:pdf", "gpmi:summary-pdf"):
        response = as_alice.get(reverse(name, args=base))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    from opstap.gpmi.views import _document_context

    gpmi.refresh_from_db()
    html = render_html("gpmi/print_contract.html", _document_context(gpmi), language)
    assert f'lang="{language}"' in html and "Jan Jobcoach" in html
    if title:
        assert title in html
    if summary:
        assert summary in render_html("gpmi/print_summary.html", _document_context(gpmi), language)
