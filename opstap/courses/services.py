"""Writes of the modules app: each one atomic, keyword-only and audited in its transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import diff, log_action, snapshot
from opstap.core.notifications import notify

from . import schedule, selectors
from .models import (
    PLACE_STATUSES,
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Module,
    PhaseKind,
    PlanStep,
    SchedulePhase,
    Session,
    SessionStatus,
    StepOwner,
)

MODULE_FIELDS = [
    "ref",
    "name_nl",
    "name_fr",
    "name_en",
    "goal_nl",
    "goal_fr",
    "goal_en",
    "description_nl",
    "description_fr",
    "description_en",
    "target_gender",
    "age_min",
    "age_max",
    "non_native_only",
    "dutch_level_min",
    "dutch_level_max",
    "target_group",
    "method",
    "steering_group",
    "active",
]
EDITION_FIELDS = ["ref", "start_date", "end_date", "capacity", "cost_eur", "location", "start_time"]


def _check_ref_unique(model, centre, ref: str, pk: int | None) -> None:
    if model.objects.filter(centre=centre, ref=ref).exclude(pk=pk).exists():
        raise ValidationError({"ref": _("Another record of this centre has this reference.")})


# --- modules ---------------------------------------------------------------------------------


@transaction.atomic
def module_save(
    *, actor, centre, module: Module | None = None, partners=None, steering_members=None, **fields
) -> Module:
    """Create or change a module, with its delivering partners and steering group."""
    module = module or Module(centre=centre)
    old = snapshot(module, list(fields)) if module.pk else {}
    for name, value in fields.items():
        setattr(module, name, value)
    if not module.ref:
        module.ref = f"M{Module.objects.filter(centre=centre).count() + 1:03d}"
    _check_ref_unique(Module, centre, module.ref, module.pk)
    if (
        module.age_min is not None
        and module.age_max is not None
        and module.age_max < module.age_min
    ):
        raise ValidationError({"age_max": _("The maximum age is below the minimum age.")})
    module.full_clean(exclude=["centre"])
    module.save()
    changes = diff(old, snapshot(module, list(fields)))
    if partners is not None:
        if any(org.centre_id != centre.pk for org in partners):
            raise ValidationError({"partners": _("Choose partners of your own centre.")})
        before = sorted(str(o) for o in module.partners.all())
        module.partners.set(partners)
        after = sorted(str(o) for o in partners)
        if before != after:
            changes["partners"] = [before, after]
    if steering_members is not None:
        module.steering_members.set(steering_members)
    log_action(
        actor=actor, action="courses.module.saved", obj=module, centre=centre, changes=changes
    )
    return module


# --- editions and their schedule -------------------------------------------------------------


@transaction.atomic
def edition_save(*, actor, centre, module: Module, edition: Edition | None = None, **fields):
    """Create or change an edition; a larger capacity offers places to the waiting list."""
    edition = edition or Edition(centre=centre, module=module)
    old = snapshot(edition, list(fields)) if edition.pk else {}
    for name, value in fields.items():
        setattr(edition, name, value)
    if not edition.ref:
        edition.ref = f"{module.ref}-{edition.start_date:%Y%m%d}" if edition.start_date else ""
    _check_ref_unique(Edition, centre, edition.ref, edition.pk)
    if edition.start_date and edition.end_date and edition.end_date < edition.start_date:
        raise ValidationError({"end_date": _("The end date lies before the start date.")})
    edition.full_clean(exclude=["centre", "module"])
    edition.save()
    log_action(
        actor=actor,
        action="courses.edition.saved",
        obj=edition,
        centre=centre,
        changes=diff(old, snapshot(edition, list(fields))),
    )
    _offer_free_places(actor=actor, edition=edition)
    return edition


def _phase_specs(phases: list[dict]) -> list[schedule.PhaseSpec]:
    errors = []
    for index, phase in enumerate(phases, start=1):
        if phase["kind"] not in PhaseKind.values:
            errors.append(_("Phase %(n)d: choose what happens.") % {"n": index})
        if not phase.get("weeks") or phase["weeks"] < 1:
            errors.append(_("Phase %(n)d: at least one week.") % {"n": index})
        days = Decimal(str(phase.get("days_per_week") or 0))
        if days <= 0 or days > 5:
            errors.append(_("Phase %(n)d: from 0.5 to 5 days a week.") % {"n": index})
        if phase.get("hours") is None or Decimal(str(phase["hours"])) < 0:
            errors.append(_("Phase %(n)d: give the hours of the phase.") % {"n": index})
    if not phases:
        errors.append(_("Add at least one phase."))
    if errors:
        raise ValidationError({"phases": errors})
    return [
        schedule.PhaseSpec(
            p["kind"],
            int(p["weeks"]),
            Decimal(str(p["hours"])),
            Decimal(str(p["days_per_week"])),
            p.get("label", ""),
        )
        for p in phases
    ]


def write_schedule(edition: Edition, specs: list[schedule.PhaseSpec], *, create=None):
    """Save the phases of ``specs`` for ``edition`` and the sessions planned from them, each
    at the edition's usual start time; returns (phases, sessions), saved.

    ``create(model, objs)`` saves a list of new rows and returns them with their keys: the
    model's ``bulk_create`` unless given (the demo centre passes the import's writer).
    """
    if create is None:

        def create(model, objs):
            return model.objects.bulk_create(objs)

    phases = create(
        SchedulePhase,
        [
            SchedulePhase(
                edition=edition,
                position=index,
                kind=spec.kind,
                weeks=spec.weeks,
                hours=spec.hours,
                days_per_week=spec.days_per_week,
                label=spec.label,
            )
            for index, spec in enumerate(specs)
        ],
    )
    sessions = create(
        Session,
        [
            Session(
                edition=edition,
                phase=phases[planned.phase_index],
                kind=planned.kind,
                week=planned.week,
                date=planned.date,
                start_time=edition.start_time,
                minutes=planned.minutes,
            )
            for planned in schedule.plan_sessions(edition.start_date, specs)
        ],
    )
    return phases, sessions


@transaction.atomic
def schedule_save(*, actor, edition: Edition, phases: list[dict]) -> list[Session]:
    """Replace the week schedule and generate the sessions from it (before any register)."""
    specs = _phase_specs(phases)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if Attendance.objects.filter(session__edition=edition).exists():
        raise ValidationError(
            {"phases": _("Attendance is already registered: move or cancel single sessions.")}
        )
    old = [str(p) + f" {p.weeks}w {p.hours}h" for p in edition.phases.all()]
    edition.sessions.all().delete()
    edition.phases.all().delete()
    saved, sessions = write_schedule(edition, specs)
    edition.end_date = max(edition.end_date, schedule.end_date(edition.start_date, specs))
    edition.save(update_fields=["end_date", "updated_at"])
    new = [str(p) + f" {p.weeks}w {p.hours}h" for p in saved]
    log_action(
        actor=actor,
        action="courses.schedule.saved",
        obj=edition,
        centre=edition.centre,
        changes={"phases": [old, new], "sessions": [None, len(sessions)]},
    )
    return sessions


@transaction.atomic
def session_move(
    *,
    actor,
    session: Session,
    date: datetime.date,
    start_time: datetime.time | None = None,
    note: str = "",
) -> Session:
    """Move one session to another day (and time); the original date is kept."""
    if date is None:
        raise ValidationError({"date": _("Give the new date.")})
    if session.cancelled:
        raise ValidationError({"date": _("A cancelled session cannot be moved; restore it first.")})
    old = snapshot(session, ["date", "start_time", "note"])
    if session.moved_from is None and date != session.date:
        session.moved_from = session.date
    session.date = date
    session.start_time = start_time or session.start_time
    session.note = note
    session.save()
    log_action(
        actor=actor,
        action="courses.session.moved",
        obj=session,
        centre=session.edition.centre,
        changes=diff(old, snapshot(session, ["date", "start_time", "note"])),
    )
    return session


@transaction.atomic
def session_cancel(*, actor, session: Session, note: str = "") -> Session:
    """Cancel one session; it no longer counts for attendance."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the session is cancelled.")})
    old = snapshot(session, ["status", "note"])
    session.status, session.note = SessionStatus.CANCELLED, note.strip()
    session.save(update_fields=["status", "note"])
    log_action(
        actor=actor,
        action="courses.session.cancelled",
        obj=session,
        centre=session.edition.centre,
        changes=diff(old, snapshot(session, ["status", "note"])),
    )
    return session


