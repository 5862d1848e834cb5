import datetime

import pytest

from opstap.network.models import Organisation, PartnerContact, Place, SupportOffer


@pytest.fixture
def organisation(centre):
    return Organisation.objects.create(
        centre=centre,
        ref="ANA",
        name="vzw ANA",
        kbo="0403170701",
        sector="technical",
        contact_name="An Verhuis",
        contact_email="an@ana.example",
        insurance_until=datetime.date.today() + datetime.timedelta(days=300),
    )


@pytest.fixture
def other_organisation(centre):
    return Organisation.objects.create(
        centre=centre,
        ref="ZOO",
        name="Dierenasiel Stadsbeest",
        sector="animals",
        insurance_until=datetime.date.today() + datetime.timedelta(days=300),
    )


@pytest.fixture
def pete_contact(pete, organisation):
    return PartnerContact.objects.create(user=pete, organisation=organisation)


@pytest.fixture
def place(organisation):
    return Place.objects.create(
        organisation=organisation,
        title="Fietsherstelling",
        tasks="Fietsen herstellen in 't Fietsateljee",
        hours_per_week=12,
        location="Borgerhout",
    )


@pytest.fixture
def other_place(other_organisation):
    return Place.objects.create(organisation=other_organisation, title="Dierenverzorging")


@pytest.fixture
def offer(centre):
    return SupportOffer.objects.create(
        centre=centre,
        code="",
        name_nl="Budgetbeheer",
        name_fr="Gestion budgétaire",
        name_en="Budget management",
        kind="welfare",
    )


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever catalogues exist."""
    settings.LANGUAGE_CODE = "en"
