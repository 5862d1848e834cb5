import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from opstap.factories import ClientFactory

from .conftest import add_caseload, appointment_today, old_leefloon, running_gpmi_with_step

HOME = reverse("core:home")
KEY_FIGURES = reverse("dashboards:key-figures")


def test_social_worker_sees_her_day(client, alice, dave, alice_day, centre):
    missing = ClientFactory(centre=centre, first_name="Noor", last_name="Nys")
    add_caseload(centre, alice, 0)
    from opstap.factories import CareTeamMemberFactory

    CareTeamMemberFactory(client=missing, user=alice, role="reference")
    old_leefloon(missing)
    theirs = add_caseload(centre, dave, 1)[0]
    appointment_today(theirs, dave, subject="Dave's talk")
    client.force_login(alice)
    page = client.get(HOME).content.decode()
    assert "Intake talk" in page
    assert "Register at VDAB" in page and "overdue since" in page
    assert "GPMI to sign" in page and "Nys" in page  # from the GPMI app's card
    assert "Dave&#x27;s talk" not in page and "Dave's talk" not in page
    assert 'id="team-caseload"' not in page and "Key figures" not in page
    # due and overdue come before the shortcuts
    assert page.index("Register at VDAB") < page.index("Shortcuts")


def test_shortcut_counts_the_workers_own_caseload(client, alice, dave, maria, centre, oscar):
    from opstap.factories import CareTeamMemberFactory

    add_caseload(centre, alice, 3)
    add_caseload(centre, dave, 2)
    ended = ClientFactory(centre=centre)
    CareTeamMemberFactory(
        client=ended,
        user=alice,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    add_caseload(oscar.centre, alice, 1, prefix="X")  # a membership across centres counts not
    client.force_login(alice)
    assert "My clients (3)" in client.get(HOME).content.decode()
    client.force_login(maria)
    assert "My clients" not in client.get(HOME).content.decode()


def test_steps_due_later_than_a_week_wait(client, alice, client_record):
    running_gpmi_with_step(
        client_record, step_due=datetime.date.today() + datetime.timedelta(days=20)
    )
    client.force_login(alice)
    assert "Register at VDAB" not in client.get(HOME).content.decode()


def test_head_sees_the_team_table(client, carol, alice, bob, dave, centre):
    add_caseload(centre, alice, 3)
    add_caseload(centre, dave, 2)
    client.force_login(carol)
    response = client.get(HOME)
    loads = {load.worker.username: load for load in response.context["team_loads"]}
    assert set(loads) == {"alice", "bob", "carol"}  # dave is in another team
    assert loads["alice"].dossiers == 3 and loads["bob"].dossiers == 0
    page = response.content.decode()
    assert 'id="team-caseload"' in page and reverse("dashboards:team") in page
    assert "Key figures" in page


def test_head_team_counts_only_dossiers_of_the_heads_centre(client, carol, alice, centre, oscar):
    """A membership that reaches a client of another centre counts nowhere in the team table."""
    from opstap.dashboards.team import team_caseload

    add_caseload(centre, alice, 2)
    stray = add_caseload(oscar.centre, alice, 1, prefix="X")[0]
    old_leefloon(stray)
    load = next(x for x in team_caseload(carol) if x.worker == alice)
    assert (load.dossiers, load.gpmi_overdue) == (2, 0)
    assert stray.pk not in load.client_ids


def test_head_team_counts_overdue_gpmi(client, carol, alice, centre):
    late = add_caseload(centre, alice, 1)[0]
    old_leefloon(late)
    running_gpmi_with_step(
        add_caseload(centre, alice, 1, prefix="S")[0],
        step_due=datetime.date.today() - datetime.timedelta(days=1),
    )
    client.force_login(carol)
    load = next(x for x in client.get(HOME).context["team_loads"] if x.worker == alice)
    assert load.gpmi_overdue == 1 and load.steps_overdue == 1 and load.overdue == 2


def test_management_sees_key_figures_without_dossier_links(client, maria, alice, centre):
    people = add_caseload(centre, alice, 2)
    for person in people:
        old_leefloon(person)
    client.force_login(maria)
    response = client.get(KEY_FIGURES, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    figures = response.context["key_figures"]
    assert figures["population"] == 2 and figures["activated"] == 0
    assert "Key figures" in page and "/reports/activation-status/" in page
    assert reverse("dashboards:figure-clients") not in page
    assert "/clients/" not in page.split("<main", 1)[-1]
    assert 'id="my-day"' not in page


def test_head_gets_links_to_the_clients_behind_the_mix(client, carol, alice, centre):
    person = add_caseload(centre, alice, 1)[0]
    old_leefloon(person)
    client.force_login(carol)
    mix = client.get(KEY_FIGURES).context["key_figures"]["mix"]
    (none_row,) = mix
    assert none_row["type"] == "none" and none_row["clients"] == 1
    listed = client.get(none_row["link"])
    assert listed.status_code == 200 and escape(person.last_name) in listed.content.decode()


@pytest.mark.parametrize("user_name", ["carol", "maria", "adam"])
def test_start_page_asks_for_the_key_figures_once_shown(client, request, user_name, centre):
    """The start page of a head, management or an administrator draws a place for the key
    figures that fetches them when shown, and runs none of the reports behind them; the
    figures come as that section alone to the page, as a page of their own to a link."""
    client.force_login(request.getfixturevalue(user_name))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert "key_figures" not in response.context
    assert not [q for q in queries.captured_queries if "trajectories_trajectory" in q["sql"]]
    page = response.content.decode()
    assert f'hx-get="{KEY_FIGURES}" hx-trigger="load" hx-swap="outerHTML"' in page
    assert f'<a href="{KEY_FIGURES}">Show the key figures</a>' in page
    assert page.count('id="key-figures"') == 1
    section = client.get(KEY_FIGURES, HTTP_HX_REQUEST="true")
    fragment = section.content.decode()
    assert fragment.startswith('<section class="card" id="key-figures"')
    assert "<html" not in fragment and 'id="status-mix"' in fragment
    assert "HX-Request" in section["Vary"]
    assert '<h2 id="figures-title">' in fragment
    whole = client.get(KEY_FIGURES).content.decode()
    # A page of its own: the same figures under the page's one h1.
    assert "<html" in whole and whole.count("<h1") == 1
    assert '<h1 id="figures-title">' in whole and 'id="status-mix"' in whole


def test_key_figures_are_not_for_caseworkers_partners_or_visitors(client, alice, pete):
    client.force_login(alice)
    assert client.get(KEY_FIGURES).status_code == 404
    assert "hx-get" not in client.get(HOME).content.decode().split("<main", 1)[-1]
    client.force_login(pete)
    assert client.get(KEY_FIGURES).status_code == 404
    client.logout()
    assert client.get(KEY_FIGURES).status_code == 302


def test_partner_is_redirected(client, pete):
    client.force_login(pete)
    assert client.get(HOME)["Location"] == reverse("core:partner-home")


def _load(centre, alice, n, prefix):
    for person in add_caseload(centre, alice, n, prefix=prefix):
        old_leefloon(person)
        appointment_today(person, alice)
        running_gpmi_with_step(person, step_due=datetime.date.today())


@pytest.mark.parametrize("user_name", ["alice", "carol", "maria", "adam"])
def test_start_page_queries_are_bounded(
    client, request, user_name, alice, carol, maria, adam, centre, django_assert_max_num_queries
):
    user = request.getfixturevalue(user_name)
    client.force_login(user)
    _load(centre, alice, 2, "A")
    client.get(HOME)  # warm caches (sessions, settings rows created on first use)
    # Each measured page follows a write, so kept figures (the head's team table) are counted
    # afresh in both.
    _load(centre, alice, 1, "W")
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    _load(centre, alice, 12, "B")
    with django_assert_max_num_queries(len(few)):
        assert client.get(HOME).status_code == 200
    assert len(few) <= 40


def test_the_start_page_reads_the_workers_reference_dossiers_once(client, alice, alice_day):
    """The cards and the GPMI app's card share one read of the worker's own dossiers."""
    old_leefloon(add_caseload(alice_day.centre, alice, 1, prefix="R")[0])
    client.force_login(alice)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(HOME).content.decode()
    assert "Register at VDAB" in page and "GPMI to sign" in page
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "clients_careteammember"."client_id"')
    ]
    assert len(reads) == 1


def test_a_head_sees_her_own_appointments_in_her_teams_dossiers(client, carol, alice, bob):
    """A head's appointments come through the team's dossiers (a list of any length)."""
    bobs = add_caseload(bob.centre, bob, 1, prefix="H")[0]
    appointment_today(bobs, carol, subject="Talk with the head")
    appointment_today(bobs, bob, subject="Bob's own talk")
    client.force_login(carol)
    today = client.get(HOME).context["appointments"]["today"]
    assert [a.subject for a in today] == ["Talk with the head"]


def test_the_cards_statements_are_built_once(alice, carol, bob, alice_day, monkeypatch):
    """After a first start page, the cards' statements are not built again on PostgreSQL, for
    any number of dossiers (elsewhere a list of ids has one place per id, so they are)."""
    from django.db.models.sql.compiler import SQLCompiler

    from opstap.activation.selectors import evaluations_due_for
    from opstap.dashboards.start import worker_day
    from opstap.dashboards.team import team_caseload
    from opstap.gpmi.selectors import due_for_worker
    from opstap.network.selectors import first_referrals_waiting

    def cards():
        day = worker_day(alice)
        return (
            day,
            due_for_worker(alice, client_ids=day["reference_ids"]),
            list(evaluations_due_for(alice, limit=10)),
            first_referrals_waiting(alice),
        )

    def team():
        return [(x.worker.pk, x.dossiers, x.overdue) for x in team_caseload(carol)]

    old_leefloon(add_caseload(alice_day.centre, alice, 1, prefix="C")[0])
    add_caseload(alice_day.centre, bob, 2, prefix="D")
    first, _team = cards(), team()
    add_caseload(alice_day.centre, alice, 2, prefix="E")
    built = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        built.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    day, gpmi, evaluations, _referrals = cards()
    of_worker, built[:] = list(built), []
    loads = team()
    assert len(day["reference_ids"]) == len(first[0]["reference_ids"]) + 2
    assert day["steps_due"] == first[0]["steps_due"] and gpmi == first[1]
    assert next(n for pk, n, _ in loads if pk == alice.pk) == len(day["reference_ids"])
    if connection.vendor == "postgresql":
        assert of_worker == []
        # The team table builds only its list of workers and the referrals through the
        # head's access (a subquery over the team, of any length): no statement of its own
        # on memberships, rights, contracts or steps.
        top = [re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', sql) for sql in built]
        assert {m.group(1) for m in top if m} == {"accounts_user", "network_referral"}
    else:
        assert of_worker


def test_the_heads_team_table_is_kept_until_what_it_counts_is_written(carol, alice, bob, centre):
    """The team table is kept between reads (opstap.core.stored) and follows every write."""
    from django.test import override_settings

    from opstap.clients.models import CareTeamMember
    from opstap.dashboards.team import team_caseload
    from opstap.factories import JournalNoteFactory

    def rows(loads):
        return [
            (x.worker.pk, x.dossiers, x.gpmi_overdue, x.steps_overdue, x.referrals_waiting)
            for x in loads
        ]

    def table():
        kept = rows(team_caseload(carol))
        with override_settings(STORED_FIGURES=False):
            assert rows(team_caseload(carol)) == kept
        return kept

    people = add_caseload(centre, alice, 2, prefix="T")
    seen = [table()]
    with CaptureQueriesContext(connection) as queries:
        assert rows(team_caseload(carol)) == seen[-1]
    assert len(queries) == 1  # kept: the centre's record of writes only
    add_caseload(centre, bob, 1, prefix="U")
    seen.append(table())
    running_gpmi_with_step(people[0], step_due=datetime.date.today() - datetime.timedelta(days=3))
    seen.append(table())
    CareTeamMember.objects.filter(client=people[1], user=alice).delete()
    seen.append(table())
    alice.teams.clear()
    seen.append(table())
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False)), seen
    JournalNoteFactory(client=people[0])  # nothing the table counts
    with CaptureQueriesContext(connection) as queries:
        assert rows(team_caseload(carol)) == seen[-1]
    assert len(queries) == 1
