"""The contract's workflow through the pages and services: transitions, amendments, access."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.factories import make_placement, table_reads
from opstap.gpmi import services
from opstap.gpmi.models import Gpmi, GpmiStatus, GpmiVersion, Priority, Sanction

D = datetime.date
TODAY = D(2025, 3, 20)


@pytest.fixture
def draft(client_record, alice, domains):
    priorities = list(Priority.objects.filter(domain__centre=client_record.centre)[:2])
    gpmi = services.gpmi_create(
        actor=alice, client=client_record, priorities=priorities, drafted_on=D(2025, 2, 1)
    )
    return services.gpmi_update(
        actor=alice,
        gpmi=gpmi,
        expected_version=gpmi.version,
        start_date=D(2025, 3, 1),
        end_date=D(2025, 12, 31),
        client_commitments="Naar de taalles gaan",
    )


PROPOSED, SIGNED = D(2025, 3, 1), D(2025, 3, 6)


def _signed(gpmi, alice, proposed=PROPOSED, signed=SIGNED):
    gpmi = services.gpmi_propose(
        actor=alice, gpmi=gpmi, expected_version=gpmi.version, proposed_on=proposed
    )
    return services.gpmi_sign(
        actor=alice,
        gpmi=gpmi,
        expected_version=gpmi.version,
        signed_on=signed,
        centre_signed_on=signed,
        committee_decision_on=signed,
    )


@time_machine.travel(TODAY, tick=False)
def test_full_workflow_with_pages(as_alice, client_record, draft):
    base = [client_record.pk, draft.pk]
    response = as_alice.post(
        reverse("gpmi:propose", args=base), {"version": draft.version, "proposed_on": "15/03/2025"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == GpmiStatus.PROPOSED
    # 19/03 is within 5 days of 15/03: refused without a reason, input kept
    data = {
        "version": draft.version,
        "signed_on": "19/03/2025",
        "centre_signed_on": "19/03/2025",
        "committee_decision_on": "18/03/2025",
    }
    page = as_alice.post(reverse("gpmi:sign", args=base), data)
    assert page.status_code == 200
    assert "5 calendar days to reflect" in page.content.decode()
    assert 'value="19/03/2025"' in page.content.decode()
    data["early_signature_reason"] = "The client starts work on Monday"
    assert as_alice.post(reverse("gpmi:sign", args=base), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == GpmiStatus.SIGNED and draft.signed_on == D(2025, 3, 19)
    assert (
        as_alice.post(reverse("gpmi:start", args=base), {"version": draft.version}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == GpmiStatus.ACTIVE
    detail = as_alice.get(reverse("gpmi:detail", args=base)).content.decode()
    assert "19/07/2025" in detail  # next evaluation: signature + 4 months
    ev = {
        "version": draft.version,
        "date": "20/03/2025",
        "in_person": "on",
        "summary": "Goed bezig",
    }
    goal = draft.goals.first()
    ev[f"progress_{goal.pk}"] = "Ingeschreven voor de les"
    assert as_alice.post(reverse("gpmi:evaluate", args=base), ev).status_code == 302
    evaluation = draft.evaluations.get()
    assert evaluation.in_person and evaluation.progress.get().note == "Ingeschreven voor de les"
    end = {"version": draft.version + 1, "ended_on": "20/03/2025", "reason": "Werk gevonden"}
    assert as_alice.post(reverse("gpmi:end", args=base), end).status_code == 302
    draft.refresh_from_db()
    assert draft.status == GpmiStatus.ENDED and draft.end_date == TODAY
    actions = set(
        AuditEntry.objects.filter(client_id=client_record.pk).values_list("action", flat=True)
    )
    assert {
        "gpmi.proposed",
        "gpmi.signed",
        "gpmi.started",
        "gpmi.evaluation.created",
        "gpmi.ended",
    } <= actions


@time_machine.travel(TODAY, tick=False)
def test_invalid_transitions_are_refused(alice, draft):
    with pytest.raises(ValidationError):
        services.gpmi_sign(
            actor=alice,
            gpmi=draft,
            expected_version=draft.version,
            signed_on=TODAY,
            centre_signed_on=TODAY,
            committee_decision_on=TODAY,
        )
    with pytest.raises(ValidationError):
        services.gpmi_start(actor=alice, gpmi=draft, expected_version=draft.version)
    with pytest.raises(ValidationError):
        services.gpmi_end(
            actor=alice, gpmi=draft, expected_version=draft.version, ended_on=TODAY, reason="x"
        )
    with pytest.raises(ValidationError):
        services.evaluation_create(actor=alice, gpmi=draft, date=TODAY, in_person=True)
    with pytest.raises(ValidationError):
        services.gpmi_amend_start(
            actor=alice, gpmi=draft, expected_version=draft.version, reason="x", amended_on=TODAY
        )
    signed = _signed(draft, alice)
    with pytest.raises(ValidationError):  # signed content changes only through an amendment
        services.gpmi_update(
            actor=alice, gpmi=signed, expected_version=signed.version, client_commitments="x"
        )
    with pytest.raises(ValidationError):
        services.gpmi_propose(
            actor=alice, gpmi=signed, expected_version=signed.version, proposed_on=TODAY
        )
    with pytest.raises(ValidationError):
        services.gpmi_delete_draft(actor=alice, gpmi=signed, expected_version=signed.version)


@time_machine.travel(TODAY, tick=False)
def test_propose_needs_goals_and_a_start(alice, client_record, domains):
    empty = services.gpmi_create(actor=alice, client=client_record)
    with pytest.raises(ValidationError) as exc:
        services.gpmi_propose(actor=alice, gpmi=empty, expected_version=1, proposed_on=TODAY)
    assert {"goals", "start_date"} <= set(exc.value.error_dict)


@time_machine.travel(TODAY, tick=False)
def test_stale_save_is_refused_and_input_kept(as_alice, client_record, draft):
    url = reverse("gpmi:edit", args=[client_record.pk, draft.pk])
    stale = draft.version
    services.gpmi_update(
        actor=draft.created_by, gpmi=draft, expected_version=stale, centre_commitments="Bob's"
    )
    data = {
        "version": stale,
        "kind": "standard",
        "start_date": "01/03/2025",
        "client_commitments": "Mijn nieuwe tekst",
    }
    page = as_alice.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Someone else saved this contract" in html and "Mijn nieuwe tekst" in html
    draft.refresh_from_db()
    assert draft.centre_commitments == "Bob's" and draft.client_commitments != "Mijn nieuwe tekst"


@time_machine.travel(TODAY, tick=False)
def test_amendment_keeps_the_earlier_version_and_shows_the_diff(
    as_alice, alice, client_record, draft, domains
):
    gpmi = _signed(draft, alice)
    base = [client_record.pk, gpmi.pk]
    old_text = gpmi.client_commitments
    response = as_alice.post(
        reverse("gpmi:amend", args=base),
        {"version": gpmi.version, "amended_on": "20/03/2025", "reason": "Nieuwe opleiding"},
    )
    assert response.status_code == 302
    gpmi.refresh_from_db()
    assert gpmi.amending and gpmi.revision == 1
    gpmi = services.gpmi_update(
        actor=alice, gpmi=gpmi, expected_version=gpmi.version, client_commitments="Opleiding volgen"
    )
    services.goal_create(
        actor=alice,
        gpmi=gpmi,
        expected_version=gpmi.version,
        domain=domains["education"],
        text="Lasopleiding afmaken",
    )
    gpmi.refresh_from_db()
    assert (
        as_alice.post(
            reverse("gpmi:amend-finish", args=base), {"version": gpmi.version}
        ).status_code
        == 302
    )
    gpmi.refresh_from_db()
    assert not gpmi.amending and gpmi.status == GpmiStatus.SIGNED
    version = GpmiVersion.objects.get(gpmi=gpmi)
    assert version.number == 0 and version.content["fields"]["client_commitments"] == old_text
    page = as_alice.get(reverse("gpmi:version", args=[*base, 0])).content.decode()
    assert "Nieuwe opleiding" in page
    assert "Opleiding volgen" in page and old_text in page
    assert "Goal added" in page and "Lasopleiding afmaken" in page


@time_machine.travel(TODAY, tick=False)
def test_progress_needs_no_amendment(alice, draft):
    gpmi = _signed(draft, alice)
    goal = gpmi.goals.first()
    services.goal_update(actor=alice, goal=goal, expected_version=gpmi.version, status="achieved")
    with pytest.raises(ValidationError):
        services.goal_update(actor=alice, goal=goal, expected_version=gpmi.version + 1, text="new")


@time_machine.travel(TODAY, tick=False)
def test_exemption_and_header_fact(as_alice, client_record, domains):
    url = reverse("gpmi:exempt", args=[client_record.pk])
    page = as_alice.post(url, {"ground": "health", "reason": "", "exempted_on": "20/03/2025"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    data = {"ground": "health", "reason": "Langdurige opname", "exempted_on": "20/03/2025"}
    assert as_alice.post(url, data).status_code == 302
    gpmi = Gpmi.objects.get(client=client_record)
    assert gpmi.status == GpmiStatus.EXEMPTED and gpmi.exemption_reason == "Langdurige opname"
    section = as_alice.get(reverse("gpmi:client", args=[client_record.pk])).content.decode()
    assert "exempted" in section and "Langdurige opname" in section


@time_machine.travel(TODAY, tick=False)
def test_next_evaluation_in_the_dossier_header(as_alice, alice, client_record, draft):
    _signed(draft, alice)
    page = as_alice.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Next GPMI evaluation" in page and "06/07/2025" in page
    timeline = page
    assert "GPMI signed" in timeline


@time_machine.travel(TODAY, tick=False)
def test_dossier_overview_reads_each_part_once(as_alice, alice, client_record, draft, organisation):
    """Header facts and timeline share their reads of rights, team, balance, ladder, contracts."""
    from opstap.balance.services import balance_create
    from opstap.trajectories.services import ladder_position_set

    _signed(draft, alice)
    balance_create(actor=alice, client=client_record, started_on=D(2025, 1, 10))
    ladder_position_set(actor=alice, client=client_record, rung="zorg", since=D(2025, 1, 1))
    make_placement(client_record, organisation, ref="PL-1", start=D(2025, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        page = as_alice.get(reverse("clients:detail", args=[client_record.pk]))
    assert page.status_code == 200
    reads = table_reads(queries)
    shared = (
        "clients_incomeright",
        "clients_careteammember",
        "balance_balance",
        "trajectories_ladderposition",
        "gpmi_gpmi",
        "gpmi_gpmievaluation",
        "activation_placement",
    )
    assert {table: reads[table] for table in shared} == dict.fromkeys(shared, 1)
    html = page.content.decode()
    # The header, from the shared reads ...
    assert "Next GPMI evaluation" in html and "06/07/2025" in html
    assert "<dt>Balance</dt><dd>phase 1 of 3</dd>" in html
    assert "<dt>Activation ladder</dt><dd>1. Help and care</dd>" in html
    assert f"<dt>Placement</dt><dd>Volunteering · {organisation.name}</dd>" in html
    # ... and the timeline, from the same ones.
    assert "GPMI signed" in html and "Balance started" in html
    assert "On the activation ladder" in html


@time_machine.travel(TODAY, tick=False)
def test_create_from_balance_prefills_priorities(as_alice, alice, client_record, domains):
    from django.utils import timezone

    from opstap.balance.models import Balance, BalanceBarrier

    now = timezone.now()
    balance = Balance.objects.create(
        centre=client_record.centre,
        client=client_record,
        started_on=D(2025, 1, 10),
        started_by=alice,
        conclusions="Eerst Nederlands, dan werk",
        proposed_rung="taal",
        phase1_completed_at=now,
        phase2_completed_at=now,
        phase3_completed_at=now,
    )
    BalanceBarrier.objects.create(balance=balance, code="debts")
    url = reverse("gpmi:create", args=[client_record.pk])
    page = as_alice.get(url, {"balance": balance.pk})
    language = domains["language"].priorities.order_by("position").first()
    debts = domains["debts"].priorities.order_by("position").first()
    assert page.context["selected"] == {language.pk, debts.pk}
    assert "Eerst Nederlands" in page.content.decode()
    response = as_alice.post(
        url,
        {
            "kind": "standard",
            "priorities": [language.pk, debts.pk],
            "balance": balance.pk,
            "needs_analysis": "Eerst Nederlands",
        },
    )
    gpmi = Gpmi.objects.get(client=client_record)
    assert response.status_code == 302 and gpmi.balance == balance
    assert {g.domain.code for g in gpmi.goals.all()} == {"language", "debts"}


# --- sanctions ----------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_sanction_procedure_and_limits(as_alice, alice, client_record, draft):
    _signed(draft, alice)
    url = reverse("gpmi:sanction-warn", args=[client_record.pk])
    data = {"breach": "Niet op afspraak", "warning_on": "01/03/2025"}
    assert as_alice.post(url, data).status_code == 302
    sanction = Sanction.objects.get()
    hearing = reverse("gpmi:sanction-hearing", args=[client_record.pk, sanction.pk])
    assert as_alice.post(hearing, {"hearing_on": "05/03/2025"}).status_code == 302
    decide = reverse("gpmi:sanction-decide", args=[client_record.pk, sanction.pk])
    too_long = {
        "decision": "full",
        "decided_on": "10/03/2025",
        "reason": "Geen wettige reden",
        "suspension_start": "01/04/2025",
        "suspension_end": "01/05/2025",
    }
    page = as_alice.post(decide, too_long)
    assert page.status_code == 200
    assert "A suspension lasts at most 1 month (until 30/04/2025" in page.content.decode()
    too_long["suspension_end"] = "30/04/2025"
    assert as_alice.post(decide, too_long).status_code == 302
    sanction.refresh_from_db()
    assert sanction.decision == "full" and sanction.suspension_end == D(2025, 4, 30)
    # A second breach within 12 months may be suspended for up to 3 months.
    second = services.sanction_warn(
        actor=alice, client=client_record, breach="Opnieuw", warning_on=TODAY
    )
    services.sanction_decide(
        actor=alice,
        sanction=second,
        decision="partial",
        decided_on=TODAY,
        reason="Herhaling",
        suspension_start=D(2025, 4, 1),
        suspension_end=D(2025, 6, 30),
        partial_percent=50,
    )


def test_sanctions_are_for_the_care_team_only(client, client_record, alice, carol):
    client.force_login(carol)  # head of alice's team: opens the dossier, not the sanctions
    assert client.get(reverse("gpmi:client", args=[client_record.pk])).status_code == 200
    assert client.get(reverse("gpmi:sanctions", args=[client_record.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("gpmi:sanctions", args=[client_record.pk])).status_code == 200


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["oscar", "pete", "maria", "dave"])
def test_outsiders_get_404(client, client_record, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    base = [client_record.pk, draft.pk]
    for url in (
        reverse("gpmi:client", args=[client_record.pk]),
        reverse("gpmi:detail", args=base),
        reverse("gpmi:edit", args=base),
        reverse("gpmi:pdf", args=base),
        reverse("gpmi:sanctions", args=[client_record.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/gpmi/contracts/{draft.pk}").status_code in (403, 404)


def test_overdue_page_for_heads_only(client, client_record, alice, carol, dave):
    from opstap.factories import IncomeRightFactory

    IncomeRightFactory(client=client_record, start_date=D(2020, 1, 1))
    client.force_login(carol)
    page = client.get(reverse("gpmi:overdue"))
    assert page.status_code == 200
    assert client_record.full_name in page.content.decode()
    assert "Alice" in page.content.decode()
    client.force_login(dave)
    assert client.get(reverse("gpmi:overdue")).status_code == 404


def _grow(gpmi, n):
    from opstap.gpmi.models import GpmiEvaluation, GpmiGoal, GpmiStep

    domain = gpmi.goals.first().domain
    for i in range(n):
        goal = GpmiGoal.objects.create(centre=gpmi.centre, gpmi=gpmi, domain=domain, text=f"G{i}")
        for j in range(3):
            GpmiStep.objects.create(centre=gpmi.centre, goal=goal, text=f"S{j}", owner="client")
        GpmiEvaluation.objects.create(
            centre=gpmi.centre, gpmi=gpmi, date=D(2025, 3, 10 + i), in_person=True
        )


@time_machine.travel(TODAY, tick=False)
def test_pages_run_a_bounded_number_of_queries(
    as_alice, alice, client_record, draft, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gpmi = _signed(draft, alice)
    base = [client_record.pk, gpmi.pk]
    urls = [
        reverse("gpmi:detail", args=base),
        reverse("gpmi:client", args=[client_record.pk]),
        reverse("gpmi:pdf", args=base),
    ]
    counts = []
    for n in (1, 6):
        _grow(gpmi, n)
        row = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert as_alice.get(url).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(45):
        as_alice.get(urls[0])
