"""Personas shared by every test.

alice   social worker, team A, reference worker of `client`
bob     trajectory counsellor, team A, not on the client's care team
carol   head of service of team A
dave    social worker of team B (a colleague of another team)
maria   management (figures only)
adam    administrator
pete    partner-organisation contact
oscar   social worker of another centre (the outsider)
"""

import os

import pytest

from opstap.factories import (
    TEST_PASSWORD,
    CareTeamMemberFactory,
    CentreFactory,
    ClientFactory,
    OfficeFactory,
    TeamFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM is only touched
# by the test itself between browser calls, which is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Browser tests: the `browser_page` fixture (see opstap/browser.py).
pytest_plugins = ["opstap.browser"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, with every connection of this thread closed before they are dropped.

    Django keeps a connection per context, and the connection that created the test database
    is not always the one the last test used: after a run of browser tests one of them stayed
    open, and PostgreSQL refused to drop the database ("being accessed by other users").
    """
    yield
    import gc
    import threading

    from django.db.backends.base.base import BaseDatabaseWrapper

    with django_db_blocker.unblock():
        for wrapper in [o for o in gc.get_objects() if isinstance(o, BaseDatabaseWrapper)]:
            if wrapper.connection is not None and wrapper._thread_ident == threading.get_ident():
                wrapper.close()


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def centre(db):
    return CentreFactory(code="gent", name="OCMW Gent")


@pytest.fixture
def other_centre(db):
    return CentreFactory(code="brugge", name="OCMW Brugge")


@pytest.fixture
def office(centre):
    return OfficeFactory(centre=centre, name="Wijkcentrum Noord")


@pytest.fixture
def team_a(centre):
    return TeamFactory(centre=centre, name="Team A")


@pytest.fixture
def team_b(centre):
    return TeamFactory(centre=centre, name="Team B")


@pytest.fixture
def alice(centre, team_a):
    return UserFactory(
        username="alice",
        first_name="Alice",
        last_name="Aerts",
        centre=centre,
        role_list=["social_worker"],
        team_list=[team_a],
    )


@pytest.fixture
def bob(centre, team_a):
    return UserFactory(
        username="bob",
        first_name="Bob",
        last_name="Bauwens",
        centre=centre,
        role_list=["counsellor"],
        team_list=[team_a],
    )


@pytest.fixture
def carol(centre, team_a):
    return UserFactory(
        username="carol",
        first_name="Carol",
        last_name="Claes",
        centre=centre,
        role_list=["head"],
        team_list=[team_a],
    )


@pytest.fixture
def dave(centre, team_b):
    return UserFactory(
        username="dave",
        first_name="Dave",
        last_name="De Smet",
        centre=centre,
        role_list=["social_worker"],
        team_list=[team_b],
    )


@pytest.fixture
def maria(centre):
    return UserFactory(
        username="maria",
        first_name="Maria",
        last_name="Maes",
        centre=centre,
        role_list=["management"],
    )


@pytest.fixture
def adam(centre):
    return UserFactory(
        username="adam", first_name="Adam", last_name="Adriaens", centre=centre, role_list=["admin"]
    )


@pytest.fixture
def pete(centre):
    return UserFactory(
        username="pete",
        first_name="Pete",
        last_name="Peeters",
        centre=centre,
        role_list=["partner"],
    )


@pytest.fixture
def oscar(other_centre):
    return UserFactory(
        username="oscar",
        first_name="Oscar",
        last_name="Oosterlinck",
        centre=other_centre,
        role_list=["social_worker"],
    )


@pytest.fixture
def client_record(centre, office, alice):
    client = ClientFactory(
        centre=centre,
        office=office,
        last_name="Janssens",
        first_name="Fatima",
        insz="85073003328",
        language="fr",
    )
    CareTeamMemberFactory(client=client, user=alice, role="reference")
    return client


def login_as(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_alice(client, alice):
    return login_as(client, alice)


def pytest_configure(config):
    # The live-server thread of the browser tests must not keep its connection open,
    # or PostgreSQL refuses to drop the test database at the end.
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def no_api_rate_limit(settings):
    """The API rate limit counts per process; tests that exercise it set API_RATE_LIMIT."""
    settings.API_RATE_LIMIT = 0


@pytest.fixture(autouse=True)
def english_source_language(settings):
    """Tests read in the source language (English) unless they ask for another.

    Production's default stays Dutch (config.settings.LANGUAGE_CODE, pinned by a test); tests of
    Dutch and French output send the language explicitly (cookie or Accept-Language).
    """
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def organisation(centre):
    """A partner organisation of the centre, insured for the coming months."""
    import datetime

    from opstap.network.models import Organisation

    return Organisation.objects.create(
        centre=centre,
        ref="ANA",
        name="vzw ANA",
        sector="technical",
        insurance_until=datetime.date.today() + datetime.timedelta(days=300),
    )
