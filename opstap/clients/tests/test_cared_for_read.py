"""CaredForRead: the reads over the clients a user may open, with their statement built once.

A head may open the dossiers of everyone in the head's teams. That list of people is one
parameter of the head's statement, so it is built once for any team, and what it reads is what
`client_queryset_for` gives.
"""

import datetime

import pytest
from django.db import connection

from opstap.clients.selectors import _DOSSIER, CaredForRead, client_queryset_for
from opstap.factories import CareTeamMemberFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _counting_read():
    calls = []

    def build(clients, user_id, centre_id):
        calls.append(user_id)
        return clients.order_by("pk")

    return CaredForRead(build), calls


def test_a_heads_read_is_what_the_heads_queryset_gives(
    centre, office, team_a, team_b, alice, bob, carol, dave, client_record
):
    # One client per care team: alice's (client_record), bob's, dave's (another team), and
    # one whose only member has left.
    of_bob = ClientFactory(centre=centre, office=office)
    CareTeamMemberFactory(client=of_bob, user=bob, role="counsellor")
    of_dave = ClientFactory(centre=centre, office=office)
    CareTeamMemberFactory(client=of_dave, user=dave, role="reference")
    left = ClientFactory(centre=centre, office=office)
    CareTeamMemberFactory(
        client=left,
        user=alice,
        role="reference",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    read, _calls = _counting_read()

    expected = list(client_queryset_for(carol).order_by("pk"))
    assert read.list(carol) == expected
    assert {c.pk for c in expected} == {client_record.pk, of_bob.pk}
    assert _DOSSIER.first(carol, of_bob.pk) == of_bob
    assert _DOSSIER.first(carol, of_dave.pk) is None  # another team's dossier
    assert _DOSSIER.first(carol, left.pk) is None  # no current member of the team


def test_a_heads_statement_is_built_once_for_any_team(
    centre, office, team_a, alice, carol, client_record
):
    read, calls = _counting_read()
    assert [c.pk for c in read.list(carol)] == [client_record.pk]
    built = len(calls)

    # The team grows by one worker with a dossier of her own: the same statement reads it.
    newcomer = UserFactory(centre=centre, role_list=["social_worker"], team_list=[team_a])
    theirs = ClientFactory(centre=centre, office=office)
    CareTeamMemberFactory(client=theirs, user=newcomer, role="reference")
    carol.refresh_from_db()  # a new request: the team is read again
    carol.__dict__.pop("_opstap_team_member_ids", None)

    assert [c.pk for c in read.list(carol)] == sorted([client_record.pk, theirs.pk])
    assert read.list(carol) == list(client_queryset_for(carol).order_by("pk"))
    if connection.vendor == "postgresql":
        # One array parameter: built on the first read only (to find the parameters' places,
        # see PreparedRead), then never again.
        assert len(calls) == built
    else:
        # One placeholder per id elsewhere: each read is built as the queryset is.
        assert len(calls) == built + 2
