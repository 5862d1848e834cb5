import datetime

import pytest
from django.core.exceptions import ValidationError

from opstap.core.models import AuditEntry, Notification
from opstap.courses import selectors, services
from opstap.courses.models import (
    ABSENCES_IN_A_ROW_ALERT,
    ABSENCES_TOTAL_ALERT,
    Enrolment,
    EnrolmentStatus,
)

from .conftest import START, make_client

TODAY = START - datetime.timedelta(days=14)


def _reasons(check):
    return {c.label: (c.ok, c.explanation) for c in check.criteria}


def test_target_group_check_says_why_a_client_fits(taalent, newcomer):
    check = selectors.target_group_check(taalent, newcomer, day=START)
    assert check.fits
    reasons = _reasons(check)
    assert reasons["Home language"][0] is True and "AR" in reasons["Home language"][1]
    assert reasons["Dutch level"] == (True, "The module asks Dutch level …–B1; the client has A2.")
    assert reasons["Age"][0] is True and "39" in reasons["Age"][1]
    assert reasons["Other conditions"][0] is None  # checked by hand


def test_target_group_check_says_why_not(centre, alice, taalent, uitstraling):
    native = make_client(
        centre,
        alice,
        language="nl",
        dutch_level="C2",
        gender="M",
        birth_date=datetime.date(2015, 1, 1),
    )
    check = selectors.target_group_check(taalent, native, day=START)
    assert not check.fits
    failures = {c.label: c.explanation for c in check.failures}
    assert failures["Home language"] == (
        "The module is for non-native speakers; the client's home language is Dutch."
    )
    assert failures["Dutch level"].endswith("the client has C2.")
    assert "15 on 04/02/2030" in failures["Age"]
    women = selectors.target_group_check(uitstraling, native, day=START)
    assert "The module is for Women; the client is recorded as male." in [
        c.explanation for c in women.failures
    ]


def test_unknown_level_is_left_to_check_by_hand(centre, alice, taalent):
    client = make_client(centre, alice, dutch_level="")
    check = selectors.target_group_check(taalent, client, day=START)
    assert check.fits
    assert _reasons(check)["Dutch level"][0] is None


def test_override_needs_a_reason(centre, alice, edition):
    native = make_client(centre, alice, language="nl", dutch_level="C2")
    with pytest.raises(ValidationError) as exc:
        services.enrolment_propose(actor=alice, edition=edition, client=native, today=TODAY)
    assert "override_reason" in exc.value.message_dict
    assert not Enrolment.objects.exists()
    enrolment = services.enrolment_propose(
        actor=alice, edition=edition, client=native, override_reason="Laaggeletterd", today=TODAY
    )
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.override_reason == "Laaggeletterd"
    entry = AuditEntry.objects.get(action="courses.enrolment.proposed")
    assert entry.client_id == native.pk and "Laaggeletterd" in str(entry.changes)


def test_fitting_client_keeps_no_override_reason(alice, edition, newcomer):
    enrolment = services.enrolment_propose(
        actor=alice, edition=edition, client=newcomer, override_reason="niet nodig", today=TODAY
    )
    assert enrolment.override_reason == ""


