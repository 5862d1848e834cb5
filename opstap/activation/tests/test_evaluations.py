import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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
