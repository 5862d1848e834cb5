from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opstap.accounts.models import User
from opstap.clients.models import CareRole, CareTeamMember, Client
from opstap.core.models import Centre
from opstap.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD
from opstap.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_load_demo_creates_the_centre_and_one_account_per_role():
    output = _run("load_demo")
    centre = Centre.objects.get(code="demo")
    assert centre.name == "OCMW Demostad"
    assert 250 <= Client.objects.filter(centre=centre).count() <= 350
    roles = {}
    for username in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.centre == centre
        assert user.check_password(DEMO_PASSWORD)
        roles[username] = user.role_set
        assert username in output
    assert roles == {
        "social": {"social_worker"},
        "counsellor": {"counsellor"},
        "activation": {"activation"},
        "head": {"head"},
        "management": {"management"},
        "admin": {"admin"},
        "partner": {"partner"},
    }
    assert "http://127.0.0.1:8000/" in output
    # Demo data lives only in the demo centre.
    assert not User.objects.exclude(centre=centre).exists()
    assert not Client.objects.exclude(centre=centre).exists()


def test_social_is_reference_worker_of_most_of_team_one_and_others_share_the_rest():
    _run("load_demo")
    social = User.objects.get(username="social")
    head = User.objects.get(username="head")
    team_one = social.teams.get()
    assert head.teams.get() == team_one
    active_refs = CareTeamMember.objects.filter(role=CareRole.REFERENCE, end_date__isnull=True)
    team_one_refs = active_refs.filter(client__office=team_one.office)
    assert team_one_refs.filter(user=social).count() > team_one_refs.count() / 2
    assert active_refs.filter(user=social).count() >= 30
    others = set(active_refs.exclude(user=social).values_list("user", flat=True))
    assert len(others) == 6
    assert CareTeamMember.objects.filter(user__username="counsellor").exists()
    assert CareTeamMember.objects.filter(user__username="activation").exists()


def test_load_demo_twice_leaves_the_demo_as_it_is():
    _run("load_demo")
    before = (Client.objects.count(), User.objects.count(), CareTeamMember.objects.count())
    output = _run("load_demo")
    assert "left unchanged" in output
    assert (Client.objects.count(), User.objects.count(), CareTeamMember.objects.count()) == before


def test_load_demo_reset_rebuilds_the_dossiers_and_keeps_the_accounts():
    _run("load_demo", clients=40)
    social_pk = User.objects.get(username="social").pk
    first_ids = set(Client.objects.values_list("pk", flat=True))
    output = _run("load_demo", clients=40, reset=True)
    assert "Rebuilt" in output
    assert Client.objects.count() == 40
    assert not first_ids & set(Client.objects.values_list("pk", flat=True))
    assert User.objects.get(username="social").pk == social_pk
    assert User.objects.filter(username="social").count() == 1


def test_load_demo_refuses_a_demo_username_taken_in_another_centre():
    UserFactory(username="social", centre=CentreFactory(code="gent"))
    with pytest.raises(CommandError, match="social"):
        _run("load_demo")
    assert not Centre.objects.filter(code="demo").exists()


def test_generate_data_makes_several_centres_with_unique_insz():
    output = _run("generate_data", clients=60, centres=2, years=2)
    assert "ocmw01: 30 clients" in output and "ocmw02: 30 clients" in output
    for code in ("ocmw01", "ocmw02"):
        centre = Centre.objects.get(code=code)
        assert centre.clients.count() == 30
        assert User.objects.filter(centre=centre, roles__contains=",social_worker,").exists()
    numbers = list(Client.objects.values_list("insz", flat=True))
    assert len(set(numbers)) == 60
    # Every right carries its client's centre (the tenant column the reports count by).
    from django.db.models import F

    from opstap.clients.models import IncomeRight

    assert IncomeRight.objects.filter(client__centre__code="ocmw02").exists()
    assert not IncomeRight.objects.exclude(centre_id=F("client__centre_id")).exists()
    assert not User.objects.filter(username__in=DEMO_ACCOUNTS).exists()
    again = _run("generate_data", clients=60, centres=2, years=2)
    assert "skipped" in again
    assert Client.objects.count() == 60


def test_centre_sizes_follow_a_national_run():
    from opstap.demo.generator import centre_sizes

    sizes = centre_sizes(250_000, 50)
    assert len(sizes) == 50 and sum(sizes) == 250_000
    assert sizes[0] == 20_000
    assert max(sizes[1:]) - min(sizes[1:]) <= 1
    assert centre_sizes(60, 2) == [30, 30]
    assert centre_sizes(1000, 1) == [1000]
    assert sum(centre_sizes(1001, 7)) == 1001


@pytest.mark.django_db(transaction=True)
def test_generate_data_side_by_side_on_postgresql():
    """On PostgreSQL, centres are generated by parallel processes; SQLite makes them in turn."""
    import os

    from django.db import connection

    from opstap.demo.bulk import default_jobs

    output = _run("generate_data", clients=40, centres=2, years=1, jobs=2)
    assert "Generated 40 clients" in output
    assert Client.objects.filter(centre__code__in=["ocmw01", "ocmw02"]).count() == 40
    assert len(set(Client.objects.values_list("centre_id", "insz"))) == 40
    # Only PostgreSQL outside a transaction takes several processes.
    assert (default_jobs() > 1) == (connection.vendor == "postgresql" and (os.cpu_count() or 1) > 1)
