import pytest

from opstap.balance import services
from opstap.factories import CareTeamMemberFactory


@pytest.fixture
def counsellor_bob(bob, client_record):
    """Bob, trajectory counsellor, on the client's care team (he runs the balance)."""
    CareTeamMemberFactory(client=client_record, user=bob, role="counsellor")
    return bob


@pytest.fixture
def balance(alice, client_record):
    return services.balance_create(actor=alice, client=client_record)
