"""Writes of the activation app: atomic, each with an audit entry in the same transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from opstap.core.audit import diff, log_action, snapshot
from opstap.network.models import Organisation, Place, SupportOffer
from opstap.network.services import offer_create, referral_create

from .models import (
    FLOW,
    MAX_MONTH_HOURS,
    SOCIAL_KINDS,
    ActivationSettings,
    AgreementNote,
    Art60Employment,
    ClientPayment,
    EndReason,
    Evaluation,
    HoursCorrection,
    HoursStatus,
    Kind,
    MonthlyHours,
    Placement,
    Status,
)

PLACEMENT_FIELDS = [
    "ref",
    "organisation",
    "place",
    "kind",
    "track",
    "status",
    "start",
    "end",
    "end_reason",
    "weekly_hours",
    "notes",
]
AGREEMENT_FIELDS = ["tasks", "schedule", "hours_buildup", "attention_points", "signed_on"]
ART60_FIELDS = ["own_service", "planned_end", "regime", "days_required", "days_worked"]
# The support offer a warm handover refers to (the work-experience service, BWE).
WORK_EXPERIENCE_OFFER_CODE = "work-experience"


def ensure_activation_settings(centre) -> ActivationSettings:
    """Every centre has its activation settings (registered as a centre initialiser)."""
    obj, _created = ActivationSettings.objects.get_or_create(centre=centre)
    return obj


def _full_clean(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


# --- placements ------------------------------------------------------------------------------


def _check_placement(placement: Placement) -> None:
    errors = {}
    if placement.kind in SOCIAL_KINDS and not placement.track:
        errors["track"] = _("Choose the client's track: volunteering and work-care need one.")
    if placement.organisation.centre_id != placement.centre_id:
        errors["organisation"] = _("This organisation belongs to another centre.")
    if placement.place_id and placement.place.organisation_id != placement.organisation_id:
        errors["place"] = _("This place belongs to another organisation.")
    if placement.end and not placement.start:
        errors["end"] = _("A placement cannot end before it has a start date.")
    elif placement.end and placement.end < placement.start:
        errors["end"] = _("The end cannot be before the start.")
    if placement.end and not placement.end_reason:
        errors["end_reason"] = _("Say why the placement ended.")
    if placement.status in (Status.ACTIVE, Status.ENDED) and not placement.start:
        errors["start"] = _("An active placement needs a start date.")
    clash = Placement.objects.filter(centre_id=placement.centre_id, ref=placement.ref)
    if clash.exclude(pk=placement.pk).exists():
        errors["ref"] = _("This reference is already used in this centre.")
    if errors:
        raise ValidationError(errors)


def _new_ref() -> str:
    return f"PL{timezone.now():%y}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def placement_create(
    *,
    actor,
    client,
    organisation: Organisation,
    kind: str,
    track: str = "",
    place: Place | None = None,
    start: datetime.date | None = None,
    weekly_hours: Decimal | None = None,
    ref: str = "",
    status: str = Status.REFERRAL,
    notes: str = "",
) -> Placement:
    """Start following a client towards (or at) a partner organisation."""
    placement = Placement(
        centre_id=client.centre_id,
        client=client,
        organisation=organisation,
        place=place,
        kind=kind,
        track=track or "",
        start=start,
        weekly_hours=weekly_hours,
        ref=ref or _new_ref(),
        status=status,
        notes=notes or "",
        created_by=actor,
    )
    if kind not in SOCIAL_KINDS and not track:
        placement.track = ""
    _full_clean(placement, exclude=["centre", "client", "previous", "handover", "created_by"])
    _check_placement(placement)
    placement.save()
    log_action(
        actor=actor,
        action="activation.placement.created",
        obj=placement,
        client_id=client.pk,
        changes=diff({}, snapshot(placement, PLACEMENT_FIELDS)),
    )
    return placement


@transaction.atomic
def placement_update(*, actor, placement: Placement, **fields) -> Placement:
    """Change a placement's details (not its status: see placement_advance / placement_end)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    old = snapshot(placement, PLACEMENT_FIELDS)
    for name, value in fields.items():
        setattr(placement, name, value if value is not None or name != "track" else "")
    _full_clean(placement, exclude=["centre", "client", "previous", "handover", "created_by"])
    _check_placement(placement)
    placement.save()
    log_action(
        actor=actor,
        action="activation.placement.updated",
        obj=placement,
        client_id=placement.client_id,
        changes=diff(old, snapshot(placement, PLACEMENT_FIELDS)),
    )
    return placement