@transaction.atomic
def session_restore(*, actor, session: Session) -> Session:
    """Undo the cancellation of a session."""
    session.status = SessionStatus.PLANNED
    session.save(update_fields=["status"])
    log_action(
        actor=actor,
        action="courses.session.restored",
        obj=session,
        centre=session.edition.centre,
        changes={"status": [SessionStatus.CANCELLED, SessionStatus.PLANNED]},
    )
    return session


@transaction.atomic
def edition_evaluate(*, actor, edition: Edition, evaluation: str) -> Edition:
    """Record the group evaluation at the end of the edition."""
    old = snapshot(edition, ["evaluation"])
    edition.evaluation = evaluation.strip()
    edition.save(update_fields=["evaluation", "updated_at"])
    log_action(
        actor=actor,
        action="courses.edition.evaluated",
        obj=edition,
        centre=edition.centre,
        changes=diff(old, snapshot(edition, ["evaluation"])),
    )
    return edition


# --- enrolments and the waiting list ---------------------------------------------------------


def _places_taken(edition: Edition) -> int:
    return edition.enrolments.filter(status__in=PLACE_STATUSES).count()


def _audit_enrolment(actor, action: str, enrolment: Enrolment, changes=None) -> None:
    log_action(
        actor=actor,
        action=action,
        obj=enrolment,
        client_id=enrolment.client_id,
        centre=enrolment.edition.centre,
        changes=changes,
    )


