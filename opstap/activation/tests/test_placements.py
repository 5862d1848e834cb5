import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from opstap.activation import selectors, services
from opstap.activation.models import AgreementNote, Placement, Status
from opstap.core.models import AuditEntry
from opstap.network.models import Referral

from .conftest import make_placement

TODAY = datetime.date.today()


def test_social_placement_needs_a_track(lien, client_record, organisation):
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=lien, client=client_record, organisation=organisation, kind="volunteering"
        )
    assert "track" in exc.value.message_dict


def test_track_check_constraint(client_record, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            centre=client_record.centre,
            client=client_record,
            organisation=organisation,
            ref="X",
            kind="arbeidszorg",
            track="",
        )


def test_art60_needs_no_track_and_ref_is_unique(lien, client_record, organisation):
    p = services.placement_create(
        actor=lien, client=client_record, organisation=organisation, kind="art60", ref="A60"
    )
    assert p.track == "" and p.status == Status.REFERRAL
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=lien, client=client_record, organisation=organisation, kind="art60", ref="A60"
        )
    assert "ref" in exc.value.message_dict


def test_flow_runs_to_active_and_sets_start(lien, client_record, organisation):
    p = services.placement_create(
        actor=lien,
        client=client_record,
        organisation=organisation,
        kind="volunteering",
        track="opstap",
    )
    seen = [p.status]
    while p.next_status:
        p = services.placement_advance(actor=lien, placement=p)
        seen.append(p.status)
    assert seen == ["referral", "introduction", "proposal", "intake", "agreement", "active"]
    assert p.start == TODAY
    with pytest.raises(ValidationError):
        services.placement_advance(actor=lien, placement=p)


def test_mutation_ends_current_and_starts_next_day(lien, placement, other_organisation):
    end = TODAY - datetime.timedelta(days=3)
    nxt = services.placement_mutate(
        actor=lien,
        placement=placement,
        end=end,
        organisation=other_organisation,
        requested_by="client",
    )
    placement.refresh_from_db()
    assert placement.end == end and placement.end_reason == "mutation"
    assert nxt.start == end + datetime.timedelta(days=1)
    assert nxt.previous == placement and nxt.track == placement.track
    assert nxt.kind == placement.kind and nxt.status == Status.ACTIVE
    assert AuditEntry.objects.filter(action="activation.placement.mutated").exists()


def test_step_up_starts_warm_handover(lien, placement):
    services.placement_end(actor=lien, placement=placement, end=TODAY, end_reason="step_up")
    placement.refresh_from_db()
    referral = placement.handover
    assert isinstance(referral, Referral)
    assert referral.client == placement.client
    assert referral.offer.code == "work-experience"
    assert "vzw ANA" in referral.reason and "Warm handover" in referral.reason


def test_dropout_has_no_handover(lien, placement):
    services.placement_end(actor=lien, placement=placement, end=TODAY, end_reason="dropout")
    placement.refresh_from_db()
    assert placement.handover is None and placement.status == Status.ENDED


def test_end_before_start_is_refused(lien, placement):
    with pytest.raises(ValidationError) as exc:
        services.placement_end(
            actor=lien,
            placement=placement,
            end=placement.start - datetime.timedelta(days=1),
            end_reason="completed",
        )
    assert "end" in exc.value.message_dict


def test_agreement_note_versioned(lien, placement):
    services.agreement_save(actor=lien, placement=placement, version=0, tasks="Fietsen")
    note = services.agreement_save(actor=lien, placement=placement, version=1, tasks="Fietsen!")
    assert note.version == 2
    with pytest.raises(ValidationError):
        services.agreement_save(actor=lien, placement=placement, version=1, tasks="stale")
    assert AgreementNote.objects.get(placement=placement).tasks == "Fietsen!"


def test_stale_agreement_keeps_input(client, lien, placement):
    services.agreement_save(actor=lien, placement=placement, version=0, tasks="first")
    client.force_login(lien)
    url = reverse("activation:agreement-edit", args=[placement.pk])
    response = client.post(url, {"version": "0", "tasks": "my new text", "schedule": ""})
    assert response.status_code == 200
    assert "Someone else saved this agreement note" in response.content.decode()
    assert "my new text" in response.content.decode()


