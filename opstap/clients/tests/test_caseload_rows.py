"""The caseload's rows written in Python are the HTML the row template wrote."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from opstap.clients.models import CareRole, CareTeamMember, IncomeRight
from opstap.clients.rows import caseload_row_html
from opstap.clients.selectors import caseload_for, with_caseload_facts
from opstap.factories import ClientFactory, OfficeFactory, UserFactory

# The rows as clients/caseload.html wrote them before they moved to opstap/clients/rows.py.
ROW_TEMPLATE = Template((Path(__file__).parent / "caseload_row_reference.html").read_text())
START = datetime.date(2020, 1, 1)


@pytest.fixture
def caseload(centre, alice):
    office = OfficeFactory(centre=centre, name="Zuid & <Oost>")
    clients = [
        ClientFactory(centre=centre, office=office, last_name="D'Hondt & <Co>", insz=""),
        ClientFactory(centre=centre, office=None, first_name="Ève", birth_date=START),
        ClientFactory(centre=centre, office=office, insz="85073003328"),
    ]
    colleague = UserFactory(centre=centre, first_name="", last_name="", username="o'neil")
    for n, client in enumerate(clients):
        CareTeamMember.objects.create(
            client=client, user=alice, role=CareRole.REFERENCE, start_date=START
        )
        if n == 2:
            CareTeamMember.objects.create(
                client=client, user=colleague, role=CareRole.REFERENCE, start_date=START
            )
        for kind in ["leefloon", "equivalent_leefloon"][:n]:
            IncomeRight.objects.create(client=client, kind=kind, start_date=START)
    return list(caseload_for(alice).order_by("pk"))


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_html_as_the_row_template(caseload, language):
    with translation.override(language):
        expected = ROW_TEMPLATE.render(Context({"page": caseload}))
        rows = "".join(caseload_row_html(c) for c in caseload)
    assert f"      {rows}\n" == expected
    assert "D&#x27;Hondt &amp; &lt;Co&gt;" in rows and "o&#x27;neil" in rows
    assert rows.count('<span class="muted">—</span>') == 1  # the client without a right


def test_the_page_shows_the_rows(client, alice, password, caseload):
    client.login(username=alice.username, password=password)
    html = client.get("/clients/").content.decode()
    for c in caseload:
        assert caseload_row_html(c) in html


def test_the_page_reads_the_facts_the_prefetch_gives(alice, caseload):
    def facts(clients):
        return [
            (c.pk, [r.pk for r in c.active_rights], [m.pk for m in c.reference_workers])
            for c in clients
        ]

    page = with_caseload_facts(list(caseload_for(alice, facts=False).order_by("pk")))
    assert facts(page) == facts(caseload)
    assert [len(c.active_rights) for c in page] == [0, 1, 2]
    assert [len(c.reference_workers) for c in page] == [1, 1, 2]
    assert with_caseload_facts([]) == []
