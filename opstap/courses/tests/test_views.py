import datetime

import pytest
from django.urls import reverse

from opstap.courses import services
from opstap.courses.models import Enrolment, Module, Session
from opstap.network.models import Organisation, PartnerContact

from .conftest import START, make_client

TODAY = START - datetime.timedelta(days=14)


@pytest.fixture
def group(alice, scheduled, newcomers):
    return [
        services.enrolment_propose(actor=alice, edition=scheduled, client=c, today=TODAY)
        for c in newcomers[:2]
    ]


def test_navigation_entry_for_casework_management_and_admin(client, alice, maria, adam, pete):
    for user, visible in ((alice, True), (maria, True), (adam, True), (pete, False)):
        client.force_login(user)
        page = client.get(reverse("core:home") if user != pete else "/notifications/")
        assert (reverse("courses:module-list") in page.content.decode()) is visible, user


def test_module_list_and_detail(client, alice, taalent, scheduled):
    client.force_login(alice)
    page = client.get(reverse("courses:module-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ta(a)lent" in html and "non-native speakers" in html and "Groep INTRO vzw" in html
    detail = client.get(reverse("courses:module-detail", args=[taalent.pk]))
    assert "TAALENT-2030-1" in detail.content.decode()


def test_admin_creates_module_with_criteria_and_errors_keep_input(client, adam, centre, intro):
    client.force_login(adam)
    url = reverse("courses:module-create")
    data = {
        "ref": "",
        "name_nl": "Boost",
        "target_gender": "M",
        "age_min": "30",
        "age_max": "18",
        "partners": [intro.pk],
        "active": "on",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert "The maximum age is below the minimum age." in page.content.decode()
    assert 'value="Boost"' in page.content.decode()
    data["age_max"] = "64"
    response = client.post(url, data)
    module = Module.objects.get(name_nl="Boost")
    assert response.url == reverse("courses:module-detail", args=[module.pk])
    assert module.ref == "M001" and list(module.partners.all()) == [intro]


def test_management_reads_but_does_not_edit_or_see_participants(client, maria, scheduled, group):
    client.force_login(maria)
    page = client.get(reverse("courses:edition-detail", args=[scheduled.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Week 18" in html and "Amal" not in html and "Participants" not in html
    assert client.get(reverse("courses:module-create")).status_code == 404
    assert client.get(reverse("courses:schedule-edit", args=[scheduled.pk])).status_code == 404
    session = scheduled.sessions.first()
    assert client.get(reverse("courses:session-register", args=[session.pk])).status_code == 404
    assert client.get(reverse("courses:enrolment-detail", args=[group[0].pk])).status_code == 404


def test_outsider_gets_404_everywhere(client, oscar, taalent, scheduled, group, newcomer):
    client.force_login(oscar)
    session = scheduled.sessions.first()
    for url in (
        reverse("courses:module-detail", args=[taalent.pk]),
        reverse("courses:edition-detail", args=[scheduled.pk]),
        reverse("courses:session-register", args=[session.pk]),
        reverse("courses:session-move", args=[session.pk]),
        reverse("courses:enrolment-detail", args=[group[0].pk]),
        reverse("courses:enrolment-propose", args=[scheduled.pk, newcomer.pk]),
        reverse("courses:client-modules", args=[newcomer.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Ta(a)lent" not in client.get(reverse("courses:module-list")).content.decode()


def test_partner_reads_only_the_editions_of_modules_it_delivers(
    client, centre, pete, taalent, uitstraling, intro, scheduled, group
):
    client.force_login(pete)
    assert client.get(reverse("courses:module-list")).status_code == 404  # no organisation yet
    PartnerContact.objects.create(user=pete, organisation=intro)
    page = client.get(reverse("courses:edition-detail", args=[scheduled.pk]))
    assert page.status_code == 200
    assert "Amal" not in page.content.decode()
    assert client.get(reverse("courses:module-detail", args=[uitstraling.pk])).status_code == 404
    assert client.get(reverse("courses:module-edit", args=[taalent.pk])).status_code == 404
    session = scheduled.sessions.first()
    assert client.get(reverse("courses:session-register", args=[session.pk])).status_code == 404
    other = Organisation.objects.create(centre=centre, ref="VP", name="Vormingplus")
    PartnerContact.objects.filter(user=pete).update(organisation=other)
    assert client.get(reverse("courses:edition-detail", args=[scheduled.pk])).status_code == 404


def test_schedule_form_plans_sessions(client, adam, edition):
    client.force_login(adam)
    url = reverse("courses:schedule-edit", args=[edition.pk])
    assert client.get(url).status_code == 200
    data = {"phase-TOTAL_FORMS": "3", "phase-INITIAL_FORMS": "0"}
    rows = [("info", "1", "2", "1"), ("group", "10", "30", "1")]
    for i, (kind, weeks, hours, days) in enumerate(rows):
        data.update(
            {
                f"phase-{i}-kind": kind,
                f"phase-{i}-weeks": weeks,
                f"phase-{i}-hours": hours,
                f"phase-{i}-days_per_week": days,
            }
        )
    data.update(
        {"phase-2-kind": "", "phase-2-weeks": "", "phase-2-hours": "", "phase-2-days_per_week": ""}
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert Session.objects.filter(edition=edition).count() == 11


def test_edition_page_list_and_calendar_with_bounded_queries(
    client, alice, scheduled, group, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("courses:edition-detail", args=[scheduled.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert "Amal" in html and "Week 18" in html and "51 sessions" in html and "183 hours" in html
    with django_assert_max_num_queries(20):
        calendar = client.get(url, {"view": "calendar"})
    assert 'class="cal"' in calendar.content.decode()


def test_propose_from_dossier_with_override(client, centre, alice, edition):
    native = make_client(centre, alice, language="nl", dutch_level="C2", first_name="Jan")
    client.force_login(alice)
    section = client.get(reverse("courses:client-modules", args=[native.pk]))
    assert section.status_code == 200
    html = section.content.decode()
    assert "outside the target group" in html and "Ta(a)lent" in html
    url = reverse("courses:enrolment-propose", args=[edition.pk, native.pk]) + "?from=dossier"
    check = client.get(url).content.decode()
    assert "the client&#x27;s home language is Dutch" in check
    refused = client.post(url, {"override_reason": ""})
    assert refused.status_code == 200
    assert "say why they should take part" in refused.content.decode()
    done = client.post(url, {"override_reason": "Laaggeletterd, baat bij groep"})
    assert done.url == reverse("courses:client-modules", args=[native.pk])
    assert Enrolment.objects.get(client=native).override_reason.startswith("Laaggeletterd")


def test_worker_cannot_propose_a_client_outside_her_dossiers(client, centre, dave, alice, edition):
    other = make_client(centre, alice)
    client.force_login(dave)
    url = reverse("courses:enrolment-propose", args=[edition.pk, other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_register_page_saves_and_shows_errors(
    client, alice, scheduled, group, django_assert_max_num_queries
):
    session = scheduled.sessions.first()
    url = reverse("courses:session-register", args=[session.pk])
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    bad = client.post(url, {f"status_{group[0].pk}": "excused"})
    html = bad.content.decode()
    assert "Choose the reason of Amal Test" in html and "Choose present or absent for Bilal" in html
    ok = client.post(
        url,
        {
            f"status_{group[0].pk}": "excused",
            f"reason_{group[0].pk}": "medical",
            f"status_{group[1].pk}": "present",
        },
    )
    assert ok.status_code == 302
    assert session.attendance.get(enrolment=group[0]).reason == "medical"


def test_move_and_cancel_pages(client, alice, scheduled):
    session = scheduled.sessions.first()
    client.force_login(alice)
    url = reverse("courses:session-move", args=[session.pk])
    assert client.post(url, {"action": "move", "date": "06/02/2030"}).status_code == 302
    session.refresh_from_db()
    assert session.date == datetime.date(2030, 2, 6)
    refused = client.post(url, {"action": "cancel", "note": ""})
    assert refused.status_code == 200
    assert client.post(url, {"action": "cancel", "note": "Zaal niet vrij"}).status_code == 302
    session.refresh_from_db()
    assert session.cancelled


def test_enrolment_page_drop_and_step_plan(client, alice, group):
    client.force_login(alice)
    url = reverse("courses:enrolment-detail", args=[group[0].pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "drop", "left_on": "", "reason": ""})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    client.post(
        url, {"action": "step", "text": "Taalles B1", "owner": "client", "due_date": "01/09/2030"}
    )
    client.post(url, {"action": "drop", "left_on": "10/02/2030", "reason": "Werk"})
    group[0].refresh_from_db()
    assert group[0].status == "dropped" and group[0].steps.get().text == "Taalles B1"
    page = client.get(url).content.decode()
    assert "Carry the steps into the GPMI" in page


def test_enrolments_on_the_timeline(client, alice, scheduled, group):
    session = scheduled.sessions.first()
    services.register_save(
        actor=alice,
        session=session,
        entries={group[0].pk: ("excused", "illness"), group[1].pk: ("present", "")},
    )
    client.force_login(alice)
    page = client.get(reverse("clients:detail", args=[group[0].client_id]))
    html = page.content.decode()
    assert "Enrolled in Ta(a)lent" in html and "Absent from Ta(a)lent" in html


def test_partner_portal_links_to_the_modules_its_organisation_delivers(
    client, centre, pete, taalent, intro
):
    client.force_login(pete)
    portal = reverse("network:partner-home")
    link = f'href="{reverse("courses:module-list")}"'
    other = Organisation.objects.create(centre=centre, ref="VP", name="Vormingplus")
    contact = PartnerContact.objects.create(user=pete, organisation=other)
    assert link not in client.get(portal).content.decode()  # delivers no module
    contact.organisation = intro
    contact.save()
    assert link in client.get(portal).content.decode()
    modules = client.get(reverse("courses:module-list"))
    assert modules.status_code == 200 and "Ta(a)lent" in modules.content.decode()