@transaction.atomic
def placement_advance(*, actor, placement: Placement, on: datetime.date | None = None) -> Placement:
    """Move the placement one step along the flow; becoming active sets its start if empty."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    nxt = placement.next_status
    if nxt is None:
        raise ValidationError({"status": _("This placement has no next step; end it instead.")})
    old = snapshot(placement, ["status", "start"])
    placement.status = nxt
    if nxt == Status.ACTIVE and placement.start is None:
        placement.start = on or datetime.date.today()
    placement.save(update_fields=["status", "start", "updated_at"])
    log_action(
        actor=actor,
        action="activation.placement.advanced",
        obj=placement,
        client_id=placement.client_id,
        changes=diff(old, snapshot(placement, ["status", "start"])),
    )
    return placement


def _end(actor, placement: Placement, end: datetime.date, reason: str) -> None:
    if placement.status == Status.ENDED:
        raise ValidationError({"end": _("This placement has already ended.")})
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the placement ends.")})
    if placement.start is None:
        placement.start = end
    if end < placement.start:
        raise ValidationError(
            {
                "end": _("The end cannot be before the start (%(start)s).")
                % {"start": placement.start.strftime("%d/%m/%Y")}
            }
        )
    old = snapshot(placement, ["status", "start", "end", "end_reason"])
    placement.status, placement.end, placement.end_reason = Status.ENDED, end, reason
    placement.save(update_fields=["status", "start", "end", "end_reason", "updated_at"])
    log_action(
        actor=actor,
        action="activation.placement.ended",
        obj=placement,
        client_id=placement.client_id,
        changes=diff(old, snapshot(placement, ["status", "start", "end", "end_reason"])),
    )


def _work_experience_offer(actor, centre) -> SupportOffer:
    offer = SupportOffer.objects.filter(centre=centre, code=WORK_EXPERIENCE_OFFER_CODE).first()
    if offer is None:
        offer = offer_create(
            actor=actor,
            centre=centre,
            code=WORK_EXPERIENCE_OFFER_CODE,
            kind="work",
            name_nl="Begeleiding werkervaring (BWE)",
            name_fr="Accompagnement expérience de travail",
            name_en="Work-experience guidance",
        )
    return offer


def handover_summary(placement: Placement) -> str:
    """The history the work-experience service receives with a warm handover."""
    chain = [placement]
    while chain[0].previous_id:
        chain.insert(0, chain[0].previous)
    lines = [
        _("Warm handover from social activation after a step up."),
        _("Track: %(track)s.") % {"track": placement.get_track_display() or "—"},
    ]
    for p in chain:
        lines.append(
            _("%(kind)s at %(org)s from %(start)s to %(end)s (%(hours)s h/week)")
            % {
                "kind": p.get_kind_display(),
                "org": p.organisation.name,
                "start": p.start.strftime("%d/%m/%Y") if p.start else "—",
                "end": p.end.strftime("%d/%m/%Y") if p.end else "—",
                "hours": p.weekly_hours if p.weekly_hours is not None else "—",
            }
        )
    evaluations = Evaluation.objects.filter(placement__in=chain, held_on__isnull=False).order_by(
        "held_on"
    )
    for ev in evaluations:
        lines.append(
            _("Evaluation of %(date)s: %(conclusion)s")
            % {"date": ev.held_on.strftime("%d/%m/%Y"), "conclusion": ev.conclusion or "—"}
        )
    return "\n".join(lines)


@transaction.atomic
def placement_end(*, actor, placement: Placement, end: datetime.date, end_reason: str) -> Placement:
    """End a placement. A step up from social activation starts a warm handover to work
    experience: a referral carrying the placement's history."""
    if end_reason == EndReason.MUTATION:
        raise ValidationError({"end_reason": _("Use “Move to another place” for a mutation.")})
    placement = (
        Placement.objects.select_for_update().select_related("organisation").get(pk=placement.pk)
    )
    _end(actor, placement, end, end_reason)
    if end_reason == EndReason.STEP_UP and placement.kind in SOCIAL_KINDS:
        referral = referral_create(
            actor=actor,
            client=placement.client,
            reason=handover_summary(placement),
            offer=_work_experience_offer(actor, placement.centre),
            referred_on=min(end, datetime.date.today()),
        )
        placement.handover = referral
        placement.save(update_fields=["handover", "updated_at"])
    return placement


