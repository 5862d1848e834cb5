"""The audit log: every read of a dossier and every change, written in the caller's transaction."""

from __future__ import annotations

import datetime
import decimal
import re
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# A person's words for the action codes of the audit log. Codes stay in the log (they are what
# filters and exports match on); screens show the label next to them. An unknown code shows as is.
ACTION_LABELS = {
    # dossier
    "client.viewed": _("Opened the dossier"),
    "client.created": _("Created the dossier"),
    "client.updated": _("Changed the client's details"),
    "right.created": _("Added an income right"),
    "right.updated": _("Changed an income right"),
    "careteam.added": _("Added someone to the care team"),
    "careteam.ended": _("Ended a care team membership"),
    "careteam.reference.reassigned": _("Changed the reference worker"),
    "journal.created": _("Wrote a journal note"),
    "appointment.created": _("Planned an appointment"),
    "appointment.cancelled": _("Cancelled an appointment"),
    # accounts and administration
    "user.logged_in": _("Logged in"),
    "user.logged_out": _("Logged out"),
    "user.login_failed": _("Failed login"),
    "user.otp_failed": _("Wrong two-step verification code"),
    "user.locked": _("Account locked"),
    "user.unlocked": _("Account unlocked"),
    "user.created": _("Created a user account"),
    "user.updated": _("Changed a user account"),
    "user.language_set": _("Changed the interface language"),
    "user.password_changed": _("Changed the password"),
    "user.password_reset": _("Reset the password"),
    "user.totp_enabled": _("Turned on two-step verification"),
    "user.totp_disabled": _("Turned off two-step verification"),
    "user.totp_reset": _("Reset two-step verification"),
    "api.token_created": _("Created an API token"),
    "api.token_revoked": _("Revoked an API token"),
    "centre.created": _("Created the centre"),
    "centre.updated": _("Changed the centre's settings"),
    "office.created": _("Created an office"),
    "office.updated": _("Changed an office"),
    "team.created": _("Created a team"),
    "team.updated": _("Changed a team"),
    # GPMI
    "gpmi.created": _("Drafted a GPMI"),
    "gpmi.updated": _("Changed the GPMI"),
    "gpmi.deleted": _("Deleted a draft GPMI"),
    "gpmi.proposed": _("Proposed the GPMI to the client"),
    "gpmi.back_to_draft": _("Took the GPMI back to draft"),
    "gpmi.signed": _("Recorded the GPMI signatures"),
    "gpmi.started": _("Started the GPMI"),
    "gpmi.ended": _("Ended the GPMI"),
    "gpmi.exempted": _("Exempted from a GPMI"),
    "gpmi.amendment.started": _("Opened an amendment of the GPMI"),
    "gpmi.amendment.finished": _("Finished an amendment of the GPMI"),
    "gpmi.goal.created": _("Added a GPMI goal"),
    "gpmi.goal.updated": _("Changed a GPMI goal"),
    "gpmi.goal.deleted": _("Removed a GPMI goal"),
    "gpmi.step.created": _("Added a GPMI step"),
    "gpmi.step.updated": _("Changed a GPMI step"),
    "gpmi.step.deleted": _("Removed a GPMI step"),
    "gpmi.steps_carried": _("Carried a module's step plan into the GPMI"),
    "gpmi.third_party.added": _("Added a third party to the GPMI"),
    "gpmi.third_party.removed": _("Removed a third party from the GPMI"),
    "gpmi.evaluation.created": _("Evaluated the GPMI"),
    "gpmi.sanction.warned": _("Gave a formal warning"),
    "gpmi.sanction.heard": _("Recorded a hearing"),
    "gpmi.sanction.decided": _("Decided on a sanction"),
    "gpmi.domain.saved": _("Saved a life domain"),
    "gpmi.priority.saved": _("Saved a priority"),
    # balance
    "balance.created": _("Started a balance"),
    "balance.updated": _("Changed the balance"),
    "balance.phase_completed": _("Completed a balance phase"),
    "balance.phase_reopened": _("Reopened a balance phase"),
    "balance.instrument.created": _("Added a balance instrument"),
    "balance.instrument.updated": _("Changed a balance instrument"),
    "balance.instrument.versioned": _("Saved a new version of a balance instrument"),
    "balance.barrier.created": _("Added a barrier or strength"),
    "balance.barrier.updated": _("Changed a barrier or strength"),
    # trajectories
    "ladder.position.set": _("Set the ladder position"),
    "trajectory.started": _("Started a trajectory"),
    "trajectory.ended": _("Ended a trajectory"),
    "trajectory.type.created": _("Created a trajectory type"),
    "trajectory.type.updated": _("Changed a trajectory type"),
    # network and referrals
    "network.referral.created": _("Referred the client to a partner"),
    "network.referral.accepted": _("Referral accepted"),
    "network.referral.refused": _("Referral refused"),
    "network.referral.started": _("Referral started"),
    "network.referral.ended": _("Referral ended"),
    "network.organisation.created": _("Created a partner organisation"),
    "network.organisation.updated": _("Changed a partner organisation"),
    "network.place.created": _("Created a place"),
    "network.place.updated": _("Changed a place"),
    "network.offer.created": _("Created a support offer"),
    "network.offer.updated": _("Changed a support offer"),
    "network.partner_contact.set": _("Linked a partner account to its organisation"),
    "network.partner_contact.removed": _("Unlinked a partner account"),
    "network.catalogue.defaults_added": _("Added the default support catalogue"),
    # activation
    "activation.placement.created": _("Created a placement"),
    "activation.placement.updated": _("Changed a placement"),
    "activation.placement.advanced": _("Moved a placement to its next stage"),
    "activation.placement.mutated": _("Recorded a change of placement"),
    "activation.placement.ended": _("Ended a placement"),
    "activation.agreement.saved": _("Saved an agreement note"),
    "activation.hours.saved": _("Saved monthly hours"),
    "activation.hours.submitted": _("Submitted monthly hours"),
    "activation.hours.approved": _("Approved monthly hours"),
    "activation.hours.returned": _("Returned monthly hours for correction"),
    "activation.hours.corrected": _("Corrected monthly hours"),
    "activation.payment.set": _("Saved payment details"),
    "activation.settings.updated": _("Changed the activation settings"),
    "activation.evaluation.client": _("Saved the client's evaluation of a placement"),
    "activation.evaluation.org": _("Saved the partner's evaluation of a placement"),
    "activation.evaluation.talk": _("Recorded an evaluation conversation"),
    # modules
    "courses.module.saved": _("Saved a module"),
    "courses.edition.saved": _("Saved an edition"),
    "courses.edition.evaluated": _("Evaluated an edition"),
    "courses.schedule.saved": _("Saved an edition's schedule"),
    "courses.session.moved": _("Moved a session"),
    "courses.session.cancelled": _("Cancelled a session"),
    "courses.session.restored": _("Restored a session"),
    "courses.register.saved": _("Saved an attendance register"),
    "courses.enrolment.proposed": _("Proposed the client for a module"),
    "courses.enrolment.offered": _("Offered a place in a module"),
    "courses.enrolment.accepted": _("Took a place in a module"),
    "courses.enrolment.completed": _("Completed a module"),
    "courses.enrolment.dropped": _("Dropped out of a module"),
    "courses.enrolment.withdrawn": _("Withdrawn from a module's waiting list"),
    "courses.enrolment.evaluated": _("Evaluated a module participation"),
    "courses.step.added": _("Added a step to a module's step plan"),
    "courses.step.deleted": _("Removed a step from a module's step plan"),
    # import and export
    "interchange.imported": _("Imported data"),
    "interchange.exported": _("Exported data"),
}