@transaction.atomic
def enrolment_propose(
    *,
    actor,
    edition: Edition,
    client,
    override_reason: str = "",
    today: datetime.date | None = None,
) -> Enrolment:
    """Propose a client: enrolled when there is a place, else on the waiting list.

    A client outside the module's target group needs a reason (`override_reason`).
    """
    today = today or datetime.date.today()
    edition = Edition.objects.select_for_update().select_related("module").get(pk=edition.pk)
    if client.centre_id != edition.centre_id:
        raise ValidationError({"client": _("This client belongs to another centre.")})
    if edition.end_date < today:
        raise ValidationError({"edition": _("This edition has ended.")})
    if Enrolment.objects.filter(edition=edition, client=client).exists():
        raise ValidationError({"client": _("This client is already proposed for this edition.")})
    check = selectors.target_group_check(edition.module, client, day=edition.start_date)
    override_reason = override_reason.strip()
    if not check.fits and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "The client is outside the target group: say why they should take part."
                )
            }
        )
    full = edition.capacity is not None and _places_taken(edition) >= edition.capacity
    enrolment = Enrolment.objects.create(
        edition=edition,
        client=client,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
        proposed_by=actor,
        proposed_on=today,
        enrolled_on=None if full else today,
        override_reason=override_reason if not check.fits else "",
    )
    _audit_enrolment(
        actor,
        "courses.enrolment.proposed",
        enrolment,
        {"status": [None, enrolment.status], "override_reason": [None, enrolment.override_reason]},
    )
    return enrolment


def _notify_offer(enrolment: Enrolment) -> None:
    workers = [enrolment.proposed_by] if enrolment.proposed_by else []
    workers += [w for w in selectors.reference_workers_for(enrolment.client_id) if w not in workers]
    url = reverse("courses:edition-detail", args=[enrolment.edition_id])
    for worker in workers:
        with translation.override(worker.language):
            message = gettext(
                "A place is free in %(module)s starting %(date)s for %(client)s. "
                "Accept or decline it on the edition's page."
            ) % {
                "module": enrolment.edition.module.name,
                "date": enrolment.edition.start_date.strftime("%d/%m/%Y"),
                "client": enrolment.client.full_name,
            }
        notify(
            user=worker,
            kind="courses.place_offered",
            message=message,
            key=f"courses.offer.{enrolment.pk}.{enrolment.offered_on}",
            url=url,
            client_id=enrolment.client_id,
        )


