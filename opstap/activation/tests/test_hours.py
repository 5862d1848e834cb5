import datetime
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape
from lxml import etree

from opstap.activation import services
from opstap.activation.models import HoursCorrection, MonthlyHours
from opstap.activation.reports import allowances
from opstap.activation.selectors import settings_for
from opstap.activation.sepa import credit_transfer_xml
from opstap.activation.tasks import remind_centre
from opstap.core.models import Notification

from .conftest import make_placement

MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
# The official ISO 20022 schema for pain.001.001.03, as shipped by the sepaxml package.
XSD = Path(importlib.util.find_spec("sepaxml").origin).parent / "schemas" / "pain.001.001.03.xsd"


def grid_url(month=MONTH):
    return reverse("activation:partner-hours") + f"?month={month:%Y-%m}"


def post_grid(client, rows, action="draft", month=MONTH):
    data = {"month": f"{month:%Y-%m}", "action": action}
    for pk, hours, transport, clothing in rows:
        data.update(
            {f"hours-{pk}": hours, f"transport_eur-{pk}": transport, f"clothing_eur-{pk}": clothing}
        )
    return client.post(reverse("activation:partner-hours"), data)


def test_partner_grid_draft_submit_approve(client, pete_contact, lien, placement, second_placement):
    client.force_login(pete_contact.user)
    page = client.get(grid_url()).content.decode()
    assert "PL-1" in page and "PL-2" in page
    response = post_grid(
        client, [(placement.pk, "20", "12.50", ""), (second_placement.pk, "31.5", "", "25")]
    )
    assert response.status_code == 302
    assert set(MonthlyHours.objects.values_list("status", flat=True)) == {"draft"}
    post_grid(
        client,
        [(placement.pk, "22", "12.50", ""), (second_placement.pk, "31.5", "", "25")],
        action="submit",
    )
    records = {r.placement_id: r for r in MonthlyHours.objects.all()}
    assert records[placement.pk].hours == Decimal("22")
    assert {r.status for r in records.values()} == {"submitted"}
    client.force_login(lien)
    url = reverse("activation:hours-review", args=[placement.organisation_id, f"{MONTH:%Y-%m}"])
    assert "vzw ANA" in client.get(reverse("activation:placement-list")).content.decode()
    client.post(url, {"action": "approve"})
    assert set(MonthlyHours.objects.values_list("status", flat=True)) == {"approved"}
    # approved months are locked for the partner
    client.force_login(pete_contact.user)
    post_grid(client, [(placement.pk, "99", "", "")], action="submit")
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("22")
    assert "locked" in client.get(grid_url()).content.decode()


def test_bad_hours_name_row_and_field_and_keep_input(
    client, pete_contact, placement, second_placement
):
    client.force_login(pete_contact.user)
    response = post_grid(
        client, [(placement.pk, "745", "", ""), (second_placement.pk, "abc", "-3", "")]
    )
    page = response.content.decode()
    assert response.status_code == 400
    name = placement.client.full_name
    assert f"{name} (PL-1), hours: must be between 0 and 744." in page
    assert "(PL-2), hours: enter a number" in page
    assert "(PL-2), public transport (€): must be between 0 and" in page
    assert 'value="745"' in page and 'value="abc"' in page
    assert not MonthlyHours.objects.exists()


def test_month_outside_placement_dates(lien, client_record, organisation):
    p = make_placement(
        client_record,
        organisation,
        ref="OLD",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2023, 3, 31),
        end_reason="completed",
    )
    with pytest.raises(ValidationError) as exc:
        services.hours_save_month(
            actor=lien,
            organisation=organisation,
            month=datetime.date(2023, 5, 1),
            rows=[services.HoursRow(placement=p, hours="4")],
            submit=False,
        )
    assert "does not run in 05/2023" in str(exc.value)


