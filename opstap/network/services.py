"""Writes of the network app. Each is atomic and leaves an audit entry in the same transaction."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opstap.accounts.roles import Role
from opstap.core.audit import diff, log_action, snapshot

from .catalogue import DEFAULT_OFFERS
from .models import (
    TRANSITIONS,
    Organisation,
    PartnerContact,
    Place,
    Referral,
    ReferralStatus,
    SharedInfo,
    SupportOffer,
)
from .selectors import PARTNER_ORGANISATION_CACHE
from .validators import clean_kbo

ORGANISATION_FIELDS = [
    "ref",
    "name",
    "kbo",
    "sector",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "agreement_signed_on",
    "insurance_until",
    "active",
]
OFFER_FIELDS = [
    "name_nl",
    "name_fr",
    "name_en",
    "kind",
    "provider",
    "contact",
    "capacity",
    "active",
    "description",
]
PLACE_FIELDS = [
    "title",
    "tasks",
    "hours_per_week",
    "requirements",
    "location",
    "status",
    "capacity",
]


def _full_clean(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


# --- organisations ---------------------------------------------------------------------------


def _check_ref_free(centre, ref: str, exclude_pk=None) -> None:
    if Organisation.objects.filter(centre=centre, ref=ref).exclude(pk=exclude_pk).exists():
        raise ValidationError({"ref": _("This reference is already used in this centre.")})


@transaction.atomic
def organisation_create(*, actor, centre, **fields) -> Organisation:
    """Register a partner organisation; the KBO number is checked."""
    fields["kbo"] = clean_kbo(fields.get("kbo"))
    if not fields.get("ref"):
        fields["ref"] = "P" + secrets.token_hex(4).upper()
    _check_ref_free(centre, fields["ref"])
    org = Organisation(centre=centre, **fields)
    _full_clean(org, exclude=["centre"])
    org.save()
    log_action(
        actor=actor,
        action="network.organisation.created",
        obj=org,
        changes=diff({}, snapshot(org, ORGANISATION_FIELDS)),
    )
    return org


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change a partner organisation's details."""
    if "kbo" in fields:
        fields["kbo"] = clean_kbo(fields["kbo"])
    if fields.get("ref") is not None and not fields["ref"]:
        fields.pop("ref")
    if "ref" in fields:
        _check_ref_free(organisation.centre_id, fields["ref"], exclude_pk=organisation.pk)
    old = snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _full_clean(organisation, exclude=["centre"])
    organisation.save()
    log_action(
        actor=actor,
        action="network.organisation.updated",
        obj=organisation,
        changes=diff(old, snapshot(organisation, ORGANISATION_FIELDS)),
    )
    return organisation


# --- places ----------------------------------------------------------------------------------


@transaction.atomic
def place_create(*, actor, organisation: Organisation, **fields) -> Place:
    """Add a place (vacancy) at a partner organisation."""
    place = Place(organisation=organisation, **fields)
    _full_clean(place, exclude=["organisation"])
    place.save()
    log_action(
        actor=actor,
        action="network.place.created",
        obj=place,
        centre=organisation.centre,
        changes=diff({}, snapshot(place, PLACE_FIELDS)),
    )
    return place


@transaction.atomic
def place_update(*, actor, place: Place, **fields) -> Place:
    """Change a place, e.g. mark it filled."""
    old = snapshot(place, PLACE_FIELDS)
    for name, value in fields.items():
        setattr(place, name, value)
    _full_clean(place, exclude=["organisation"])
    place.save()
    log_action(
        actor=actor,
        action="network.place.updated",
        obj=place,
        centre=place.organisation.centre,
        changes=diff(old, snapshot(place, PLACE_FIELDS)),
    )
    return place


# --- partner accounts ------------------------------------------------------------------------


@transaction.atomic
def partner_contact_set(*, actor, user, organisation: Organisation) -> PartnerContact:
    """Link a partner account to the one organisation it may see (moving it from another)."""
    if not user.has_role(Role.PARTNER):
        raise ValidationError(
            {"user": _("Only a partner account can be linked to an organisation.")}
        )
    if user.centre_id != organisation.centre_id:
        raise ValidationError({"organisation": _("This organisation belongs to another centre.")})
    old = PartnerContact.objects.select_related("organisation").filter(user=user).first()
    if old is not None and old.organisation_id == organisation.pk:
        return old
    contact, _created = PartnerContact.objects.update_or_create(
        user=user, defaults={"organisation": organisation}
    )
    user.__dict__.pop(PARTNER_ORGANISATION_CACHE, None)
    log_action(
        actor=actor,
        action="network.partner_contact.set",
        obj=contact,
        centre=organisation.centre,
        changes={"organisation": [str(old.organisation) if old else None, str(organisation)]},
    )
    return contact


@transaction.atomic
def partner_contact_remove(*, actor, user) -> None:
    """Unlink a partner account from its organisation; it then sees no partner data at all."""
    contact = (
        PartnerContact.objects.select_related("organisation__centre").filter(user=user).first()
    )
    if contact is None:
        return
    log_action(
        actor=actor,
        action="network.partner_contact.removed",
        obj=contact,
        centre=contact.organisation.centre,
        changes={"organisation": [str(contact.organisation), None]},
    )
    contact.delete()
    user.__dict__.pop(PARTNER_ORGANISATION_CACHE, None)


# --- support catalogue -----------------------------------------------------------------------


