import datetime

import pytest

from opstap.factories import CareTeamMemberFactory, ClientFactory, UserFactory, make_placement
from opstap.network.models import Organisation, PartnerContact, Place


@pytest.fixture
def lien(centre, team_a, client_record):
    """Social activation staff, on the care team of `client_record`."""
    user = UserFactory(
        username="lien",
        first_name="Lien",
        last_name="Wouters",
        centre=centre,
        role_list=["activation"],
        team_list=[team_a],
        language="en",
    )
    CareTeamMemberFactory(client=client_record, user=user, role="activation")
    return user


@pytest.fixture
def other_organisation(centre):
    return Organisation.objects.create(
        centre=centre, ref="ZOO", name="Dierenasiel", sector="animals"
    )


@pytest.fixture
def place(organisation):
    return Place.objects.create(
        organisation=organisation,
        title="Fietsherstelling",
        hours_per_week=12,
        location="2140 Borgerhout",
    )


@pytest.fixture
def pete_contact(pete, organisation):
    pete.language = "en"
    pete.save()
    return PartnerContact.objects.create(user=pete, organisation=organisation)


@pytest.fixture
def second_client(centre, office, alice, lien):
    client = ClientFactory(centre=centre, office=office, last_name="Peeters", first_name="Jan")
    CareTeamMemberFactory(client=client, user=alice, role="reference")
    CareTeamMemberFactory(client=client, user=lien, role="activation")
    return client


@pytest.fixture
def placement(client_record, organisation, place):
    return make_placement(
        client_record,
        organisation,
        ref="PL-1",
        place=place,
        start=datetime.date.today().replace(day=1) - datetime.timedelta(days=200),
    )


@pytest.fixture
def second_placement(second_client, organisation):
    return make_placement(
        second_client,
        organisation,
        ref="PL-2",
        kind="arbeidszorg",
        track="opstap",
        start=datetime.date.today().replace(day=1) - datetime.timedelta(days=100),
    )
