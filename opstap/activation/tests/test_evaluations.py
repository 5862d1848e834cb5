import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from opstap.activation import selectors, services
from opstap.activation.models import Evaluation
from opstap.core.dates import add_months

from .conftest import make_placement

TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("kind", "track", "months"),
    [
        ("volunteering", "opstap", 4),
        ("volunteering", "mogelijke_opstap", 4),
        ("arbeidszorg", "opstap", 3),
        ("arbeidszorg", "mogelijke_opstap", 3),
        ("arbeidszorg", "finaliteit", 12),
    ],
)
def test_cadence_follows_the_seed(centre, client_record, organisation, kind, track, months):
    start = datetime.date(2024, 1, 31)
    p = make_placement(client_record, organisation, ref="E", kind=kind, track=track, start=start)
    assert selectors.next_evaluation_due(p, selectors.settings_for(centre)) == add_months(
        start, months
    )


def test_cadence_is_configurable_per_centre(centre, lien, client_record, organisation):
    services.settings_update(actor=lien, centre=centre, eval_arbeidszorg_opstap=2)
    p = make_placement(
        client_record,
        organisation,
        ref="E",
        kind="arbeidszorg",
        track="opstap",
        start=datetime.date(2024, 1, 10),
    )
    assert selectors.next_evaluation_due(p, selectors.settings_for(centre)) == datetime.date(
        2024, 3, 10
    )


def test_due_and_overdue_on_start_page(client, lien, client_record, organisation, dave):
    p = make_placement(
        client_record,
        organisation,
        ref="OVER",
        kind="arbeidszorg",
        track="opstap",
        start=TODAY - datetime.timedelta(days=120),
    )
    due = selectors.evaluations_due_for(lien)
    assert [(d.placement, d.overdue) for d in due] == [(p, True)]
    assert selectors.evaluations_due_for(dave) == []
    client.force_login(lien)
    page = client.get("/").content.decode()
    assert "Placement evaluations due" in page and "overdue since" in page


def test_three_way_evaluation(client, lien, pete_contact, client_record, organisation):
    p = make_placement(
        client_record,
        organisation,
        ref="EV",
        kind="volunteering",
        track="opstap",
        start=TODAY - datetime.timedelta(days=130),
    )
    due = selectors.current_evaluation_due(p)
    # the organisation's form, in the partner portal
    client.force_login(pete_contact.user)
    grid = client.get(reverse("activation:partner-hours")).content.decode()
    assert "Evaluation forms to fill in" in grid
    url = reverse("activation:partner-evaluation", args=[p.pk])
    client.post(url, {"due": due.isoformat(), "org_attendance": "Always on time"})
    # the client's form and the conversation, by the activation worker
    client.force_login(lien)
    url = reverse("activation:evaluation", args=[p.pk])
    client.post(url, {"part": "client", "due": due.isoformat(), "client_going_well": "Fun"})
    bad = client.post(
        url, {"part": "talk", "due": due.isoformat(), "held_on": "", "conclusion": "Going well"}
    )
    assert bad.status_code == 200 and "Going well" in bad.content.decode()
    client.post(
        url,
        {
            "part": "talk",
            "due": due.isoformat(),
            "held_on": TODAY.strftime("%d/%m/%Y"),
            "conclusion": "Keep going",
        },
    )
    ev = Evaluation.objects.get(placement=p)
    assert ev.org_attendance == "Always on time" and ev.client_going_well == "Fun"
    assert ev.held_on == TODAY and ev.done
    assert selectors.evaluations_due_for(lien) == []
    with pytest.raises(ValidationError):
        services.evaluation_save(
            actor=lien, placement=p, due_on=due, part="org", org_work="late change"
        )


def _due_as_before(user) -> list:
    """The partner grid's due list as the view computed it with querysets (the reference)."""
    from django.db.models import Max

    placements = (
        selectors.placement_queryset_for(user).filter(status="active").select_related("client")
    )
    settings = selectors.settings_for(user.centre_id)
    open_evals = {
        e.placement_id: e
        for e in Evaluation.objects.filter(
            placement__in=placements, held_on__isnull=True, org_form_on__isnull=True
        )
    }
    due = []
    for p in placements.annotate(last_held=Max("evaluations__held_on")):
        day = (
            open_evals[p.pk].due_on
            if p.pk in open_evals
            else selectors.next_evaluation_due(p, settings)
        )
        if day and day <= TODAY + datetime.timedelta(days=selectors.EVALUATION_NOTICE_DAYS):
            due.append((p, day))
    return due