def action_label(code: str) -> str:
    """The label a person reads for an audit action code; the code itself when it has none."""
    return str(ACTION_LABELS.get(code, code))


# Set per request by CentreMiddleware so services need not pass the request down.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {
        key: [_plain(old.get(key)), _plain(new.get(key))]
        for key in new
        if _plain(old.get(key)) != _plain(new.get(key))
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def log_action(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    client_id: int | None = None,
    centre=None,
    changes: dict | None = None,
) -> AuditEntry:
    """Write one audit entry (call inside the transaction of the change it records)."""
    if centre is None and obj is not None:
        centre = getattr(obj, "centre", None)
    if centre is None and actor is not None:
        centre = getattr(actor, "centre", None)
    return AuditEntry.objects.create(
        centre=centre,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        client_id=client_id,
        changes=changes or {},
        ip=request_ip.get(),
    )


# Fields whose values identify a person whatever the model: blanked in redacted entries.
IDENTITY_FIELDS = frozenset(
    {"first_name", "last_name", "name", "insz", "phone", "email", "address", "birth_date"}
)


def _is_free_text(object_type: str, field_name: str) -> bool:
    if field_name in IDENTITY_FIELDS:
        return True
    try:
        model = apps.get_model(object_type)
        return isinstance(model._meta.get_field(field_name), models.TextField)
    except (LookupError, ValueError, FieldDoesNotExist):
        return False


def _redact_value(value: Any, pattern: re.Pattern | None, replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value) if pattern else value
    if isinstance(value, list):
        return [_redact_value(v, pattern, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v, pattern, replacement) for k, v in value.items()}
    return value


def redact_client_entries(*, client_id: int, names: list[str], replacement: str) -> int:
    """Take a client's identity out of the audit entries about them (anonymisation).

    Who did what, when, to which object stays; the object's description loses every name in
    `names` (the client's names, present and past, and INSZ), and the recorded values of
    identity and free-text fields are blanked. On PostgreSQL the immutability trigger lets this
    one kind of change through only while `opstap.audit_redaction` is on in this transaction.
    Returns the number of entries changed.
    """
    variants = sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True)
    pattern = (
        re.compile("|".join(re.escape(v) for v in variants), re.IGNORECASE) if variants else None
    )
    changed = []
    entries = AuditEntry.objects.filter(client_id=client_id).only(
        "id", "object_type", "object_repr", "changes"
    )
    for entry in entries.iterator(chunk_size=1000):
        repr_ = _redact_value(entry.object_repr, pattern, replacement)
        changes = {
            key: (
                [None if v is None else "" for v in value]
                if isinstance(value, list) and _is_free_text(entry.object_type, key)
                else _redact_value(value, pattern, replacement)
            )
            for key, value in (entry.changes or {}).items()
        }
        if repr_ != entry.object_repr or changes != entry.changes:
            entry.object_repr, entry.changes = repr_[:200], changes
            changed.append(entry)
    if not changed:
        return 0
    with transaction.atomic():
        postgres = connection.vendor == "postgresql"
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL opstap.audit_redaction = 'on'")
        try:
            AuditEntry.objects.bulk_update(changed, ["object_repr", "changes"], batch_size=500)
        finally:
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL opstap.audit_redaction = 'off'")
    return len(changed)
