import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from opstap.core.models import AuditEntry
from opstap.factories import CareTeamMemberFactory, CentreFactory, ClientFactory
from opstap.trajectories import services
from opstap.trajectories.catalogue import ensure_default_catalogue
from opstap.trajectories.models import (
    LadderPosition,
    Trajectory,
    TrajectoryOutcome,
    TrajectoryType,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _type(centre, code):
    ensure_default_catalogue(centre)
    return TrajectoryType.objects.get(centre=centre, code=code)


def _outcome(centre, code):
    ensure_default_catalogue(centre)
    return TrajectoryOutcome.objects.get(centre=centre, code=code)


def test_default_catalogue_in_spec_order_and_idempotent(centre):
    ensure_default_catalogue(centre)
    ensure_default_catalogue(centre)
    types = list(TrajectoryType.objects.filter(centre=centre))
    assert [t.code for t in types] == [
        "instap",
        "welzijn",
        "taal",
        "sociale_activering",
        "activering",
        "extern",
        "studie",
        "werk",
    ]
    assert [t.rung for t in types] == [
        None,
        "zorg",
        "taal",
        "sociaal",
        "arbeid",
        "arbeid",
        None,
        "werk",
    ]
    assert [t.counts_as_activation for t in types] == [False] + [True] * 7
    assert set(TrajectoryOutcome.objects.filter(centre=centre).values_list("code", flat=True)) == {
        "work",
        "training",
        "other_trajectory",
        "dropout",
        "moved",
        "ended_right",
        "other",
    }


def test_data_migration_seeds_existing_centres(centre):
    # Centres created before the migration ran got their catalogue from it; a centre created
    # later gets it on first use.
    fresh = CentreFactory(code="leuven")
    assert not TrajectoryType.objects.filter(centre=fresh).exists()
    ensure_default_catalogue(fresh)
    assert TrajectoryType.objects.filter(centre=fresh).count() == 8


def test_start_and_end_trajectory_are_audited(alice, client_record, centre):
    trajectory = services.trajectory_start(
        actor=alice,
        client=client_record,
        type=_type(centre, "taal"),
        start_date=D(2024, 3, 1),
        responsible=alice,
        note="NT2 level 1",
    )
    assert trajectory.ref == "T00001"
    assert trajectory.centre == centre
    started = AuditEntry.objects.get(action="trajectory.started")
    assert started.client_id == client_record.pk
    assert started.changes["start_date"] == [None, "2024-03-01"]

    services.trajectory_end(
        actor=alice,
        trajectory=trajectory,
        end_date=D(2024, 9, 30),
        outcome=_outcome(centre, "work"),
    )
    trajectory.refresh_from_db()
    assert trajectory.end_date == D(2024, 9, 30)
    ended = AuditEntry.objects.get(action="trajectory.ended")
    assert ended.changes["end_date"] == [None, "2024-09-30"]
    assert ended.actor == alice


def test_end_before_start_is_refused(alice, client_record, centre):
    trajectory = services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "taal"), start_date=D(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.trajectory_end(
            actor=alice,
            trajectory=trajectory,
            end_date=D(2024, 2, 1),
            outcome=_outcome(centre, "work"),
        )
    assert "end_date" in exc.value.error_dict
    assert not AuditEntry.objects.filter(action="trajectory.ended").exists()


def test_database_refuses_end_before_start_and_duplicate_ref(alice, client_record, centre):
    t = services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "taal"), start_date=D(2024, 3, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.filter(pk=t.pk).update(end_date=D(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.create(
            centre=centre, ref=t.ref, client=client_record, type=t.type, start_date=D(2024, 1, 1)
        )


def test_type_of_another_centre_is_refused(alice, client_record, other_centre):
    foreign = _type(other_centre, "taal")
    with pytest.raises(ValidationError) as exc:
        services.trajectory_start(
            actor=alice, client=client_record, type=foreign, start_date=D(2024, 3, 1)
        )
    assert "type" in exc.value.error_dict


def test_ladder_position_one_per_day_and_audited(alice, client_record):
    services.ladder_position_set(
        actor=alice, client=client_record, rung="taal", since=D(2024, 1, 1), reason="NT2"
    )
    with pytest.raises(ValidationError) as exc:
        services.ladder_position_set(
            actor=alice, client=client_record, rung="zorg", since=D(2024, 1, 1)
        )
    assert "since" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        LadderPosition.objects.create(client=client_record, rung="werk", since=D(2024, 1, 1))
    entry = AuditEntry.objects.get(action="ladder.position.set")
    assert entry.changes["rung"] == [None, "taal"]
    assert LadderPosition.objects.get().recorded_by == alice


# ---- the dossier sections -------------------------------------------------------------------


def test_start_trajectory_through_the_dossier(client, alice, client_record, centre):
    client.force_login(alice)
    url = reverse("trajectories:list", args=[client_record.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Start a trajectory" in response.content.decode()
    response = client.post(
        url,
        {
            "type": _type(centre, "activering").pk,
            "start_date": "15/02/2024",
            "responsible": alice.pk,
            "note": "Via VDAB",
        },
    )
    assert response.status_code == 302
    t = Trajectory.objects.get()
    assert (t.start_date, t.type.code, t.responsible) == (D(2024, 2, 15), "activering", alice)
    page = client.get(url).content.decode()
    assert "T00001" in page and "15/02/2024" in page


def test_two_trajectories_run_at_once_and_one_ends(client, alice, client_record, centre):
    a = services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "taal"), start_date=D(2024, 1, 1)
    )
    services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "welzijn"), start_date=D(2024, 2, 1)
    )
    client.force_login(alice)
    response = client.get(reverse("trajectories:list", args=[client_record.pk]))
    assert len(response.context["running"]) == 2
    end_url = reverse("trajectories:end", args=[client_record.pk, a.pk])
    response = client.post(end_url, {"end_date": "01/12/2023", "outcome": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert "outcome" in form.errors
    response = client.post(
        end_url, {"end_date": "01/12/2023", "outcome": _outcome(centre, "training").pk}
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert response.context["form"].data["end_date"] == "01/12/2023"
    response = client.post(
        end_url, {"end_date": "30/06/2024", "outcome": _outcome(centre, "training").pk}
    )
    assert response.status_code == 302
    response = client.get(reverse("trajectories:list", args=[client_record.pk]))
    assert len(response.context["running"]) == 1
    assert len(response.context["ended"]) == 1


def test_ladder_section_shows_picture_history_and_header_fact(client, alice, client_record):
    services.ladder_position_set(
        actor=alice, client=client_record, rung="zorg", since=D(2023, 1, 1), reason="Debts first"
    )
    client.force_login(alice)
    url = reverse("trajectories:ladder", args=[client_record.pk])
    response = client.post(url, {"rung": "sociaal", "since": "01/03/2024", "reason": "Volunteer"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "Current rung: Social activation, step 3 of 5" in page
    assert "Debts first" in page and "Alice Aerts" in page
    detail = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "3. Social activation" in detail
    assert "On the activation ladder: Social activation" in detail


def test_ladder_form_keeps_input_on_refusal(client, alice, client_record):
    services.ladder_position_set(
        actor=alice, client=client_record, rung="zorg", since=D(2024, 3, 1)
    )
    client.force_login(alice)
    url = reverse("trajectories:ladder", args=[client_record.pk])
    response = client.post(url, {"rung": "taal", "since": "01/03/2024", "reason": "Kept text"})
    assert response.status_code == 200
    assert "since" in response.context["form"].errors
    assert "Kept text" in response.content.decode()


def test_timeline_shows_trajectory_events(client, alice, client_record, centre):
    t = services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "taal"), start_date=D(2024, 1, 1)
    )
    services.trajectory_end(
        actor=alice, trajectory=t, end_date=D(2024, 6, 1), outcome=_outcome(centre, "work")
    )
    client.force_login(alice)
    page = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Language trajectory / language activation starts" in page
    assert "Language trajectory / language activation ends: Work" in page


@pytest.mark.parametrize("persona", ["dave", "maria", "pete", "oscar"])
def test_outsiders_get_404_on_sections(client, request, alice, client_record, centre, persona):
    t = services.trajectory_start(
        actor=alice, client=client_record, type=_type(centre, "taal"), start_date=D(2024, 1, 1)
    )
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("trajectories:list", args=[client_record.pk]),
        reverse("trajectories:ladder", args=[client_record.pk]),
        reverse("trajectories:end", args=[client_record.pk, t.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert Trajectory.objects.get().end_date is None


def test_trajectory_of_another_client_is_404(client, alice, client_record, centre):
    other = ClientFactory(centre=centre)
    CareTeamMemberFactory(client=other, user=alice)
    t = services.trajectory_start(
        actor=alice, client=other, type=_type(centre, "taal"), start_date=D(2024, 1, 1)
    )
    client.force_login(alice)
    url = reverse("trajectories:end", args=[client_record.pk, t.pk])
    assert client.get(url).status_code == 404


def test_sections_run_bounded_queries(
    client, alice, client_record, centre, django_assert_max_num_queries
):
    for i in range(15):
        services.trajectory_start(
            actor=alice,
            client=client_record,
            type=_type(centre, "taal"),
            start_date=D(2024, 1, i + 1),
        )
        services.ladder_position_set(
            actor=alice, client=client_record, rung="taal", since=D(2023, 1, i + 1)
        )
    client.force_login(alice)
    # The dossier header gathers one fact from every capability: the bound is per page, not per row.
    for name in ["trajectories:list", "trajectories:ladder", "clients:detail"]:
        with django_assert_max_num_queries(40):
            assert client.get(reverse(name, args=[client_record.pk])).status_code == 200


# ---- caseload filters -----------------------------------------------------------------------


def test_caseload_filters_by_rung_and_running_type(client, alice, client_record, centre):
    other = ClientFactory(centre=centre, last_name="Zeebroek")
    CareTeamMemberFactory(client=other, user=alice)
    services.ladder_position_set(
        actor=alice, client=client_record, rung="zorg", since=D(2020, 1, 1)
    )
    services.ladder_position_set(
        actor=alice, client=client_record, rung="taal", since=D(2023, 1, 1)
    )
    services.ladder_position_set(actor=alice, client=other, rung="zorg", since=D(2023, 1, 1))
    taal = _type(centre, "taal")
    services.trajectory_start(actor=alice, client=other, type=taal, start_date=D(2023, 1, 1))
    ended = services.trajectory_start(
        actor=alice, client=client_record, type=taal, start_date=D(2022, 1, 1)
    )
    services.trajectory_end(
        actor=alice, trajectory=ended, end_date=D(2022, 6, 1), outcome=_outcome(centre, "work")
    )
    client.force_login(alice)
    url = reverse("clients:caseload")
    assert list(client.get(url, {"rung": "taal"}).context["page"]) == [client_record]
    assert list(client.get(url, {"rung": "zorg"}).context["page"]) == [other]
    assert list(client.get(url, {"rung": "werk"}).context["page"]) == []
    assert list(client.get(url, {"trajectory_type": "taal"}).context["page"]) == [other]
    page = client.get(url).content.decode()
    assert 'name="rung"' in page and 'name="trajectory_type"' in page


@pytest.mark.parametrize("size", [5, 60])
def test_caseload_queries_stay_bounded_with_filters(
    client, alice, centre, size, django_assert_max_num_queries
):
    taal = _type(centre, "taal")
    for _ in range(size):
        c = ClientFactory(centre=centre)
        CareTeamMemberFactory(client=c, user=alice)
        services.ladder_position_set(actor=alice, client=c, rung="taal", since=D(2023, 1, 1))
        services.trajectory_start(actor=alice, client=c, type=taal, start_date=D(2023, 1, 1))
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("clients:caseload"), {"rung": "taal", "trajectory_type": "taal"}
        )
    assert response.context["page"].paginator.count == size


def test_caseload_offers_the_centres_own_trajectory_types_and_filters_by_one(client, alice, centre):
    taal = _type(centre, "taal")
    elsewhere = CentreFactory()
    _type(elsewhere, "taal")
    TrajectoryType.objects.create(
        centre=elsewhere,
        code="elders",
        label_nl="Elders",
        label_fr="Ailleurs",
        label_en="Elsewhere",
    )
    running, idle = ClientFactory(centre=centre), ClientFactory(centre=centre)
    for c in (running, idle):
        CareTeamMemberFactory(client=c, user=alice)
    services.trajectory_start(actor=alice, client=running, type=taal, start_date=D(2023, 1, 1))
    client.force_login(alice)
    page = client.get(reverse("clients:caseload"))
    options = page.context["form"].fields["trajectory_type"].choices
    assert [code for code, _label in options[1:]] == list(
        TrajectoryType.objects.filter(centre=centre).values_list("code", flat=True)
    )
    assert "elders" not in page.content.decode()
    filtered = client.get(reverse("clients:caseload"), {"trajectory_type": "taal"})
    assert list(filtered.context["page"]) == [running]


# ---- catalogue administration ---------------------------------------------------------------


def test_admin_manages_trajectory_types(client, adam, centre):
    client.force_login(adam)
    url = reverse("trajectories:types")
    response = client.get(url)
    assert response.status_code == 200
    assert "Sociale activering" in response.content.decode()
    data = {
        "code": "jobcoaching",
        "label_nl": "Jobcoaching",
        "label_fr": "Jobcoaching",
        "label_en": "Job coaching",
        "rung": "arbeid",
        "counts_as_activation": "on",
        "position": "85",
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    created = TrajectoryType.objects.get(centre=centre, code="jobcoaching")
    assert AuditEntry.objects.filter(action="trajectory.type.created").exists()
    response = client.post(url, data)
    assert "code" in response.context["form"].errors
    edit = reverse("trajectories:type-edit", args=[created.pk])
    response = client.post(edit, {**data, "label_en": "Job coaching at work", "active": ""})
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.label_en, created.active) == ("Job coaching at work", False)


@pytest.mark.parametrize("persona", ["alice", "carol", "maria", "pete"])
def test_non_admins_cannot_manage_types(client, request, centre, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("trajectories:types")).status_code == 404


def test_admin_cannot_edit_another_centres_type(client, adam, other_centre):
    client.force_login(adam)
    foreign = _type(other_centre, "taal")
    assert client.get(reverse("trajectories:type-edit", args=[foreign.pk])).status_code == 404
