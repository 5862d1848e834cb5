"""An administrator links a partner account to its organisation on the user's page."""

import pytest
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.factories import UserFactory
from opstap.network.models import PartnerContact

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:admin-user-create")
PORTAL = reverse("network:partner-home")


def edit_url(user):
    return reverse("accounts:admin-user-edit", args=[user.pk])


def edit_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "language": user.language,
        "roles": sorted(user.role_set),
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def portal_of(client, user) -> str:
    client.force_login(user)
    return client.get(PORTAL).content.decode()


def test_admin_links_pete_and_his_portal_shows_the_organisation(
    client, adam, pete, organisation, place
):
    client.force_login(adam)
    page = client.get(edit_url(pete)).content.decode()
    assert 'name="organisation"' in page
    assert "vzw ANA" in page
    response = client.post(edit_url(pete), edit_data(pete, organisation=organisation.pk))
    assert response.status_code == 302
    assert PartnerContact.objects.get(user=pete).organisation == organisation
    entry = AuditEntry.objects.get(action="network.partner_contact.set")
    assert entry.actor == adam and entry.changes == {"organisation": [None, "vzw ANA"]}
    portal = portal_of(client, pete)
    assert "vzw ANA" in portal and "Fietsherstelling" in portal
    assert "not linked" not in portal


def test_the_edit_page_shows_the_current_organisation(client, adam, pete, pete_contact):
    client.force_login(adam)
    page = client.get(edit_url(pete)).content.decode()
    assert f'<option value="{pete_contact.organisation_id}" selected>' in page


def test_changing_the_organisation_moves_him(
    client, adam, pete, pete_contact, organisation, other_organisation, other_place
):
    client.force_login(adam)
    client.post(edit_url(pete), edit_data(pete, organisation=other_organisation.pk))
    assert PartnerContact.objects.get(user=pete).organisation == other_organisation
    entry = AuditEntry.objects.get(action="network.partner_contact.set")
    assert entry.changes == {"organisation": ["vzw ANA", "Dierenasiel Stadsbeest"]}
    portal = portal_of(client, pete)
    assert "Dierenasiel Stadsbeest" in portal and "Dierenverzorging" in portal
    assert "vzw ANA" not in portal


def test_saving_without_a_change_writes_no_link_entry(client, adam, pete, pete_contact):
    client.force_login(adam)
    client.post(edit_url(pete), edit_data(pete, organisation=pete_contact.organisation_id))
    assert not AuditEntry.objects.filter(action__startswith="network.partner_contact").exists()


def test_emptying_the_organisation_unlinks_him(client, adam, pete, pete_contact):
    client.force_login(adam)
    response = client.post(edit_url(pete), edit_data(pete))
    # Back on his page: a partner account without an organisation still needs one.
    assert response.url == edit_url(pete)
    assert not PartnerContact.objects.filter(user=pete).exists()
    entry = AuditEntry.objects.get(action="network.partner_contact.removed")
    assert entry.changes == {"organisation": ["vzw ANA", None]}
    assert "not linked to an organisation yet" in client.get(response.url).content.decode()
    assert "not linked" in portal_of(client, pete)


def test_an_organisation_without_the_partner_role_is_refused(
    client, adam, pete, pete_contact, other_organisation
):
    client.force_login(adam)
    data = edit_data(pete, roles=["social_worker"], organisation=other_organisation.pk)
    response = client.post(edit_url(pete), data)
    assert response.status_code == 200
    assert "Only accounts with the role Partner" in response.content.decode()
    pete.refresh_from_db()
    assert pete.role_set == {"partner"}
    assert PartnerContact.objects.get(user=pete).organisation_id == pete_contact.organisation_id


def test_removing_the_partner_role_removes_the_link(client, adam, pete, pete_contact):
    client.force_login(adam)
    client.post(edit_url(pete), edit_data(pete, roles=["social_worker"]))
    assert not PartnerContact.objects.filter(user=pete).exists()


def test_a_new_partner_account_with_its_organisation(client, adam, organisation):
    client.force_login(adam)
    assert 'name="organisation"' in client.get(CREATE).content.decode()
    data = {
        "username": "petra",
        "first_name": "Petra",
        "last_name": "Pieters",
        "language": "nl",
        "roles": ["partner"],
        "organisation": organisation.pk,
    }
    response = client.post(CREATE, data)
    assert response.status_code == 200  # the page with the temporary password
    assert PartnerContact.objects.get(user__username="petra").organisation == organisation