def _offer_free_places(*, actor, edition: Edition, today: datetime.date | None = None) -> int:
    """Offer free places to the waiting list, first proposed first; notify their workers.

    Nothing is offered once the edition has ended.
    """
    today = today or datetime.date.today()
    if edition.end_date < today:
        return 0
    if edition.capacity is None:
        free = edition.enrolments.filter(status=EnrolmentStatus.WAITING).count()
    else:
        free = edition.capacity - _places_taken(edition)
    if free <= 0:
        return 0
    offered = list(selectors.waiting_list(edition).select_related("client", "proposed_by")[:free])
    for enrolment in offered:
        enrolment.status, enrolment.offered_on = EnrolmentStatus.OFFERED, today
        enrolment.save(update_fields=["status", "offered_on"])
        _audit_enrolment(
            actor,
            "courses.enrolment.offered",
            enrolment,
            {"status": [EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED]},
        )
        _notify_offer(enrolment)
    return len(offered)


def _require_status(enrolment: Enrolment, *allowed: str, field: str = "status") -> None:
    if enrolment.status not in allowed:
        raise ValidationError(
            {
                field: _("This is not possible while the enrolment is “%(status)s”.")
                % {"status": enrolment.get_status_display()}
            }
        )


@transaction.atomic
def enrolment_accept_offer(*, actor, enrolment: Enrolment, today=None) -> Enrolment:
    """The client takes the offered place."""
    _require_status(enrolment, EnrolmentStatus.OFFERED)
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.enrolled_on = today or datetime.date.today()
    enrolment.save(update_fields=["status", "enrolled_on"])
    _audit_enrolment(
        actor,
        "courses.enrolment.accepted",
        enrolment,
        {"status": [EnrolmentStatus.OFFERED, EnrolmentStatus.ENROLLED]},
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: Enrolment, reason: str = "", today=None):
    """Take the client off the waiting list (or decline the offered place)."""
    _require_status(enrolment, EnrolmentStatus.WAITING, EnrolmentStatus.OFFERED)
    old = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.left_on = today or datetime.date.today()
    enrolment.reason = reason.strip()[:250]
    enrolment.save(update_fields=["status", "left_on", "reason"])
    _audit_enrolment(
        actor,
        "courses.enrolment.withdrawn",
        enrolment,
        {"status": [old, enrolment.status], "reason": [None, enrolment.reason]},
    )
    _offer_free_places(actor=actor, edition=enrolment.edition)
    return enrolment


@transaction.atomic
def enrolment_complete(*, actor, enrolment: Enrolment, left_on: datetime.date | None = None):
    """The client finished the edition."""
    _require_status(enrolment, EnrolmentStatus.ENROLLED)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.left_on = left_on or enrolment.edition.end_date
    enrolment.save(update_fields=["status", "left_on"])
    _audit_enrolment(
        actor,
        "courses.enrolment.completed",
        enrolment,
        {"status": [EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]},
    )
    return enrolment


@transaction.atomic
def enrolment_drop(*, actor, enrolment: Enrolment, left_on: datetime.date | None, reason: str):
    """The client stopped: when and why. The place goes to the waiting list."""
    _require_status(enrolment, EnrolmentStatus.ENROLLED)
    errors = {}
    if left_on is None:
        errors["left_on"] = _("Give the day the client left.")
    elif enrolment.enrolled_on and left_on < enrolment.enrolled_on:
        errors["left_on"] = _("The client cannot leave before being enrolled.")
    if not reason.strip():
        errors["reason"] = _("Say why the client stopped.")
    if errors:
        raise ValidationError(errors)
    enrolment.status = EnrolmentStatus.DROPPED
    enrolment.left_on, enrolment.reason = left_on, reason.strip()[:250]
    enrolment.save(update_fields=["status", "left_on", "reason"])
    _audit_enrolment(
        actor,
        "courses.enrolment.dropped",
        enrolment,
        {
            "status": [EnrolmentStatus.ENROLLED, EnrolmentStatus.DROPPED],
            "reason": [None, enrolment.reason],
        },
    )
    _offer_free_places(actor=actor, edition=enrolment.edition)
    return enrolment


@transaction.atomic
def enrolment_evaluate(*, actor, enrolment: Enrolment, evaluation: str) -> Enrolment:
    """Record the participant's individual evaluation."""
    old = snapshot(enrolment, ["evaluation"])
    enrolment.evaluation = evaluation.strip()
    enrolment.save(update_fields=["evaluation"])
    _audit_enrolment(
        actor,
        "courses.enrolment.evaluated",
        enrolment,
        diff(old, snapshot(enrolment, ["evaluation"])),
    )
    return enrolment