def test_a_month_without_placements_says_so_and_offers_no_form(client, pete_contact, placement):
    client.force_login(pete_contact.user)
    page = client.get(grid_url()).content.decode()
    assert "PL-1" in page and 'name="stamp"' in page
    assert "No clients worked" not in page
    empty = client.get(grid_url(placement.start.replace(day=1) - datetime.timedelta(days=400)))
    page = empty.content.decode()
    assert empty.status_code == 200
    assert "No clients worked at your organisation in this month." in page
    assert "PL-1" not in page and 'name="stamp"' not in page and "<tbody>" not in page


def test_hours_check_constraint(placement):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyHours.objects.create(placement=placement, month=MONTH, hours=Decimal("745"))


def test_partner_sees_only_own_organisation(
    client, pete_contact, placement, second_client, other_organisation, oscar, alice
):
    other = make_placement(
        second_client, other_organisation, ref="ZOO-1", start=MONTH - datetime.timedelta(days=40)
    )
    client.force_login(pete_contact.user)
    page = client.get(grid_url()).content.decode()
    assert "ZOO-1" not in page and "PL-1" in page
    post_grid(client, [(other.pk, "5", "", "")])
    assert not MonthlyHours.objects.filter(placement=other).exists()
    ev_url = reverse("activation:partner-evaluation", args=[other.pk])
    assert client.get(ev_url).status_code == 404
    for user in (oscar, alice):
        client.force_login(user)
        assert client.get(grid_url()).status_code == 404


def test_grid_queries_are_bounded(
    client, pete_contact, placement, second_placement, django_assert_max_num_queries
):
    client.force_login(pete_contact.user)
    with django_assert_max_num_queries(16):
        assert client.get(grid_url()).status_code == 200


def test_correction_is_logged(lien, placement):
    record = MonthlyHours.objects.create(
        placement=placement, month=MONTH, hours=10, status="approved"
    )
    with pytest.raises(ValidationError):
        services.hours_correct(
            actor=lien,
            record=record,
            hours=Decimal("12"),
            transport_eur=Decimal("0"),
            clothing_eur=Decimal("0"),
            reason="",
        )
    services.hours_correct(
        actor=lien,
        record=record,
        hours=Decimal("12"),
        transport_eur=Decimal("0"),
        clothing_eur=Decimal("0"),
        reason="Two hours forgotten",
    )
    correction = HoursCorrection.objects.get()
    assert correction.old_values["hours"] == "10.00" and correction.new_values["hours"] == "12.00"


def test_reminder_notifies_partner_contacts_once(pete_contact, placement, centre):
    due_day = settings_for(centre).hours_due_day
    today = datetime.date.today().replace(day=due_day)
    assert remind_centre(centre, today - datetime.timedelta(days=1)) == 0
    assert remind_centre(centre, today) == 1
    assert remind_centre(centre, today) == 0
    note = Notification.objects.get(user=pete_contact.user)
    assert "vzw ANA" in note.message
    MonthlyHours.objects.create(placement=placement, month=MONTH, hours=3, status="submitted")
    Notification.objects.all().delete()
    assert remind_centre(centre, today) == 0


def _approved(placement, hours, transport="0", clothing="0"):
    return MonthlyHours.objects.create(
        placement=placement,
        month=MONTH,
        hours=Decimal(hours),
        transport_eur=Decimal(transport),
        clothing_eur=Decimal(clothing),
        status="approved",
    )


def test_allowances_add_up(centre, placement, second_placement):
    centre.hourly_premium_eur = Decimal("1.15")
    centre.save()
    _approved(placement, "20.5", "12.40")
    _approved(second_placement, "33.33", "0", "25")
    result = allowances(centre, None, {"month": f"{MONTH:%Y-%m}"})
    rows = {r["placement_ref"]: r for r in result["rows"]}
    assert rows["PL-1"]["premium_eur"] == 23.58  # 20.5 × 1.15 = 23.575, half up
    assert rows["PL-1"]["total_eur"] == 35.98
    assert rows["PL-2"]["premium_eur"] == 38.33  # 33.33 × 1.15 = 38.3295
    assert rows["PL-2"]["total_eur"] == 63.33
    assert result["total"] == {
        "hours": 53.83,
        "premium_eur": 61.91,
        "transport_eur": 12.4,
        "clothing_eur": 25.0,
        "total_eur": 99.31,
    }


