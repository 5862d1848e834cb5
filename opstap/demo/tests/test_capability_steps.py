"""The demo's trajectories, ladder and balances: valid, shaped like a real centre, repeatable."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opstap.balance.models import Balance, InstrumentResponse, InstrumentTemplate, Phase, Question
from opstap.clients.models import CareTeamMember, Client, IncomeRight
from opstap.demo.generator import generate_centre
from opstap.reports.selectors import (
    activation_speed,
    activation_status,
    trajectory_dossiers,
)
from opstap.trajectories.models import (
    LadderPosition,
    Rung,
    Trajectory,
    TrajectoryOutcome,
    TrajectoryType,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 14)


@pytest.fixture
def centre():
    return generate_centre("ocmwc", "OCMW C", clients=160, seed=5, today=TODAY).centre


def _first_rights(centre) -> dict[int, datetime.date]:
    first: dict[int, datetime.date] = {}
    for client_id, start in IncomeRight.objects.filter(client__centre=centre).values_list(
        "client_id", "start_date"
    ):
        first[client_id] = min(start, first.get(client_id, start))
    return first


def test_every_trajectory_is_valid(centre):
    trajectories = list(
        Trajectory.objects.select_related("client", "type", "outcome", "responsible")
    )
    assert len(trajectories) > 160
    first = _first_rights(centre)
    catalogue = set(TrajectoryType.objects.filter(centre=centre).values_list("pk", flat=True))
    outcomes = set(TrajectoryOutcome.objects.filter(centre=centre).values_list("pk", flat=True))
    for t in trajectories:
        assert t.centre_id == centre.pk == t.client.centre_id
        assert t.type_id in catalogue
        assert first[t.client_id] <= t.start_date <= TODAY
        assert t.client.age_on(t.start_date) >= 18
        if t.end_date is None:
            assert t.outcome is None
        else:
            assert t.start_date <= t.end_date <= TODAY
            assert t.outcome_id in outcomes
        assert t.responsible is not None and t.responsible.centre_id == centre.pk
    assert len({t.ref for t in trajectories}) == len(trajectories)
    # The responsible worker is one of the client's carers.
    carers = set(CareTeamMember.objects.values_list("client_id", "user_id"))
    assert all((t.client_id, t.responsible_id) in carers for t in trajectories)


def test_histories_start_with_an_intake_and_move_on(centre):
    by_client = defaultdict(list)
    for t in Trajectory.objects.select_related("type", "outcome").order_by("start_date", "id"):
        by_client[t.client_id].append(t)
    first = _first_rights(centre)
    starts_with_intake = sum(
        1
        for pk, rows in by_client.items()
        if rows[0].type.code == "instap" and rows[0].start_date == first[pk]
    )
    assert starts_with_intake > len(first) / 2
    outcomes = Counter(t.outcome.code for rows in by_client.values() for t in rows if t.outcome)
    assert {"work", "other_trajectory", "dropout", "ended_right"} <= set(outcomes)
    # Several trajectories at once for some clients.
    assert any(sum(1 for t in rows if t.active_on(TODAY)) >= 2 for rows in by_client.values())


def test_ladder_follows_the_trajectories_one_position_a_day(centre):
    positions = list(LadderPosition.objects.select_related("recorded_by").order_by("since"))
    assert positions
    days = Counter((p.client_id, p.since) for p in positions)
    assert max(days.values()) == 1
    starts = defaultdict(set)
    for client_id, start, end, rung, outcome in Trajectory.objects.values_list(
        "client_id", "start_date", "end_date", "type__rung", "outcome__code"
    ):
        if rung:
            starts[client_id, start].add(rung)
        if outcome == "work":
            starts[client_id, end].add(Rung.WERK)
    previous = {}
    for p in positions:
        assert p.since <= TODAY
        assert p.rung in starts[p.client_id, p.since]
        assert p.reason and p.recorded_by.centre_id == centre.pk
        assert previous.get(p.client_id) != p.rung  # a new position is a move
        previous[p.client_id] = p.rung
    moves = Counter()
    last = {}
    for p in positions:
        if p.client_id in last:
            moves["up" if Rung.level(p.rung) > Rung.level(last[p.client_id]) else "down"] += 1
        last[p.client_id] = p.rung
    assert moves["up"] > moves["down"] > 0
    assert len(set(last.values())) == 5


def test_activation_status_is_a_mix_like_ghent(centre):
    report = activation_status(centre, None, {"date": TODAY})
    whole = report["total"]["clients"]
    share = {row["type"]: row["clients"] / whole for row in report["rows"]}
    assert whole > 100
    assert share["none"] < 0.5
    assert max(share.values()) < 0.45
    assert sum(1 for value in share.values() if value > 0.03) >= 6
    assert share["taal"] > share["sociale_activering"]
    assert share["instap"] > 0


def test_activation_speed_most_within_four_months(centre):
    report = activation_speed(
        centre, None, {"from": TODAY - datetime.timedelta(days=5 * 365), "to": TODAY}
    )
    row = report["rows"][0]
    assert row["cohort"] > 100
    assert row["activated"] > 0
    assert row["percent"] >= 60
    assert 7 <= row["median_days"] <= 120


def test_trajectory_dossiers_over_the_years_like_bruges(centre):
    report = trajectory_dossiers(centre, None, {"date": TODAY})
    dossiers = {row["type"]: row["dossiers"] for row in report["rows"]}
    for code in ("welzijn", "taal", "activering"):
        assert dossiers[code] > dossiers["studie"] > 0


def test_balances_in_all_three_phases(centre):
    balances = list(
        Balance.objects.prefetch_related("responses", "barriers", "resources", "consents")
    )
    phases = Counter(b.current_phase for b in balances)
    assert phases[Phase.INTAKE] and phases[Phase.EXPLORATION] and phases[None]
    assert phases[None] > phases[Phase.INTAKE]
    clients = Client.objects.filter(centre=centre).count()
    assert 0.1 * clients <= len({b.client_id for b in balances}) <= 0.5 * clients
    open_per_client = Counter(b.client_id for b in balances if not b.finished)
    assert max(open_per_client.values()) == 1
    first = _first_rights(centre)
    codes = set(TrajectoryType.objects.filter(centre=centre).values_list("code", flat=True))
    for b in balances:
        assert b.centre_id == centre.pk
        assert first[b.client_id] <= b.started_on <= TODAY
        assert b.version >= 2
        if b.current_phase == Phase.EXPLORATION:
            assert b.balance_consent and b.intake_date
            assert b.responses.all() and b.barriers.all()
        if b.finished:
            assert b.proposed_rung in Rung.values
            assert b.proposed_trajectory in codes
            assert b.started_on <= b.conclusions_agreed_on <= TODAY
            assert b.conclusions and b.consents.all() and b.sharing_consent_date
            assert b.phase1_completed_at <= b.phase2_completed_at <= b.phase3_completed_at
            # The synthesis led to the trajectory it proposed.
            assert Trajectory.objects.filter(
                client_id=b.client_id,
                type__code=b.proposed_trajectory,
                start_date__gte=b.conclusions_agreed_on,
            ).exists()


def test_answers_fit_the_latest_instrument_versions(centre):
    latest = set(
        InstrumentTemplate.objects.filter(centre=centre, latest=True).values_list("pk", flat=True)
    )
    questions = dict(Question.objects.values_list("pk", "section__template_id"))
    responses = list(InstrumentResponse.objects.filter(balance__centre=centre))
    assert responses
    for response in responses:
        assert response.template_id in latest
        assert response.answers
        assert all(questions[int(pk)] == response.template_id for pk in response.answers)


def test_generated_dossier_tabs_open(client, centre):
    balance = Balance.objects.filter(phase3_completed_at__isnull=False).first()
    client.force_login(balance.started_by)
    pk = balance.client_id
    for url in (
        reverse("trajectories:list", args=[pk]),
        reverse("trajectories:ladder", args=[pk]),
        reverse("balance:client", args=[pk]),
        reverse("balance:phase", args=[pk, balance.pk, Phase.SYNTHESIS]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    refs = Trajectory.objects.filter(client_id=pk).values_list("ref", flat=True)
    page = client.get(reverse("trajectories:list", args=[pk])).content.decode()
    assert all(ref in page for ref in refs)


class _Undo(Exception):
    pass


def _counts(code: str):
    centre = generate_centre(code, "OCMW D", clients=80, seed=11, today=TODAY).centre
    status = activation_status(centre, None, {"date": TODAY})
    return (
        Counter(
            Trajectory.objects.filter(centre=centre).values_list("type__code", "outcome__code")
        ),
        sorted(
            LadderPosition.objects.filter(client__centre=centre).values_list(
                "client__ref", "since", "rung"
            )
        ),
        Counter(b.current_phase for b in Balance.objects.filter(centre=centre)),
        InstrumentResponse.objects.filter(balance__centre=centre).count(),
        status["rows"],
    )


def test_same_seed_same_histories():
    try:
        with transaction.atomic():
            first = _counts("ocmwd")
            raise _Undo
    except _Undo:
        pass
    assert not Trajectory.objects.exists()
    assert _counts("ocmwd") == first


def test_answers_and_dates_of_a_balance_agree(centre):
    labels = dict(Question.objects.values_list("pk", "label_nl"))
    responses = InstrumentResponse.objects.filter(balance__centre=centre).select_related(
        "balance__client"
    )
    checked = Counter()
    for response in responses:
        balance, client = response.balance, response.balance.client
        answers = {labels[int(pk)]: value for pk, value in response.answers.items()}
        if answers.get("Heb je al betaald werk gedaan?") == "no":
            assert "Vorige jobs (werkgever, functie, periode)" not in answers
            checked["no work"] += 1
        if client.language == "nl":
            assert answers.get("Werd het diploma in het buitenland behaald?") != "yes"
            checked["local"] += 1
        assert balance.phase1_completed_at <= response.updated_at
        if balance.finished:
            assert response.updated_at <= balance.phase2_completed_at
    assert checked["no work"] and checked["local"]
    for balance in Balance.objects.filter(centre=centre):
        assert timezone.localdate(balance.created_at) == balance.started_on
        assert balance.created_at <= balance.updated_at
