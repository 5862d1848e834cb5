import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape

from opstap.clients.models import CareTeamMember
from opstap.core.models import AuditEntry
from opstap.dashboards.services import reference_reassign

from .conftest import add_caseload

URL = reverse("dashboards:team")
TODAY = datetime.date.today()


def _references(person):
    return set(
        CareTeamMember.objects.filter(client=person, role="reference")
        .exclude(end_date__lt=TODAY)
        .values_list("user__username", flat=True)
    )


def test_head_moves_one_dossier(client, carol, alice, bob, centre):
    person, stays = add_caseload(centre, alice, 2)
    client.force_login(carol)
    response = client.post(URL, {"worker": alice.pk, "to_worker": bob.pk, "clients": [person.pk]})
    assert response.status_code == 302
    assert _references(person) == {"bob"} and _references(stays) == {"alice"}
    old = CareTeamMember.objects.get(client=person, user=alice)
    assert old.end_date == TODAY - datetime.timedelta(days=1)  # history kept
    entries = AuditEntry.objects.filter(action="careteam.reference.reassigned", client_id=person.pk)
    assert entries.get().changes == {"reference": [str(alice), str(bob)]}
    assert AuditEntry.objects.filter(action="careteam.ended", client_id=person.pk).exists()
    assert AuditEntry.objects.filter(action="careteam.added", client_id=person.pk).exists()


def test_head_moves_many_dossiers_in_one_action(client, carol, alice, bob, centre):
    people = add_caseload(centre, alice, 4)
    client.force_login(carol)
    chosen = [p.pk for p in people[:3]]
    client.post(URL, {"worker": alice.pk, "to_worker": bob.pk, "clients": chosen})
    assert [_references(p) for p in people] == [{"bob"}] * 3 + [{"alice"}]
    audited = AuditEntry.objects.filter(action="careteam.reference.reassigned")
    assert sorted(audited.values_list("client_id", flat=True)) == sorted(chosen)
    page = client.get(f"{URL}?worker={bob.pk}").content.decode()
    assert all(escape(p.last_name) in page for p in people[:3])  # "D'Hondt" is escaped


def test_all_or_nothing_when_one_dossier_is_not_the_workers(carol, alice, bob, dave, centre):
    mine = add_caseload(centre, alice, 1)[0]
    other = add_caseload(centre, bob, 1)[0]  # bob's, not alice's
    with pytest.raises(Http404):
        reference_reassign(
            actor=carol,
            from_worker_id=alice.pk,
            to_worker_id=bob.pk,
            client_ids=[mine.pk, other.pk],
        )
    assert _references(mine) == {"alice"}
    assert not AuditEntry.objects.filter(action="careteam.reference.reassigned").exists()


def test_outside_the_team_is_404(client, carol, alice, bob, dave, oscar, centre):
    theirs = add_caseload(centre, dave, 1)[0]
    mine = add_caseload(centre, alice, 1)[0]
    client.force_login(carol)
    # a dossier of another team, a worker of another team, a worker of another centre
    assert (
        client.post(
            URL, {"worker": dave.pk, "to_worker": bob.pk, "clients": [theirs.pk]}
        ).status_code
        == 404
    )
    assert (
        client.post(
            URL, {"worker": alice.pk, "to_worker": dave.pk, "clients": [mine.pk]}
        ).status_code
        == 404
    )
    assert (
        client.post(
            URL, {"worker": alice.pk, "to_worker": oscar.pk, "clients": [mine.pk]}
        ).status_code
        == 404
    )
    assert (
        client.post(
            URL, {"worker": alice.pk, "to_worker": bob.pk, "clients": [theirs.pk]}
        ).status_code
        == 404
    )
    assert client.get(f"{URL}?worker={dave.pk}").status_code == 404
    assert _references(theirs) == {"dave"} and _references(mine) == {"alice"}


@pytest.mark.parametrize("name", ["alice", "maria", "oscar", "pete"])
def test_only_a_head_has_a_team_page(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(URL).status_code == 404


def test_missing_choices_are_named_and_the_selection_kept(client, carol, alice, bob, centre):
    person = add_caseload(centre, alice, 1)[0]
    client.force_login(carol)
    response = client.post(URL, {"worker": alice.pk, "to_worker": "", "clients": [person.pk]})
    assert response.status_code == 400
    assert "Choose the new reference worker." in response.content.decode()
    assert f'value="{person.pk}" id="move-{person.pk}" checked' in response.content.decode()
    response = client.post(URL, {"worker": alice.pk, "to_worker": bob.pk})
    assert "Select at least one dossier." in response.content.decode()
    with pytest.raises(ValidationError):
        reference_reassign(
            actor=carol, from_worker_id=alice.pk, to_worker_id=alice.pk, client_ids=[person.pk]
        )


def test_team_page_queries_are_bounded(
    client, carol, alice, bob, centre, django_assert_max_num_queries
):
    add_caseload(centre, alice, 15)
    add_caseload(centre, bob, 5)
    client.force_login(carol)
    with django_assert_max_num_queries(20):
        assert client.get(f"{URL}?worker={alice.pk}").status_code == 200
