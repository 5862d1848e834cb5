import datetime

import pytest

from opstap.courses import services
from opstap.courses.models import Edition, Module
from opstap.courses.schedule import BRUGES_SCHEDULES
from opstap.factories import CareTeamMemberFactory, ClientFactory
from opstap.network.models import Organisation

# A Monday, so week n starts on a Monday.
START = datetime.date(2030, 2, 4)


def phases_of(key: str) -> list[dict]:
    return [
        {
            "kind": p.kind,
            "weeks": p.weeks,
            "hours": p.hours,
            "days_per_week": p.days_per_week,
            "label": p.label,
        }
        for p in BRUGES_SCHEDULES[key]
    ]


@pytest.fixture
def intro(centre):
    return Organisation.objects.create(centre=centre, ref="INTRO", name="Groep INTRO vzw")


@pytest.fixture
def taalent(centre, intro):
    module = Module.objects.create(
        centre=centre,
        ref="TAALENT",
        name_nl="Ta(a)lent",
        name_en="Ta(a)lent",
        non_native_only=True,
        age_min=18,
        dutch_level_max="B1",
        target_group="Beperkt zicht op eigen talenten",
    )
    module.partners.add(intro)
    return module


@pytest.fixture
def uitstraling(centre):
    return Module.objects.create(
        centre=centre, ref="UITSTRALING", name_nl="Uitstraling", target_gender="F", age_min=18
    )


@pytest.fixture
def edition(centre, taalent):
    return Edition.objects.create(
        centre=centre,
        module=taalent,
        ref="TAALENT-2030-1",
        start_date=START,
        end_date=START,
        capacity=2,
        cost_eur="9000.00",
    )


@pytest.fixture
def scheduled(edition, adam):
    services.schedule_save(actor=adam, edition=edition, phases=phases_of("taalent"))
    edition.refresh_from_db()
    return edition


def make_client(centre, worker, **kwargs):
    defaults = {
        "centre": centre,
        "gender": "F",
        "language": "ar",
        "dutch_level": "A2",
        "birth_date": datetime.date(1990, 5, 1),
    }
    client = ClientFactory(**{**defaults, **kwargs})
    CareTeamMemberFactory(client=client, user=worker, role="reference")
    return client


@pytest.fixture
def newcomer(centre, alice):
    return make_client(centre, alice, first_name="Amal", last_name="Haddad")


@pytest.fixture
def newcomers(centre, alice):
    return [
        make_client(centre, alice, first_name=name, last_name="Test")
        for name in ("Amal", "Bilal", "Chen")
    ]