def test_a_new_partner_account_without_organisation_is_reminded(client, adam, organisation):
    client.force_login(adam)
    data = {"username": "petra", "first_name": "P", "last_name": "P", "language": "nl"}
    response = client.post(CREATE, data | {"roles": ["partner"]})
    assert "not linked to an organisation yet" in response.content.decode()


def test_a_non_partner_gets_no_organisation_field(client, adam, alice, organisation):
    client.force_login(adam)
    page = client.get(edit_url(alice)).content.decode()
    assert 'name="organisation"' not in page
    client.post(edit_url(alice), edit_data(alice, organisation=organisation.pk))
    assert not PartnerContact.objects.filter(user=alice).exists()


def test_ticking_the_partner_role_brings_the_field(client, adam, alice, organisation):
    client.force_login(adam)
    # A refused save (no last name) re-renders with the role just ticked: the field is there.
    response = client.post(edit_url(alice), edit_data(alice, roles=["partner"], last_name=None))
    assert 'name="organisation"' in response.content.decode()


def test_organisation_of_another_centre_is_not_a_choice(
    client, adam, pete, other_centre, organisation
):
    from opstap.network.models import Organisation

    elsewhere = Organisation.objects.create(centre=other_centre, ref="X", name="Elders vzw")
    client.force_login(adam)
    assert "Elders vzw" not in client.get(edit_url(pete)).content.decode()
    response = client.post(edit_url(pete), edit_data(pete, organisation=elsewhere.pk))
    assert response.status_code == 200
    assert not PartnerContact.objects.filter(user=pete).exists()


def test_admin_of_another_centre_gets_404(client, pete, other_centre, organisation):
    other_admin = UserFactory(centre=other_centre, role_list=["admin"])
    client.force_login(other_admin)
    assert client.get(edit_url(pete)).status_code == 404
    response = client.post(edit_url(pete), edit_data(pete, organisation=organisation.pk))
    assert response.status_code == 404
    assert not PartnerContact.objects.filter(user=pete).exists()


def test_organisation_page_lists_its_contact_accounts(client, adam, alice, pete, pete_contact):
    url = reverse("network:organisation-detail", args=[pete_contact.organisation_id])
    client.force_login(adam)
    page = client.get(url).content.decode()
    assert "Pete Peeters" in page
    assert f'href="{edit_url(pete)}"' in page  # administrators go to his account
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Pete Peeters" in page
    assert f'href="{edit_url(pete)}"' not in page


def test_organisation_page_without_accounts_says_so(client, alice, organisation):
    client.force_login(alice)
    url = reverse("network:organisation-detail", args=[organisation.pk])
    assert "No account of this organisation can log in yet." in client.get(url).content.decode()


def test_organisation_page_bounded_queries(
    client, alice, organisation, django_assert_max_num_queries
):
    for _ in range(8):
        user = UserFactory(centre=organisation.centre, role_list=["partner"])
        PartnerContact.objects.create(user=user, organisation=organisation)
    client.force_login(alice)
    url = reverse("network:organisation-detail", args=[organisation.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_partners_organisation_is_read_once_and_follows_a_change(
    adam, pete, organisation, other_organisation, django_assert_num_queries
):
    from opstap.network import services
    from opstap.network.selectors import partner_organisation_for

    with django_assert_num_queries(1):
        assert partner_organisation_for(pete) is None
        assert partner_organisation_for(pete) is None  # the same request asks again: no query
    services.partner_contact_set(actor=adam, user=pete, organisation=organisation)
    assert partner_organisation_for(pete) == organisation
    services.partner_contact_set(actor=adam, user=pete, organisation=other_organisation)
    with django_assert_num_queries(1):
        assert partner_organisation_for(pete) == other_organisation
        assert partner_organisation_for(pete) == other_organisation
    services.partner_contact_remove(actor=adam, user=pete)
    assert partner_organisation_for(pete) is None
    pete.centre_id = None
    assert partner_organisation_for(pete) is None
