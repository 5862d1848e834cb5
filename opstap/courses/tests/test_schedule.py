import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from opstap.courses import schedule, services
from opstap.courses.models import Attendance, PhaseKind, Session, SessionStatus
from opstap.courses.schedule import BRUGES_SCHEDULES, plan_sessions

from .conftest import START, phases_of


def test_taalent_eighteen_weeks_hours_per_phase_and_session_count():
    planned = plan_sessions(START, BRUGES_SCHEDULES["taalent"])
    minutes_per_phase: dict[int, int] = {}
    for s in planned:
        minutes_per_phase[s.phase_index] = minutes_per_phase.get(s.phase_index, 0) + s.minutes
    hours = [Decimal(m) / 60 for _, m in sorted(minutes_per_phase.items())]
    assert hours == [60, Decimal("7.5"), 45, Decimal("7.5"), 60, 3]
    # 7 weeks × 3 half days, 1, 5 weeks × 3, 1, 3 weeks × 4 internship days, 1.
    assert len(planned) == 21 + 1 + 15 + 1 + 12 + 1 == 51
    assert max(s.week for s in planned) == 18
    weeks_of = {kind: sorted({s.week for s in planned if s.kind == kind}) for kind in PhaseKind}
    assert weeks_of["group"] == [*range(1, 8), *range(9, 14)]
    assert weeks_of["individual"] == [8, 14]
    assert weeks_of["internship"] == [15, 16, 17]
    assert weeks_of["closing"] == [18]


def test_sessions_skip_weekends_and_spread_over_the_week():
    wednesday = datetime.date(2030, 2, 6)
    planned = plan_sessions(wednesday, [schedule.PhaseSpec("group", 2, Decimal("18"), 3)])
    assert all(s.date.weekday() < 5 for s in planned)
    # Week 1 runs Wed..Tue: working days Wed Thu Fri Mon Tue -> slots 0, 2, 4.
    assert [s.date for s in planned[:3]] == [
        wednesday,
        datetime.date(2030, 2, 8),
        datetime.date(2030, 2, 12),
    ]
    assert {s.minutes for s in planned} == {180}


def test_one_and_a_half_day_is_two_sessions_a_week():
    planned = plan_sessions(START, BRUGES_SCHEDULES["switch"])
    group = [s for s in planned if s.kind == "group"]
    assert len(group) == 16 and sum(s.minutes for s in group) == 72 * 60


def test_uneven_hours_add_up_to_the_minute():
    assert sum(schedule.split_minutes(3600, 21)) == 3600
    assert max(schedule.split_minutes(3600, 21)) - min(schedule.split_minutes(3600, 21)) <= 1


def test_schedule_save_generates_sessions_and_end_date(scheduled):
    sessions = list(Session.objects.filter(edition=scheduled))
    assert len(sessions) == 51
    assert sum(s.minutes for s in sessions) == 183 * 60
    assert scheduled.end_date == START + datetime.timedelta(weeks=17, days=4)  # Friday week 18
    assert scheduled.phases.count() == 6


def test_schedule_cannot_be_replaced_once_attendance_exists(scheduled, adam, newcomer, alice):
    enrolment = services.enrolment_propose(
        actor=alice, edition=scheduled, client=newcomer, today=START
    )
    Attendance.objects.create(
        session=scheduled.sessions.first(), enrolment=enrolment, status="present"
    )
    with pytest.raises(ValidationError) as exc:
        services.schedule_save(actor=adam, edition=scheduled, phases=phases_of("boost"))
    assert "phases" in exc.value.message_dict
    assert scheduled.sessions.count() == 51


def test_bad_phase_is_refused_naming_the_field(edition, adam):
    with pytest.raises(ValidationError) as exc:
        services.schedule_save(
            actor=adam,
            edition=edition,
            phases=[{"kind": "group", "weeks": 2, "hours": 6, "days_per_week": 6}],
        )
    assert "phases" in exc.value.message_dict


def test_move_and_cancel_one_session(scheduled, alice):
    first, second = scheduled.sessions.order_by("date")[:2]
    new_day = datetime.date(2030, 2, 7)
    services.session_move(actor=alice, session=first, date=new_day, start_time=None)
    first.refresh_from_db()
    assert first.date == new_day and first.moved_from == START
    services.session_move(actor=alice, session=first, date=datetime.date(2030, 2, 8))
    first.refresh_from_db()
    assert first.moved_from == START  # the original date stays
    with pytest.raises(ValidationError) as exc:
        services.session_cancel(actor=alice, session=second, note=" ")
    assert "note" in exc.value.message_dict
    services.session_cancel(actor=alice, session=second, note="Trainer ziek")
    second.refresh_from_db()
    assert second.status == SessionStatus.CANCELLED
    # Every other session is untouched.
    assert scheduled.sessions.filter(status=SessionStatus.CANCELLED).count() == 1
    assert scheduled.sessions.exclude(pk=first.pk).filter(moved_from__isnull=False).count() == 0


def test_sessions_start_at_the_editions_usual_time_in_their_phase(edition, adam):
    edition.start_time = datetime.time(13, 30)
    edition.save()
    sessions = services.schedule_save(actor=adam, edition=edition, phases=phases_of("boost"))
    assert sessions and {s.start_time for s in sessions} == {datetime.time(13, 30)}
    planned = plan_sessions(START, BRUGES_SCHEDULES["boost"])
    phases = list(edition.phases.order_by("position"))
    assert [p.position for p in phases] == list(range(len(BRUGES_SCHEDULES["boost"])))
    stored = list(Session.objects.filter(edition=edition).order_by("date", "id"))
    assert [(s.phase_id, s.kind, s.week, s.date, s.minutes) for s in stored] == [
        (phases[p.phase_index].pk, p.kind, p.week, p.date, p.minutes) for p in planned
    ]


def test_the_schedule_written_by_a_given_writer_is_the_same(edition, centre, taalent):
    from opstap.courses.models import Edition
    from opstap.interchange import bulk

    other = Edition.objects.create(
        centre=centre, module=taalent, ref="COPY", start_date=START, end_date=START
    )
    specs = BRUGES_SCHEDULES["taalent"]
    written = [
        services.write_schedule(e, specs, **kw)
        for e, kw in ((edition, {}), (other, {"create": bulk.create}))
    ]

    def shape(phases, sessions):
        index = {p.pk: p.position for p in phases}
        return (
            [(p.position, p.kind, p.weeks, p.hours, p.days_per_week, p.label) for p in phases],
            [(index[s.phase_id], s.date, s.start_time, s.minutes) for s in sessions],
        )

    assert shape(*written[0]) == shape(*written[1])
    assert Session.objects.filter(edition=other).count() == len(written[1][1]) == 51