def test_agreement_pdf_in_client_language(client, lien, placement):
    services.agreement_save(actor=lien, placement=placement, version=0, tasks="Fietsen")
    client.force_login(lien)
    response = client.get(reverse("activation:agreement-pdf", args=[placement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_agreement_print_has_three_signatures_in_french(placement, lien):
    from opstap.documents.pdf import render_html

    note = services.agreement_save(actor=lien, placement=placement, version=0, tasks="x")
    html = render_html(
        "activation/agreement_print.html",
        {"p": placement, "note": note, "centre": placement.centre, "centre_name": "OCMW"},
        placement.client.language,
    )
    assert 'lang="fr"' in html
    assert html.count("<div>") >= 3 and "vzw ANA" in html


# --- pages and roles -------------------------------------------------------------------------


def test_list_for_activation_staff_with_filters_and_csv(client, lien, placement, second_placement):
    client.force_login(lien)
    url = reverse("activation:placement-list")
    page = client.get(url).content.decode()
    assert "PL-1" in page and "PL-2" in page and "2 placements" in page
    page = client.get(url, {"kind": "arbeidszorg"}).content.decode()
    assert "PL-2" in page and "PL-1" not in page
    page = client.get(url, {"track": "finaliteit"}).content.decode()
    assert "PL-1" in page and "PL-2" not in page
    csv = client.get(url, {"format": "csv"}).content.decode()
    assert "PL-1" in csv and "PL-2" in csv


def test_list_queries_are_bounded(
    client, lien, placement, second_placement, django_assert_max_num_queries
):
    client.force_login(lien)
    with django_assert_max_num_queries(12):
        client.get(reverse("activation:placement-list"))


def test_social_worker_sees_own_clients_only(client, alice, dave, placement):
    client.force_login(alice)
    assert "PL-1" in client.get(reverse("activation:placement-list")).content.decode()
    client.force_login(dave)
    assert "PL-1" not in client.get(reverse("activation:placement-list")).content.decode()
    assert (
        client.get(reverse("activation:placement-detail", args=[placement.pk])).status_code == 404
    )


def test_outsider_and_partner_get_404(client, oscar, pete_contact, placement, client_record):
    for user in (oscar, pete_contact.user):
        client.force_login(user)
        assert (
            client.get(reverse("activation:placement-detail", args=[placement.pk])).status_code
            == 404
        )
        assert client.get(reverse("activation:client", args=[client_record.pk])).status_code == 404
    client.force_login(oscar)  # staff of another centre: an empty list of their own
    assert "PL-1" not in client.get(reverse("activation:placement-list")).content.decode()
    client.force_login(pete_contact.user)
    assert client.get(reverse("activation:placement-list")).status_code == 404


def test_dossier_section_shows_hints_and_matches(
    client, lien, client_record, placement, place, django_assert_max_num_queries
):
    client_record.dutch_level = "A0"
    client_record.save()
    client.force_login(lien)
    url = reverse("activation:client", args=[client_record.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url, {"match": "1", "hours": "12"}).content.decode()
    assert "Hints for social activation" in page
    assert "Dutch level A0 recorded" in page
    assert "Fietsherstelling" in page
    assert "12 hours a week is close" in page or "12.0 hours a week is close" in page


def test_eligibility_notes_addiction_from_balance(client_record, lien):
    from opstap.balance.models import Balance, BalanceBarrier

    balance = Balance.objects.create(
        centre=client_record.centre, client=client_record, started_on=TODAY, started_by=lien
    )
    BalanceBarrier.objects.create(balance=balance, code="addiction", note="alcohol")
    hints = selectors.eligibility_for(client_record)
    addiction = hints[-1]
    assert addiction.ok is False and "alcohol" in addiction.reason


def test_create_placement_page_keeps_input_on_error(client, lien, client_record, organisation):
    client.force_login(lien)
    url = reverse("activation:placement-create", args=[client_record.pk])
    response = client.post(
        url, {"kind": "volunteering", "organisation": organisation.pk, "notes": "keep me"}
    )
    assert response.status_code == 200
    assert "Choose the client&#x27;s track" in response.content.decode()
    assert "keep me" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "volunteering",
            "track": "opstap",
            "organisation": organisation.pk,
            "start": "01/02/2024",
        },
    )
    assert response.status_code == 302
    assert Placement.objects.get(client=client_record).start == datetime.date(2024, 2, 1)


def test_mutation_page(client, lien, placement, other_organisation):
    client.force_login(lien)
    url = reverse("activation:placement-mutate", args=[placement.pk])
    bad = client.post(
        url,
        {
            "end": "01/01/1990",
            "organisation": other_organisation.pk,
            "requested_by": "organisation",
        },
    )
    assert bad.status_code == 400
    ok = client.post(
        url,
        {
            "end": TODAY.strftime("%d/%m/%Y"),
            "organisation": other_organisation.pk,
            "requested_by": "organisation",
        },
    )
    assert ok.status_code == 302
    assert Placement.objects.filter(previous=placement).exists()


def test_timeline_lists_placement(client, lien, placement, client_record):
    from opstap.core.timeline import events_for

    titles = [e.title for e in events_for(client_record, lien)]
    assert any("vzw ANA" in t for t in titles)


def test_art60_employment_progress(client, lien, client_record, organisation):
    p = make_placement(
        client_record,
        organisation,
        ref="A-1",
        kind="art60",
        track="",
        start=TODAY - datetime.timedelta(days=100),
    )
    with pytest.raises(ValidationError):
        services.art60_save(actor=lien, placement=p, days_required=0, days_worked=0)
    emp = services.art60_save(
        actor=lien,
        placement=p,
        days_required=312,
        days_worked=78,
        regime="full_time",
        own_service="Groendienst",
    )
    assert emp.progress_percent == 25
    client.force_login(lien)
    page = client.get(reverse("activation:placement-detail", args=[p.pk])).content.decode()
    assert "78 of 312 days worked" in page and "<progress" in page


def test_api_lists_placements_for_partner_only_own(
    client, pete_contact, placement, centre, other_organisation, second_client
):
    make_placement(second_client, other_organisation, ref="OTHER", start=TODAY)
    client.force_login(pete_contact.user)
    data = client.get("/api/v1/activation/placements").json()
    assert [p["ref"] for p in data] == ["PL-1"]


def test_weekly_hours_decimal(lien, client_record, organisation):
    p = services.placement_create(
        actor=lien,
        client=client_record,
        organisation=organisation,
        kind="internship",
        weekly_hours=Decimal("19.5"),
    )
    assert p.weekly_hours == Decimal("19.5")