@transaction.atomic
def placement_mutate(
    *,
    actor,
    placement: Placement,
    end: datetime.date,
    organisation: Organisation,
    place: Place | None = None,
    requested_by: str,
    weekly_hours: Decimal | None = None,
) -> Placement:
    """Move the client to another place: the current placement ends with `mutation` and the
    next starts the day after, so the spell continues."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != Status.ACTIVE:
        raise ValidationError({"end": _("Only an active placement can move to another place.")})
    if not requested_by:
        raise ValidationError({"requested_by": _("Say who asked for the change.")})
    _end(actor, placement, end, EndReason.MUTATION)
    successor = placement_create(
        actor=actor,
        client=placement.client,
        organisation=organisation,
        place=place,
        kind=placement.kind,
        track=placement.track,
        start=end + datetime.timedelta(days=1),
        weekly_hours=weekly_hours if weekly_hours is not None else placement.weekly_hours,
        status=Status.ACTIVE,
    )
    successor.previous = placement
    successor.mutation_by = requested_by
    successor.save(update_fields=["previous", "mutation_by"])
    log_action(
        actor=actor,
        action="activation.placement.mutated",
        obj=successor,
        client_id=placement.client_id,
        changes={"from": [None, placement.ref], "requested_by": [None, requested_by]},
    )
    return successor


# --- agreement note --------------------------------------------------------------------------


@transaction.atomic
def agreement_save(*, actor, placement: Placement, version: int, **fields) -> AgreementNote:
    """Save the agreement note; refused when someone else saved it since it was opened."""
    note, _created = AgreementNote.objects.select_for_update().get_or_create(
        placement=placement, defaults={"version": 0}
    )
    expected = note.version if note.version else 0
    if int(version or 0) != expected:
        raise ValidationError(
            _(
                "Someone else saved this agreement note while you were editing it. "
                "Your text is kept below: compare it with the saved version and save again."
            )
        )
    old = snapshot(note, AGREEMENT_FIELDS)
    for name, value in fields.items():
        setattr(note, name, value)
    note.version = expected + 1
    note.updated_by = actor
    note.save()
    log_action(
        actor=actor,
        action="activation.agreement.saved",
        obj=note,
        client_id=placement.client_id,
        centre=placement.centre,
        changes=diff(old, snapshot(note, AGREEMENT_FIELDS)),
    )
    return note


# --- monthly hours ---------------------------------------------------------------------------


@dataclass
class HoursRow:
    """One row of the monthly grid as typed by the partner (text, kept on refusal)."""

    placement: Placement
    hours: str = ""
    transport_eur: str = ""
    clothing_eur: str = ""


def _decimal(raw: str, default: Decimal | None = None) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


def month_last_day(month: datetime.date) -> datetime.date:
    nxt = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return nxt - datetime.timedelta(days=1)


def _row_label(p: Placement) -> str:
    return f"{p.client.full_name} ({p.ref})"


def _validate_row(row: HoursRow, month: datetime.date, errors: dict) -> dict | None:
    """The row's values, or None when it is empty; adds plain messages naming row and field."""
    p, label = row.placement, _row_label(row.placement)
    if not (row.hours.strip() or row.transport_eur.strip() or row.clothing_eur.strip()):
        return None
    values = {}
    for field, name, maximum in (
        ("hours", _("hours"), MAX_MONTH_HOURS),
        ("transport_eur", _("public transport (€)"), Decimal("10000")),
        ("clothing_eur", _("clothing (€)"), Decimal("10000")),
    ):
        key = f"{field}-{p.pk}"
        try:
            value = _decimal(getattr(row, field), Decimal("0"))
        except ValueError:
            errors[key] = _("%(row)s, %(field)s: enter a number, e.g. 12.5.") % {
                "row": label,
                "field": name,
            }
            continue
        if value < 0 or value > maximum:
            errors[key] = _("%(row)s, %(field)s: must be between 0 and %(max)s.") % {
                "row": label,
                "field": name,
                "max": maximum.normalize(),
            }
            continue
        if value != value.quantize(Decimal("0.01")):
            errors[key] = _("%(row)s, %(field)s: at most two decimals.") % {
                "row": label,
                "field": name,
            }
            continue
        values[field] = value
    if not p.overlaps(month, month_last_day(month)):
        errors[f"hours-{p.pk}"] = _(
            "%(row)s: the placement does not run in %(month)s, so it cannot have hours then."
        ) % {"row": label, "month": month.strftime("%m/%Y")}
    return values