def test_same_client_twice_is_refused(alice, edition, newcomer):
    services.enrolment_propose(actor=alice, edition=edition, client=newcomer, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_propose(actor=alice, edition=edition, client=newcomer, today=TODAY)
    assert "client" in exc.value.message_dict


def test_full_edition_uses_waiting_list_and_offers_the_freed_place(
    centre, alice, dave, edition, newcomers
):
    dave_client = make_client(centre, dave, first_name="Dina")
    first, second, _third = (
        services.enrolment_propose(actor=alice, edition=edition, client=c, today=TODAY)
        for c in newcomers
    )
    waiting = services.enrolment_propose(
        actor=dave, edition=edition, client=dave_client, today=TODAY
    )
    assert [first.status, second.status] == ["enrolled", "enrolled"]
    third = Enrolment.objects.get(client=newcomers[2])
    assert third.status == waiting.status == EnrolmentStatus.WAITING
    assert not Notification.objects.exists()

    services.enrolment_drop(actor=alice, enrolment=first, left_on=START, reason="Werk gevonden")
    third.refresh_from_db()
    waiting.refresh_from_db()
    assert third.status == EnrolmentStatus.OFFERED  # first proposed, first offered
    assert waiting.status == EnrolmentStatus.WAITING
    note = Notification.objects.get(user=alice)
    assert note.kind == "courses.place_offered" and note.client_id == newcomers[2].pk

    # Declining passes the place to the next on the list, and notifies their worker.
    services.enrolment_withdraw(actor=alice, enrolment=third, reason="Ziek")
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.OFFERED
    assert Notification.objects.filter(user=dave, kind="courses.place_offered").count() == 1
    services.enrolment_accept_offer(actor=dave, enrolment=waiting)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED and waiting.enrolled_on


def test_larger_capacity_offers_places(centre, alice, adam, edition, newcomers):
    for c in newcomers:
        services.enrolment_propose(actor=alice, edition=edition, client=c, today=TODAY)
    services.edition_save(
        actor=adam, centre=centre, module=edition.module, edition=edition, capacity=3
    )
    assert Enrolment.objects.get(client=newcomers[2]).status == EnrolmentStatus.OFFERED


def test_drop_needs_date_and_reason(alice, edition, newcomer):
    enrolment = services.enrolment_propose(
        actor=alice, edition=edition, client=newcomer, today=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        services.enrolment_drop(actor=alice, enrolment=enrolment, left_on=None, reason="")
    assert set(exc.value.message_dict) == {"left_on", "reason"}
    services.enrolment_complete(actor=alice, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.left_on == edition.end_date
    with pytest.raises(ValidationError):
        services.enrolment_drop(actor=alice, enrolment=enrolment, left_on=START, reason="x")


# --- attendance ----------------------------------------------------------------------------


@pytest.fixture
def group(alice, scheduled, newcomers):
    return [
        services.enrolment_propose(actor=alice, edition=scheduled, client=c, today=TODAY)
        for c in newcomers[:2]
    ]


def _register(alice, session, group, statuses):
    entries = {
        e.pk: (status, "illness" if status == "excused" else "")
        for e, status in zip(group, statuses, strict=True)
    }
    services.register_save(actor=alice, session=session, entries=entries)


def test_register_needs_every_status_and_the_reason(alice, scheduled, group):
    session = scheduled.sessions.first()
    with pytest.raises(ValidationError) as exc:
        services.register_save(actor=alice, session=session, entries={group[0].pk: ("excused", "")})
    assert set(exc.value.message_dict) == {f"reason_{group[0].pk}", f"status_{group[1].pk}"}
    assert not session.attendance.exists()


def test_attendance_rates(alice, scheduled, group):
    sessions = list(scheduled.sessions.order_by("date")[:5])
    _register(alice, sessions[0], group, ["present", "present"])
    _register(alice, sessions[1], group, ["present", "excused"])
    _register(alice, sessions[2], group, ["present", "unexcused"])
    _register(alice, sessions[3], group, ["excused", "present"])
    _register(alice, sessions[4], group, ["present", "present"])
    # Saving a register again corrects it instead of adding rows.
    _register(alice, sessions[4], group, ["present", "unexcused"])
    rates = selectors.attendance_rates(scheduled)
    first, second = rates[group[0].pk], rates[group[1].pk]
    assert (first.present, first.excused, first.unexcused, first.percent) == (4, 1, 0, 80.0)
    assert (second.present, second.excused, second.unexcused, second.percent) == (2, 1, 2, 40.0)
    # A cancelled session no longer counts.
    services.session_cancel(actor=alice, session=sessions[4], note="Staking")
    assert selectors.attendance_rates(scheduled)[group[1].pk].percent == 50.0


def test_reference_worker_notified_after_absences_in_a_row(alice, scheduled, group):
    assert ABSENCES_IN_A_ROW_ALERT == 2 and ABSENCES_TOTAL_ALERT == 3
    sessions = list(scheduled.sessions.order_by("date")[:2])
    _register(alice, sessions[0], group, ["present", "unexcused"])
    assert not Notification.objects.exists()
    _register(alice, sessions[1], group, ["present", "unexcused"])
    note = Notification.objects.get()
    assert note.user == alice and note.kind == "courses.absences"
    assert note.client_id == group[1].client_id
    # Saving the same register again does not notify twice.
    _register(alice, sessions[1], group, ["present", "unexcused"])
    assert Notification.objects.count() == 1


def test_reference_worker_notified_after_three_absences_in_total(alice, scheduled, group):
    sessions = list(scheduled.sessions.order_by("date")[:5])
    for session, status in zip(
        sessions, ["unexcused", "present", "unexcused", "present", "unexcused"], strict=True
    ):
        _register(alice, session, group, ["present", status])
        if session == sessions[3]:
            assert not Notification.objects.exists()
    assert Notification.objects.filter(client_id=group[1].client_id).count() == 1


def test_dropped_participant_leaves_later_registers(alice, scheduled, group):
    sessions = list(scheduled.sessions.order_by("date"))
    services.enrolment_drop(
        actor=alice, enrolment=group[1], left_on=sessions[3].date, reason="Verhuisd"
    )
    assert group[1] in selectors.participants_of(sessions[3])
    assert group[1] not in selectors.participants_of(sessions[4])


def test_step_plan(alice, scheduled, group):
    step = services.plan_step_add(
        actor=alice,
        enrolment=group[0],
        text="Inschrijven bij VDAB",
        owner="client",
        due_date=datetime.date(2030, 7, 1),
    )
    assert list(group[0].steps.all()) == [step]
    with pytest.raises(ValidationError):
        services.plan_step_add(actor=alice, enrolment=group[0], text="  ")
    step.carried_on = datetime.date(2030, 6, 1)
    step.save()
    with pytest.raises(ValidationError):
        services.plan_step_delete(actor=alice, step=step)