# --- attendance ------------------------------------------------------------------------------


def _alert_absences(*, session: Session, enrolments: list[Enrolment]) -> None:
    """Notify the reference worker of repeated absences without reason (once per session)."""
    url = reverse("courses:edition-detail", args=[session.edition_id])
    for enrolment in enrolments:
        row, total = selectors.unexcused_streaks(enrolment)
        if not selectors.absence_alert_due(row, total):
            continue
        workers = selectors.reference_workers_for(enrolment.client_id) or (
            [enrolment.proposed_by] if enrolment.proposed_by else []
        )
        for worker in workers:
            with translation.override(worker.language):
                message = gettext(
                    "%(client)s was absent without reason from %(module)s: %(row)d times in a "
                    "row, %(total)d times in total."
                ) % {
                    "client": enrolment.client.full_name,
                    "module": session.edition.module.name,
                    "row": row,
                    "total": total,
                }
            notify(
                user=worker,
                kind="courses.absences",
                message=message,
                key=f"courses.absence.{enrolment.pk}.{session.pk}",
                url=url,
                client_id=enrolment.client_id,
            )


@transaction.atomic
def register_save(*, actor, session: Session, entries: dict[int, tuple[str, str]]) -> int:
    """Save a session's attendance register: {enrolment id: (status, reason)}.

    Every participant needs a status; an absence with a valid reason needs the reason.
    """
    if session.cancelled:
        raise ValidationError({"register": _("This session is cancelled.")})
    participants = {e.pk: e for e in selectors.participants_of(session)}
    errors: dict[str, list] = {}
    for enrolment_id, enrolment in participants.items():
        status, reason = entries.get(enrolment_id, ("", ""))
        key = f"status_{enrolment_id}"
        if status not in AttendanceStatus.values:
            errors[key] = [
                _("Choose present or absent for %(name)s.") % {"name": enrolment.client.full_name}
            ]
        elif status == AttendanceStatus.EXCUSED and reason not in AbsenceReason.values:
            errors[f"reason_{enrolment_id}"] = [
                _("Choose the reason of %(name)s's absence.") % {"name": enrolment.client.full_name}
            ]
    unknown = set(entries) - set(participants)
    if unknown:
        errors["register"] = [_("Someone in this register is not a participant.")]
    if errors:
        raise ValidationError(errors)
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    new, changed, changes = [], [], {}
    for enrolment_id, (status, reason) in entries.items():
        reason = reason if status == AttendanceStatus.EXCUSED else ""
        record = existing.get(enrolment_id)
        if record is None:
            new.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    reason=reason,
                    recorded_by=actor,
                )
            )
            changes[str(participants[enrolment_id].client)] = [None, status]
        elif (record.status, record.reason) != (status, reason):
            changes[str(participants[enrolment_id].client)] = [record.status, status]
            record.status, record.reason, record.recorded_by = status, reason, actor
            changed.append(record)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "reason", "recorded_by"])
    log_action(
        actor=actor,
        action="courses.register.saved",
        obj=session,
        centre=session.edition.centre,
        changes=changes,
    )
    absent = [
        participants[i]
        for i, (status, _r) in entries.items()
        if status == AttendanceStatus.UNEXCUSED
    ]
    _alert_absences(session=session, enrolments=absent)
    return len(new) + len(changed)


# --- step plan -------------------------------------------------------------------------------


@transaction.atomic
def plan_step_add(
    *,
    actor,
    enrolment: Enrolment,
    text: str,
    owner: str = StepOwner.CLIENT,
    due_date: datetime.date | None = None,
) -> PlanStep:
    """Add a step to the participant's individual step plan."""
    step = PlanStep(enrolment=enrolment, text=text.strip(), owner=owner, due_date=due_date)
    step.full_clean()
    step.save()
    _audit_enrolment(actor, "courses.step.added", enrolment, {"step": [None, step.text]})
    return step


@transaction.atomic
def plan_step_delete(*, actor, step: PlanStep) -> None:
    """Remove a step that was not carried into the GPMI yet."""
    if step.carried_on:
        raise ValidationError(_("This step is already in the GPMI; change it there."))
    _audit_enrolment(actor, "courses.step.deleted", step.enrolment, {"step": [step.text, None]})
    step.delete()
