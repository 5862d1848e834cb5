"""Writes to client dossiers. Each is atomic and leaves an audit entry in the same transaction."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from opstap.core.audit import diff, log_action, snapshot

from .models import Appointment, CareRole, CareTeamMember, Client, IncomeRight, JournalNote
from .validators import clean_insz

CLIENT_FIELDS = [
    "ref",
    "last_name",
    "first_name",
    "birth_date",
    "gender",
    "insz",
    "language",
    "dutch_level",
    "household",
    "phone",
    "email",
    "address",
    "office",
]


class DuplicateInsz(ValidationError):
    """The INSZ already belongs to a dossier of this centre."""

    def __init__(self, existing: Client):
        self.existing = existing
        super().__init__(
            {"insz": _("A client with this INSZ already exists in this centre.")}, code="duplicate"
        )


def new_client_ref() -> str:
    return "K" + secrets.token_hex(4).upper()


def _clean_insz_field(value: str) -> str:
    """clean_insz, with its error attached to the `insz` field."""
    try:
        return clean_insz(value)
    except ValidationError as exc:
        raise ValidationError({"insz": exc.error_list}) from exc


def _check_insz_free(centre, insz: str, exclude_pk=None) -> None:
    if not insz:
        return
    existing = Client.objects.filter(centre=centre, insz=insz).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicateInsz(existing)


@transaction.atomic
def client_create(*, actor, centre, care_role: str | None = CareRole.REFERENCE, **fields) -> Client:
    """Create a dossier; the creator joins the care team in `care_role`."""
    fields["insz"] = _clean_insz_field(fields.get("insz", ""))
    _check_insz_free(centre, fields["insz"])
    if not fields.get("ref"):
        fields["ref"] = new_client_ref()
    elif Client.objects.filter(centre=centre, ref=fields["ref"]).exists():
        raise ValidationError({"ref": _("This reference is already used in this centre.")})
    client = Client(centre=centre, **fields)
    client.full_clean(exclude=["centre"], validate_constraints=False)
    client.save()
    if care_role and actor is not None:
        CareTeamMember.objects.create(client=client, user=actor, role=care_role)
    log_action(
        actor=actor,
        action="client.created",
        obj=client,
        client_id=client.pk,
        changes=diff({}, snapshot(client, CLIENT_FIELDS)),
    )
    return client


@transaction.atomic
def client_update(*, actor, client: Client, **fields) -> Client:
    """Change identity or contact details; the audit keeps old and new values."""
    before = snapshot(client, CLIENT_FIELDS)
    if "insz" in fields:
        fields["insz"] = _clean_insz_field(fields["insz"])
        _check_insz_free(client.centre, fields["insz"], exclude_pk=client.pk)
    if "ref" in fields and fields["ref"] != client.ref:
        if not fields["ref"]:
            raise ValidationError({"ref": _("This field is required.")})
        if (
            Client.objects.filter(centre=client.centre, ref=fields["ref"])
            .exclude(pk=client.pk)
            .exists()
        ):
            raise ValidationError({"ref": _("This reference is already used in this centre.")})
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean(exclude=["centre"], validate_constraints=False)
    client.save()
    changes = diff(before, snapshot(client, CLIENT_FIELDS))
    if changes:
        log_action(
            actor=actor, action="client.updated", obj=client, client_id=client.pk, changes=changes
        )
    return client


def _overlapping_rights(
    client: Client, start: datetime.date, end: datetime.date | None, exclude_pk=None
):
    qs = client.rights.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return qs.exclude(pk=exclude_pk)


def _validate_right(client, kind, start_date, end_date, exclude_pk=None) -> None:
    errors = {}
    if end_date is not None and start_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    elif start_date is not None:
        clash = _overlapping_rights(client, start_date, end_date, exclude_pk).first()
        if clash is not None:
            errors["start_date"] = _(
                "This period overlaps the right from %(start)s to %(end)s."
            ) % {
                "start": clash.start_date.strftime("%d/%m/%Y"),
                "end": clash.end_date.strftime("%d/%m/%Y") if clash.end_date else _("open end"),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def right_create(
    *,
    actor,
    client: Client,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> IncomeRight:
    """Record an income right; overlapping rights of the same client are refused."""
    Client.objects.select_for_update().filter(pk=client.pk).first()
    _validate_right(client, kind, start_date, end_date)
    right = IncomeRight(client=client, kind=kind, start_date=start_date, end_date=end_date)
    right.full_clean(validate_constraints=False)
    right.save()
    log_action(
        actor=actor,
        action="right.created",
        obj=right,
        client_id=client.pk,
        centre=client.centre,
        changes=diff({}, snapshot(right, ["kind", "start_date", "end_date"])),
    )
    return right


@transaction.atomic
def right_update(*, actor, right: IncomeRight, **fields) -> IncomeRight:
    """Change a right's kind or dates, still without overlap."""
    Client.objects.select_for_update().filter(pk=right.client_id).first()
    before = snapshot(right, ["kind", "start_date", "end_date"])
    for name, value in fields.items():
        setattr(right, name, value)
    _validate_right(right.client, right.kind, right.start_date, right.end_date, exclude_pk=right.pk)
    right.full_clean(validate_constraints=False)
    right.save()
    changes = diff(before, snapshot(right, ["kind", "start_date", "end_date"]))
    if changes:
        log_action(
            actor=actor,
            action="right.updated",
            obj=right,
            client_id=right.client_id,
            centre=right.client.centre,
            changes=changes,
        )
    return right