def test_partner_due_evaluations_are_those_the_querysets_gave(
    client_record, organisation, other_organisation, pete_contact
):
    def days(n):
        return TODAY - datetime.timedelta(days=n)

    shapes = [  # ref, kind, track, started days ago, status, evaluations (due, held, org form)
        ("OPEN", "volunteering", "opstap", 130, None, [(days(5), None, None)]),
        (
            "TWO",
            "volunteering",
            "opstap",
            400,
            None,
            [(days(90), None, None), (days(2), None, None)],
        ),
        ("FORM", "volunteering", "opstap", 130, None, [(days(5), None, days(1))]),
        ("TALK", "arbeidszorg", "finaliteit", 700, None, [(days(300), days(290), days(295))]),
        ("NEW", "volunteering", "opstap", 3, None, []),
        ("OLD", "volunteering", "opstap", 200, None, []),
        ("ENDED", "volunteering", "opstap", 200, "ended", [(days(5), None, None)]),
    ]
    for ref, kind, track, started, status, evaluations in shapes:
        extra = {"status": status} if status else {}
        p = make_placement(
            client_record,
            organisation,
            ref=ref,
            kind=kind,
            track=track,
            start=days(started),
            **extra,
        )
        for due_on, held_on, org_form_on in evaluations:
            Evaluation.objects.create(
                placement=p, due_on=due_on, held_on=held_on, org_form_on=org_form_on
            )
    make_placement(client_record, other_organisation, ref="ELSE", start=days(300))
    user = pete_contact.user
    expected = _due_as_before(user)
    got = selectors.partner_due_evaluations(organisation, user.centre_id)
    assert [(p.pk, day) for p, day in got] == [(p.pk, day) for p, day in expected]
    assert {p.ref for p, _day in got} >= {"OPEN", "TWO", "OLD"}
    assert "NEW" not in {p.ref for p, _day in got} and "ENDED" not in {p.ref for p, _d in got}
    assert dict((p.ref, day) for p, day in got)["TWO"] == days(2)
    assert all(p.client.full_name for p, _day in got)