def test_sepa_file_validates_against_xsd(centre, lien, placement, second_placement):
    services.client_payment_set(actor=lien, client=placement.client, iban="BE71 0961 2345 6769")
    services.client_payment_set(
        actor=lien,
        client=second_placement.client,
        iban="BE62510007547061",
        account_holder="Jan Peeters-Ünal",
    )
    services.settings_update(
        actor=lien,
        centre=centre,
        debtor_name="OCMW Gent",
        debtor_iban="BE71096123456769",
        debtor_bic="GKCCBEBB",
    )
    _approved(placement, "20", "5")
    _approved(second_placement, "10")
    xml = credit_transfer_xml(centre, MONTH)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.fromstring(xml)
    schema.assertValid(doc)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    assert doc.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert doc.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == "35.00"
    assert "Jan Peeters-Unal" in xml.decode()
    # a broken document is caught by the schema
    bad = xml.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>")
    assert not schema.validate(etree.fromstring(bad))


def test_sepa_refuses_unapproved_or_missing_iban(client, centre, lien, placement):
    services.settings_update(
        actor=lien, centre=centre, debtor_name="OCMW Gent", debtor_iban="BE62510007547061"
    )
    MonthlyHours.objects.create(placement=placement, month=MONTH, hours=3, status="submitted")
    with pytest.raises(ValidationError) as exc:
        credit_transfer_xml(centre, MONTH)
    text = " ".join(exc.value.messages)
    assert "not approved" in text and "no IBAN" in text
    client.force_login(lien)
    response = client.get(reverse("activation:payment-file"), {"month": f"{MONTH:%Y-%m}"})
    assert response.status_code == 400 and "no IBAN" in response.content.decode()


def test_invalid_iban_is_refused(lien, client_record):
    with pytest.raises(ValidationError) as exc:
        services.client_payment_set(actor=lien, client=client_record, iban="BE00 1234")
    assert "iban" in exc.value.message_dict