def hours_grid_stamp(records) -> str:
    """A fingerprint of a month's saved rows: it changes whenever one of them is saved."""
    parts = sorted(
        f"{r.pk}:{r.placement_id}:{r.status}:{r.hours}:{r.transport_eur}:{r.clothing_eur}:"
        f"{r.updated_at.isoformat()}"
        for r in records
        if r is not None
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


@transaction.atomic
def hours_save_month(
    *,
    actor,
    organisation: Organisation,
    month: datetime.date,
    rows: list[HoursRow],
    submit: bool,
    expected_stamp: str | None = None,
) -> list[MonthlyHours]:
    """Save the organisation's grid for a month as a draft, or submit it for approval.
    Every row is checked first; on any error nothing is written. With `expected_stamp` (the
    grid's `hours_grid_stamp` when it was opened) a save over someone else's is refused."""
    month = month.replace(day=1)
    errors: dict[str, str] = {}
    existing = {
        h.placement_id: h
        for h in MonthlyHours.objects.select_for_update().filter(
            placement__in=[r.placement for r in rows], month=month
        )
    }
    if expected_stamp is not None and expected_stamp != hours_grid_stamp(existing.values()):
        raise ValidationError(
            _(
                "Someone else saved the hours of this month after you opened them. Your input is "
                "kept below, but it was not saved: compare it with the saved hours shown per row, "
                "then save again to overwrite."
            ),
            code="stale",
        )
    cleaned = []
    for row in rows:
        if row.placement.organisation_id != organisation.pk:
            raise ValidationError(_("A row belongs to another organisation."))
        record = existing.get(row.placement.pk)
        if record is not None and record.status == HoursStatus.APPROVED:
            continue  # approved months are locked; the grid shows them read-only
        values = _validate_row(row, month, errors)
        if values is not None:
            cleaned.append((row.placement, record, values))
    if errors:
        raise ValidationError(errors)
    if submit and not cleaned and not existing:
        raise ValidationError(_("Fill in the hours of at least one placement before submitting."))
    status = HoursStatus.SUBMITTED if submit else HoursStatus.DRAFT
    now = timezone.now()
    saved = []
    for placement, record, values in cleaned:
        record = record or MonthlyHours(placement=placement, month=month)
        record.placement = placement  # the row's own: the log below reads no placement again
        for name, value in values.items():
            setattr(record, name, value)
        record.status = status
        if submit:
            record.submitted_by, record.submitted_at = actor, now
        record.save()
        saved.append(record)
    if submit:  # rows saved earlier as draft and not in this form are submitted too
        for record in existing.values():
            if record.status == HoursStatus.DRAFT and record not in saved:
                record.status, record.submitted_by, record.submitted_at = status, actor, now
                record.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    log_action(
        actor=actor,
        action="activation.hours.submitted" if submit else "activation.hours.saved",
        obj=organisation,
        changes={
            "month": [None, f"{month:%Y-%m}"],
            "rows": [None, {r.placement.ref: str(r.hours) for r in saved}],
        },
    )
    return saved


@transaction.atomic
def hours_approve(*, actor, organisation: Organisation, month: datetime.date) -> int:
    """Approve the organisation's submitted hours of a month; approved hours are locked."""
    month = month.replace(day=1)
    records = MonthlyHours.objects.select_for_update().filter(
        placement__organisation=organisation, month=month, status=HoursStatus.SUBMITTED
    )
    ids = list(records.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("There are no submitted hours to approve for this month."))
    MonthlyHours.objects.filter(pk__in=ids).update(
        status=HoursStatus.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    log_action(
        actor=actor,
        action="activation.hours.approved",
        obj=organisation,
        changes={"month": [None, f"{month:%Y-%m}"], "records": [None, len(ids)]},
    )
    return len(ids)


@transaction.atomic
def hours_return(*, actor, organisation: Organisation, month: datetime.date) -> int:
    """Send submitted hours back to the organisation as draft, to be corrected."""
    month = month.replace(day=1)
    n = MonthlyHours.objects.filter(
        placement__organisation=organisation, month=month, status=HoursStatus.SUBMITTED
    ).update(status=HoursStatus.DRAFT)
    log_action(
        actor=actor,
        action="activation.hours.returned",
        obj=organisation,
        changes={"month": [None, f"{month:%Y-%m}"], "records": [None, n]},
    )
    return n


@transaction.atomic
def hours_correct(
    *,
    actor,
    record: MonthlyHours,
    hours: Decimal,
    transport_eur: Decimal,
    clothing_eur: Decimal,
    reason: str,
) -> HoursCorrection:
    """Correct approved hours: the change is kept as a correction record with its reason."""
    record = MonthlyHours.objects.select_for_update().get(pk=record.pk)
    if record.status != HoursStatus.APPROVED:
        raise ValidationError(_("Only approved hours are corrected; change a draft in the grid."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the approved hours change.")})
    if not (0 <= hours <= MAX_MONTH_HOURS):
        raise ValidationError({"hours": _("Hours must be between 0 and 744.")})
    if transport_eur < 0 or clothing_eur < 0:
        raise ValidationError({"transport_eur": _("Allowances cannot be negative.")})
    fields = ["hours", "transport_eur", "clothing_eur"]
    old = snapshot(record, fields)
    cent = Decimal("0.01")
    record.hours = Decimal(hours).quantize(cent)
    record.transport_eur = Decimal(transport_eur).quantize(cent)
    record.clothing_eur = Decimal(clothing_eur).quantize(cent)
    record.save(update_fields=[*fields, "updated_at"])
    new = snapshot(record, fields)
    correction = HoursCorrection.objects.create(
        record=record, old_values=old, new_values=new, reason=reason.strip(), corrected_by=actor
    )
    log_action(
        actor=actor,
        action="activation.hours.corrected",
        obj=record.placement,
        client_id=record.placement.client_id,
        changes={**diff(old, new), "reason": [None, reason.strip()]},
    )
    return correction


# --- payments and settings -------------------------------------------------------------------


def clean_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {"iban": _("This is not a valid IBAN: check the country code and the digits.")}
        ) from None


@transaction.atomic
def client_payment_set(*, actor, client, iban: str, account_holder: str = "") -> ClientPayment:
    """Record the account the client's premiums are paid to."""
    iban = clean_iban(iban)
    payment = ClientPayment.objects.filter(client=client).first()
    old = snapshot(payment, ["iban", "account_holder"]) if payment else {}
    payment = payment or ClientPayment(client=client)
    payment.iban, payment.account_holder = iban, (account_holder or "").strip()
    payment.save()
    log_action(
        actor=actor,
        action="activation.payment.set",
        obj=payment,
        client_id=client.pk,
        centre=client.centre,
        changes=diff(old, snapshot(payment, ["iban", "account_holder"])),
    )
    return payment


@transaction.atomic
def settings_update(*, actor, centre, **fields) -> ActivationSettings:
    """Change the centre's activation settings (reminder day, evaluation cadence, bank)."""
    obj = ensure_activation_settings(centre)
    names = list(fields)
    old = snapshot(obj, names)
    if fields.get("debtor_iban"):
        try:
            fields["debtor_iban"] = clean_iban(fields["debtor_iban"])
        except ValidationError as exc:
            raise ValidationError({"debtor_iban": exc.message_dict["iban"]}) from None
    if fields.get("debtor_bic"):
        fields["debtor_bic"] = fields["debtor_bic"].replace(" ", "").upper()
    for name, value in fields.items():
        setattr(obj, name, value)
    _full_clean(obj, exclude=["centre"])
    obj.save()
    log_action(
        actor=actor,
        action="activation.settings.updated",
        obj=obj,
        centre=centre,
        changes=diff(old, snapshot(obj, names)),
    )
    return obj


# --- evaluations -----------------------------------------------------------------------------

CLIENT_FORM_FIELDS = ["client_going_well", "client_difficult", "client_wishes"]
ORG_FORM_FIELDS = ["org_attendance", "org_work", "org_cooperation", "org_remarks"]
CONVERSATION_FIELDS = ["held_on", "conclusion"]


@transaction.atomic
def evaluation_save(
    *, actor, placement: Placement, due_on: datetime.date, part: str, **fields
) -> Evaluation:
    """Save one part of an evaluation: the client's form, the organisation's form or the talk."""
    allowed = {"client": CLIENT_FORM_FIELDS, "org": ORG_FORM_FIELDS, "talk": CONVERSATION_FIELDS}
    if part not in allowed or set(fields) - set(allowed[part]):
        raise ValidationError(_("Unknown part of the evaluation."))
    evaluation, _created = Evaluation.objects.select_for_update().get_or_create(
        placement=placement, due_on=due_on
    )
    if evaluation.done and part != "talk":
        raise ValidationError(_("This evaluation was concluded; its forms can no longer change."))
    if part == "talk":
        held_on = fields.get("held_on")
        if held_on is None:
            raise ValidationError({"held_on": _("Give the date of the conversation.")})
        if held_on > datetime.date.today():
            raise ValidationError({"held_on": _("The conversation cannot be in the future.")})
    names = allowed[part]
    old = snapshot(evaluation, names)
    for name, value in fields.items():
        setattr(evaluation, name, value)
    if part == "client":
        evaluation.client_form_on = datetime.date.today()
    elif part == "org":
        evaluation.org_form_on = datetime.date.today()
    evaluation.save()
    log_action(
        actor=actor,
        action=f"activation.evaluation.{part}",
        obj=evaluation,
        client_id=placement.client_id,
        centre=placement.centre,
        changes=diff(old, snapshot(evaluation, names)),
    )
    return evaluation


# --- art. 60 ---------------------------------------------------------------------------------


@transaction.atomic
def art60_save(*, actor, placement: Placement, **fields) -> Art60Employment:
    """Record or update the art. 60 §7 employment details of an art. 60 placement."""
    if placement.kind != Kind.ART60:
        raise ValidationError(_("Only an art. 60 placement has employment details."))
    employment = Art60Employment.objects.filter(placement=placement).first()
    old = snapshot(employment, ART60_FIELDS) if employment else {}
    employment = employment or Art60Employment(placement=placement, days_required=0)
    for name, value in fields.items():
        setattr(employment, name, value)
    if employment.planned_end and placement.start and employment.planned_end < placement.start:
        raise ValidationError({"planned_end": _("The planned end cannot be before the start.")})
    if not employment.days_required:
        raise ValidationError(
            {"days_required": _("Give the number of days the employment office requires.")}
        )
    _full_clean(employment, exclude=["placement"])
    employment.save()
    log_action(
        actor=actor,
        action="activation.art60.saved",
        obj=employment,
        client_id=placement.client_id,
        centre=placement.centre,
        changes=diff(old, snapshot(employment, ART60_FIELDS)),
    )
    return employment


__all__ = ["FLOW"]