def test_grid_lists_forms_due_in_the_same_queries_for_more_placements(
    client, centre, pete_contact, organisation
):
    """The forms due are read once for all placements: more of them add no query, and each
    is listed with its client's name and a link to its form."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opstap.factories import ClientFactory

    def grid_with(count: int) -> tuple[list[str], str]:
        for i in range(count):
            person = ClientFactory(centre=centre, first_name=f"Due{i}", last_name="Vos")
            make_placement(
                person,
                organisation,
                ref=f"DUE-{count}-{i}",
                kind="arbeidszorg",
                track="opstap",
                start=TODAY - datetime.timedelta(days=200 + i),
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("activation:partner-hours")).content.decode()
        return [q["sql"] for q in queries.captured_queries], page

    client.force_login(pete_contact.user)
    client.get(reverse("activation:partner-hours"))  # the first visit creates the settings
    one, _page = grid_with(1)
    five, page = grid_with(4)
    assert len(five) == len(one), "\n".join(sql[:150] for sql in five)
    for placement in selectors.partner_due_evaluations(organisation, centre.pk):
        url = reverse("activation:partner-evaluation", args=[placement[0].pk])
        assert f'<a href="{url}">{placement[0].client.full_name}</a>' in page
    assert page.count("Vos</a> — ") == 5


def due_placement(centre, worker, organisation, *, first_name: str, ref: str, days_ago: int):
    """A client of the worker with an arbeidszorg placement started `days_ago`: due by now."""
    from opstap.factories import CareTeamMemberFactory, ClientFactory

    person = ClientFactory(centre=centre, first_name=first_name, last_name="Maes")
    CareTeamMemberFactory(client=person, user=worker)
    return make_placement(
        person,
        organisation,
        ref=ref,
        kind="arbeidszorg",
        track="opstap",
        start=TODAY - datetime.timedelta(days=days_ago),
    )


def test_start_page_lists_evaluations_due_in_the_same_queries_for_more(
    client, centre, lien, organisation, other_organisation
):
    """The start page's evaluations due name the client and the organisation of each, and
    more of them add no query (each is read with what the list shows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = []

    def page_with(count: int, org) -> tuple[int, str]:
        for _i in range(count):
            n = len(made)
            made.append(
                due_placement(
                    centre, lien, org, first_name=f"Eva{n}", ref=f"EV-{n}", days_ago=120 + n
                )
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        return len(queries), page

    client.force_login(lien)
    client.get("/")  # the first visit creates the settings
    one, _page = page_with(1, organisation)
    five, page = page_with(4, other_organisation)
    assert five == one
    for p in made:
        assert f"{p.client.full_name}</a>: {p.organisation.name} · " in page


def test_start_page_shows_the_first_ten_due_and_counts_them_all(client, centre, lien, organisation):
    # The later in the list, the longer ago it started: the last one is due first.
    made = [
        due_placement(
            centre, lien, organisation, first_name=f"Due{i:02d}", ref=f"DUE-{i}", days_ago=100 + i
        )
        for i in range(12)
    ]
    every = selectors.evaluations_due_for(lien)
    assert [d.placement for d in every] == made[::-1]
    assert every.total == 12
    first = selectors.evaluations_due_for(lien, limit=3)
    assert [(d.placement, d.due_on, d.overdue) for d in first] == [
        (d.placement, d.due_on, d.overdue) for d in every[:3]
    ]
    assert first.total == 12
    assert [d.placement.client.full_name for d in first] == [
        "Due11 Maes",
        "Due10 Maes",
        "Due09 Maes",
    ]
    client.force_login(lien)
    page = client.get("/").content.decode()
    start = page.index("Placement evaluations due")
    section = page[start : page.index("</section>", start)]
    assert '<span class="badge warn">12</span>' in section
    assert "The 10 due first, of 12." in section
    for p in made[2:]:
        assert f">{escape(p.client.full_name)}</a>: {escape(organisation.name)} · " in section
    for p in made[:2]:
        assert escape(p.client.full_name) not in section


def test_a_heads_due_list_is_kept_and_follows_every_write(
    settings, carol, lien, centre, client_record, organisation, team_a
):
    """A head's team reads its evaluations due through kept due days (opstap.core.stored)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.STORED_FIGURES = True
    selectors.settings_for(centre)  # made on its first read, which is a write
    start = TODAY - datetime.timedelta(days=120)

    def due() -> tuple[list, bool]:
        """The head's due list, and whether the team's placements were read for it."""
        with CaptureQueriesContext(connection) as queries:
            rows = [(d.placement.ref, d.due_on) for d in selectors.evaluations_due_for(carol)]
        assert rows == [
            (d.placement.ref, d.due_on) for d in selectors.evaluations_due_for(lien)
        ]  # the head sees what the team's worker sees
        return rows, any('"last_held"' in q["sql"] for q in queries.captured_queries)

    p = make_placement(
        client_record, organisation, ref="OVER", kind="arbeidszorg", track="opstap", start=start
    )
    first, read = due()
    assert first == [("OVER", add_months(start, 3))] and read
    assert due() == (first, False)  # kept: the placements are not read again
    # The centre's cadence changes: the due day moves.
    services.settings_update(actor=lien, centre=centre, eval_arbeidszorg_opstap=2)
    assert due()[0] == [("OVER", add_months(start, 2))]
    # The talk is held: nothing due until the next one.
    Evaluation.objects.create(placement=p, due_on=add_months(start, 2), held_on=TODAY)
    assert due()[0] == []
    Evaluation.objects.filter(placement=p).delete()
    assert due()[0] == [("OVER", add_months(start, 2))]
    # The placement ends.
    p.end = TODAY - datetime.timedelta(days=1)
    p.save()
    assert due()[0] == []
    # Another placement in the team, then the head leaves the team: none of its dossiers.
    make_placement(
        client_record, organisation, ref="NEW", kind="arbeidszorg", track="opstap", start=start
    )
    assert due()[0] == [("NEW", add_months(start, 2))]
    carol.teams.remove(team_a)
    carol.refresh_from_db()
    assert [d.placement.ref for d in selectors.evaluations_due_for(carol)] == []