def test_settings_page_for_admin_only(client, adam, lien, centre):
    url = reverse("activation:settings")
    client.force_login(lien)
    assert client.get(url).status_code == 404
    client.force_login(adam)
    data = {
        "hours_due_day": "7",
        "eval_volunteering_opstap": "4",
        "eval_volunteering_mogelijke": "4",
        "eval_volunteering_finaliteit": "12",
        "eval_arbeidszorg_opstap": "3",
        "eval_arbeidszorg_mogelijke": "3",
        "eval_arbeidszorg_finaliteit": "12",
        "debtor_name": "OCMW Gent",
        "debtor_iban": "BE00 0000",
        "debtor_bic": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "not a valid IBAN" in response.content.decode()
    assert 'value="BE00 0000"' in response.content.decode()
    data["debtor_iban"] = "BE71 0961 2345 6769"
    assert client.post(url, data).status_code == 302
    assert settings_for(centre).debtor_iban == "BE71096123456769"


def test_payment_details_page(client, lien, client_record, dave):
    url = reverse("activation:payment-edit", args=[client_record.pk])
    client.force_login(dave)
    assert client.get(url).status_code == 404
    client.force_login(lien)
    assert client.post(url, {"iban": "BE71 0961 2345 6769"}).status_code == 302
    assert client_record.payment.iban == "BE71096123456769"


def test_stale_grid_is_refused_and_input_kept(client, pete_contact, placement):
    client.force_login(pete_contact.user)
    page = client.get(grid_url()).content.decode()
    opened = re.search(r'name="stamp" value="(\w+)"', page).group(1)
    # Another contact of the organisation saves the month in between.
    services.hours_save_month(
        actor=pete_contact.user,
        organisation=placement.organisation,
        month=MONTH,
        rows=[services.HoursRow(placement=placement, hours="20")],
        submit=False,
    )
    data = {
        "month": f"{MONTH:%Y-%m}",
        "action": "draft",
        "stamp": opened,
        f"hours-{placement.pk}": "35",
    }
    response = client.post(reverse("activation:partner-hours"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved the hours of this month" in page and 'value="35"' in page
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("20")
    # The refused grid carries the current stamp: saving it again overwrites knowingly.
    data["stamp"] = re.search(r'name="stamp" value="(\w+)"', page).group(1)
    assert data["stamp"] != opened
    assert client.post(reverse("activation:partner-hours"), data).status_code == 302
    assert MonthlyHours.objects.get(placement=placement).hours == Decimal("35")


@pytest.mark.parametrize(
    ("language", "label"), [("nl", "Uren van"), ("fr", "Heures de"), ("en", "Hours of")]
)
def test_grid_labels_each_input_in_the_partners_language(
    client, pete_contact, placement, language, label
):
    client_record = placement.client
    client_record.first_name = "Ann & <Jo>"
    client_record.save()
    client.force_login(pete_contact.user)
    client.cookies["django_language"] = language
    html = client.get(reverse("activation:partner-hours")).content.decode()
    name = f"Ann &amp; &lt;Jo&gt; {client_record.last_name}"
    assert f'aria-label="{label} {name}"' in html
    assert html.count(name) >= 4  # the row header and the three inputs' labels
    assert "<Jo>" not in html


def _grid_as_before(organisation, month):
    """grid_placements as it was written with a prefetch (the reference)."""
    from django.db.models import Prefetch, Q

    from opstap.activation.models import Placement, Status
    from opstap.activation.selectors import month_bounds

    first, last = month_bounds(month)
    placements = list(
        Placement.objects.filter(organisation=organisation, start__isnull=False, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .exclude(status__in=[Status.REFERRAL, Status.INTRODUCTION, Status.PROPOSAL])
        .select_related("client")
        .prefetch_related(
            Prefetch("hours", queryset=MonthlyHours.objects.filter(month=first), to_attr="rows")
        )
        .order_by("client__last_name", "client__first_name", "ref")
    )
    return [(p.pk, p.client.last_name, p.rows[0].pk if p.rows else None) for p in placements]


def test_grid_placements_are_those_the_prefetch_gave(
    client_record, second_client, organisation, other_organisation
):
    from opstap.activation.selectors import grid_placements

    d = datetime.date
    shapes = [  # client, organisation, ref, start, end, status, months with hours
        (client_record, organisation, "A1", d(2024, 1, 10), None, None, [d(2024, 3, 1)]),
        (second_client, organisation, "A2", d(2024, 2, 1), d(2024, 3, 15), None, [d(2024, 2, 1)]),
        (second_client, organisation, "A3", d(2024, 3, 31), None, None, [d(2024, 3, 1)]),
        (client_record, organisation, "A4", d(2024, 4, 1), None, None, []),
        (client_record, organisation, "A5", d(2023, 1, 1), d(2024, 2, 29), None, []),
        (client_record, organisation, "A6", d(2024, 1, 1), None, "proposal", []),
        (client_record, other_organisation, "B1", d(2024, 1, 1), None, None, [d(2024, 3, 1)]),
    ]
    for client, org, ref, start, end, status, months in shapes:
        extra = {"status": status} if status else {}
        if end:
            extra["end_reason"] = "completed"
        p = make_placement(client, org, ref=ref, start=start, end=end, **extra)
        for month in months:
            MonthlyHours.objects.create(placement=p, month=month, hours=Decimal("6.5"))
    for month in (d(2024, 2, 1), d(2024, 3, 1), d(2024, 4, 1), d(2025, 1, 1)):
        for org in (organisation, other_organisation):
            got = [
                (p.pk, p.client.last_name, p.record.pk if p.record else None)
                for p in grid_placements(org, month)
            ]
            assert got == _grid_as_before(org, month), (org, month)
    march = grid_placements(organisation, d(2024, 3, 1))
    assert sorted(p.ref for p in march) == ["A1", "A2", "A3"]
    assert sum(1 for p in march if p.record) == 2


def test_allowance_records_of_the_whole_centre_are_those_the_queryset_gave(
    centre, other_centre, placement, second_placement, client_record, organisation, alice, maria
):
    from opstap.activation.models import ClientPayment
    from opstap.activation.reports import allowance_records
    from opstap.factories import ClientFactory

    _approved(placement, "20.5", "12.40")
    _approved(second_placement, "3")
    job = make_placement(client_record, organisation, ref="JOB", start=MONTH, kind="art60")
    MonthlyHours.objects.create(placement=job, month=MONTH, hours=Decimal("8"))
    earlier = MONTH - datetime.timedelta(days=40)
    MonthlyHours.objects.create(placement=placement, month=earlier.replace(day=1), hours=1)
    ClientPayment.objects.create(client=placement.client, iban="BE68539007547034")
    elsewhere = make_placement(
        ClientFactory(centre=other_centre), organisation, ref="ELSE", start=MONTH
    )
    MonthlyHours.objects.create(placement=elsewhere, month=MONTH, hours=Decimal("2"))

    def as_before(user):
        from opstap.activation.models import SOCIAL_KINDS
        from opstap.reports.scope import client_scope

        return list(
            MonthlyHours.objects.filter(
                month=MONTH,
                placement__centre=centre,
                placement__kind__in=SOCIAL_KINDS,
                placement__client__in=client_scope(centre, user),
            )
            .select_related("placement", "placement__client", "placement__client__payment")
            .order_by("placement__client__ref", "placement__ref")
        )

    def facts(records):
        return [
            (r.pk, r.placement.ref, r.placement.client.ref, hasattr(r.placement.client, "payment"))
            for r in records
        ]

    for user in (None, maria, alice):
        assert facts(allowance_records(centre, user, MONTH)) == facts(as_before(user)), user
    records = allowance_records(centre, None, MONTH)
    assert sorted(r.placement.ref for r in records) == ["PL-1", "PL-2"]  # social, this month
    paid = {r.placement.ref: hasattr(r.placement.client, "payment") for r in records}
    assert paid == {"PL-1": True, "PL-2": False}  # only the first client has an IBAN


def test_grid_review_and_saving_read_no_placement_or_client_per_row(
    client, settings, centre, pete_contact, lien, organisation
):
    """The grid, its saving (with an error naming a row, and without) and the centre's review
    read the placements and their clients once, whatever the number of rows."""
    settings.STORED_FIGURES = False  # the grid as drawn each time (kept: test_kept_grid)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opstap.factories import CareTeamMemberFactory, ClientFactory

    start = MONTH - datetime.timedelta(days=40)
    placements = []

    def add(count: int) -> None:
        for _i in range(count):
            n = len(placements)
            person = ClientFactory(centre=centre, first_name=f"Row{n}", last_name="Claes")
            CareTeamMemberFactory(client=person, user=lien)  # the reviewer's dossiers
            placements.append(make_placement(person, organisation, ref=f"ROW-{n}", start=start))

    def reads(do) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = do()
        rows = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT")
            and re.search(r'FROM "(activation_placement|clients_client)"', q["sql"])
        ]
        return len(rows), response.content.decode()

    def rounds() -> list:
        every = [(p.pk, "4", "", "") for p in placements]
        client.force_login(pete_contact.user)
        grid = reads(lambda: client.get(grid_url()))
        wrong = reads(lambda: post_grid(client, [*every[:-1], (placements[-1].pk, "x", "", "")]))
        saved = reads(lambda: post_grid(client, every, action="submit"))
        client.force_login(lien)
        url = reverse("activation:hours-review", args=[organisation.pk, f"{MONTH:%Y-%m}"])
        review = reads(lambda: client.get(url))
        return [grid, wrong, saved, review]

    add(1)
    client.force_login(pete_contact.user)
    client.get(grid_url())  # the first visit creates the settings
    few = rounds()
    add(4)
    many = rounds()
    assert [n for n, _page in many] == [n for n, _page in few]
    grid, wrong, _saved, review = (page for _n, page in many)
    for p in placements:
        name = escape(p.client.full_name)
        assert f"{name}<br>" in grid and name in review
    assert f"{escape(placements[-1].client.full_name)} ({placements[-1].ref})" in wrong
    assert MonthlyHours.objects.filter(status="submitted").count() == len(placements)