@transaction.atomic
def ensure_default_catalogue(centre, *, actor=None) -> int:
    """Add the default offers the centre does not have yet; returns how many were added."""
    existing = set(
        SupportOffer.objects.filter(centre=centre).exclude(code="").values_list("code", flat=True)
    )
    new = [
        SupportOffer(centre=centre, code=code, kind=kind, name_nl=nl, name_fr=fr, name_en=en)
        for code, kind, nl, fr, en in DEFAULT_OFFERS
        if code not in existing
    ]
    SupportOffer.objects.bulk_create(new)
    if new and actor is not None:
        log_action(
            actor=actor,
            action="network.catalogue.defaults_added",
            centre=centre,
            changes={"offers": [None, len(new)]},
        )
    return len(new)


def _check_provider(centre, fields: dict) -> None:
    provider = fields.get("provider")
    if provider is not None and provider.centre_id != centre.pk:
        raise ValidationError({"provider": _("This organisation belongs to another centre.")})


@transaction.atomic
def offer_create(*, actor, centre, **fields) -> SupportOffer:
    """Add an offer to the centre's support catalogue."""
    _check_provider(centre, fields)
    offer = SupportOffer(centre=centre, **fields)
    _full_clean(offer, exclude=["centre"])
    offer.save()
    log_action(
        actor=actor,
        action="network.offer.created",
        obj=offer,
        changes=diff({}, snapshot(offer, OFFER_FIELDS)),
    )
    return offer


@transaction.atomic
def offer_update(*, actor, offer: SupportOffer, **fields) -> SupportOffer:
    """Change an offer of the support catalogue."""
    _check_provider(offer.centre, fields)
    old = snapshot(offer, OFFER_FIELDS)
    for name, value in fields.items():
        setattr(offer, name, value)
    _full_clean(offer, exclude=["centre"])
    offer.save()
    log_action(
        actor=actor,
        action="network.offer.updated",
        obj=offer,
        changes=diff(old, snapshot(offer, OFFER_FIELDS)),
    )
    return offer


# --- referrals -------------------------------------------------------------------------------


def _clean_shared_info(items) -> list[str]:
    items = [str(i) for i in (items or [])]
    unknown = [i for i in items if i not in SharedInfo.values]
    if unknown:
        raise ValidationError(
            {
                "shared_info": _("Unknown information to share: %(items)s")
                % {"items": ", ".join(unknown)}
            }
        )
    return [key for key in SharedInfo.values if key in items]


def _check_target(client, offer, organisation, place) -> None:
    if offer is None and organisation is None:
        raise ValidationError({"offer": _("Choose an offer, an organisation or a place.")})
    for field, obj in (("offer", offer), ("organisation", organisation)):
        if obj is not None and obj.centre_id != client.centre_id:
            raise ValidationError({field: _("This belongs to another centre.")})
    if offer is not None and not offer.active:
        raise ValidationError({"offer": _("This offer is no longer active.")})
    if organisation is not None and not organisation.active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if place is not None and place.status != "open":
        raise ValidationError({"place": _("This place is already filled.")})


@transaction.atomic
def referral_create(
    *,
    actor,
    client,
    reason: str,
    offer: SupportOffer | None = None,
    organisation: Organisation | None = None,
    place: Place | None = None,
    referred_on: datetime.date | None = None,
    shared_info=None,
) -> Referral:
    """Refer a client to an offer, an organisation or a place; the partner is asked to answer."""
    if place is not None:
        organisation = place.organisation
    if organisation is None and offer is not None:
        organisation = offer.provider
    _check_target(client, offer, organisation, place)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you refer the client.")})
    referral = Referral(
        centre_id=client.centre_id,
        client=client,
        offer=offer,
        organisation=organisation,
        place=place,
        referred_by=actor,
        reason=reason.strip(),
        referred_on=referred_on or datetime.date.today(),
        shared_info=_clean_shared_info(shared_info),
    )
    if referral.referred_on > datetime.date.today():
        raise ValidationError({"referred_on": _("The referral date cannot be in the future.")})
    referral.save()
    log_action(
        actor=actor,
        action="network.referral.created",
        obj=referral,
        client_id=client.pk,
        centre=client.centre,
        changes={
            "target": [None, referral.target_label],
            "shared_info": [None, referral.shared_info],
            "status": [None, referral.status],
        },
    )
    return referral


@transaction.atomic
def referral_set_status(
    *,
    actor,
    referral: Referral,
    status: str,
    note: str = "",
    on: datetime.date | None = None,
) -> Referral:
    """Move a referral to its next status; an ended referral records its outcome."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            {
                "status": _("A referral cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": ReferralStatus(referral.status).label,
                    "new": ReferralStatus(status).label
                    if status in ReferralStatus.values
                    else status,
                }
            }
        )
    note = (note or "").strip()
    if status == ReferralStatus.ENDED and not note:
        raise ValidationError({"note": _("Describe the outcome before you end the referral.")})
    on = on or datetime.date.today()
    old = snapshot(referral, ["status", "answered_on", "started_on", "ended_on", "outcome"])
    referral.status = status
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.REFUSED):
        referral.answered_on = on
        referral.answer_note = note
    elif status == ReferralStatus.STARTED:
        referral.started_on = on
    elif status == ReferralStatus.ENDED:
        referral.ended_on = on
        referral.outcome = note
    referral.save()
    changes = diff(old, snapshot(referral, ["status", "answered_on", "started_on", "ended_on"]))
    if note:
        changes["note"] = [None, note]
    log_action(
        actor=actor,
        action=f"network.referral.{status}",
        obj=referral,
        client_id=referral.client_id,
        centre=referral.centre,
        changes=changes,
    )
    return referral