@transaction.atomic
def care_member_add(
    *, actor, client: Client, user, role: str, start_date: datetime.date | None = None
) -> CareTeamMember:
    """Add a worker of the same centre to the care team."""
    if user.centre_id != client.centre_id:
        raise ValidationError({"user": _("This worker does not belong to this centre.")})
    start_date = start_date or datetime.date.today()
    if client.care_team.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date), user=user, role=role
    ).exists():
        raise ValidationError({"user": _("This worker already has this role in the care team.")})
    member = CareTeamMember(client=client, user=user, role=role, start_date=start_date)
    member.full_clean(validate_constraints=False)
    member.save()
    log_action(
        actor=actor,
        action="careteam.added",
        obj=member,
        client_id=client.pk,
        centre=client.centre,
        changes={"user": [None, str(user)], "role": [None, role]},
    )
    return member


@transaction.atomic
def care_member_end(
    *, actor, member: CareTeamMember, end_date: datetime.date | None = None
) -> None:
    """End a worker's role in the care team (the history stays)."""
    end_date = end_date or datetime.date.today()
    if end_date < member.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    old = member.end_date
    member.end_date = end_date
    member.save(update_fields=["end_date"])
    log_action(
        actor=actor,
        action="careteam.ended",
        obj=member,
        client_id=member.client_id,
        centre=member.client.centre,
        changes={"end_date": [str(old) if old else None, str(end_date)]},
    )


@transaction.atomic
def note_create(
    *, actor, client: Client, subject: str, text: str, occurred_on=None, restricted: bool = False
) -> JournalNote:
    """Add a journal note."""
    note = JournalNote(
        client=client,
        author=actor,
        subject=subject,
        text=text,
        occurred_on=occurred_on or datetime.date.today(),
        restricted=restricted,
    )
    note.full_clean()
    note.save()
    log_action(
        actor=actor,
        action="journal.created",
        obj=note,
        client_id=client.pk,
        centre=client.centre,
        changes={"subject": [None, subject], "restricted": [None, restricted]},
    )
    return note


@transaction.atomic
def appointment_create(
    *, actor, client: Client, worker, starts_at, subject: str, **fields
) -> Appointment:
    """Plan an appointment with the client."""
    appointment = Appointment(
        client=client, worker=worker, starts_at=starts_at, subject=subject, **fields
    )
    appointment.full_clean()
    appointment.save()
    log_action(
        actor=actor,
        action="appointment.created",
        obj=appointment,
        client_id=client.pk,
        centre=client.centre,
        changes={"subject": [None, subject], "starts_at": [None, str(starts_at)]},
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, actor, appointment: Appointment) -> None:
    """Cancel an appointment (it stays in the history)."""
    appointment.cancelled = True
    appointment.save(update_fields=["cancelled"])
    log_action(
        actor=actor,
        action="appointment.cancelled",
        obj=appointment,
        client_id=appointment.client_id,
        centre=appointment.client.centre,
    )
