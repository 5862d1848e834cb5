"""Reads of the catalogue, partners and referrals, always for a given user."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opstap.accounts.roles import Role
from opstap.clients.models import Appointment, CareRole, Client
from opstap.clients.selectors import CaredForRead, client_queryset_for, is_current_member
from opstap.core.dossier import client_rows
from opstap.core.prepared import PreparedRead

from .access import is_staff
from .models import (
    INSURANCE_WARNING_DAYS,
    OPEN_STATUSES,
    REFERRAL_ANSWER_DAYS,
    InsuranceStatus,
    Organisation,
    PartnerContact,
    Place,
    PlaceStatus,
    Referral,
    ReferralStatus,
    SharedInfo,
    SupportOffer,
)

# --- partner organisations -------------------------------------------------------------------


_CONTACT = PreparedRead(
    lambda user_id, centre_id: (
        PartnerContact.objects.select_related("organisation")
        .filter(user_id=user_id, organisation__centre_id=centre_id)
        .order_by("pk")[:1]
    ),
    kinds=(int, int),
)
PARTNER_ORGANISATION_CACHE = "_opstap_partner_organisation"


def partner_organisation_for(user) -> Organisation | None:
    """The one organisation a partner account belongs to, or None.

    Read once per user object (one request): the portal's view and its lists all ask.
    """
    if not user.is_authenticated or not user.has_role(Role.PARTNER) or user.centre_id is None:
        return None
    if PARTNER_ORGANISATION_CACHE not in user.__dict__:
        contact = _CONTACT.first(user.pk, user.centre_id)
        user.__dict__[PARTNER_ORGANISATION_CACHE] = contact.organisation if contact else None
    return user.__dict__[PARTNER_ORGANISATION_CACHE]


def contact_accounts_of(organisation: Organisation) -> QuerySet:
    """The partner accounts linked to an organisation (of a page the caller already opened)."""
    return (
        get_user_model()
        .objects.filter(partner_contact__organisation=organisation)
        .order_by("last_name", "first_name", "id")
    )


def _insurance_q(status: str, today: datetime.date) -> Q:
    soon = today + datetime.timedelta(days=INSURANCE_WARNING_DAYS)
    return {
        InsuranceStatus.VALID: Q(insurance_until__gt=soon),
        InsuranceStatus.EXPIRING: Q(insurance_until__gte=today, insurance_until__lte=soon),
        InsuranceStatus.EXPIRED: Q(insurance_until__lt=today),
        InsuranceStatus.MISSING: Q(insurance_until__isnull=True),
    }.get(status, Q())


def organisation_list_for(
    user,
    *,
    search: str = "",
    sector: str = "",
    insurance: str = "",
    active: bool | None = True,
) -> QuerySet[Organisation]:
    """Partner organisations of the user's centre, with their count of open places."""
    if not is_staff(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(centre_id=user.centre_id)
    for word in search.split():
        digits = "".join(ch for ch in word if ch.isdigit())
        term = (
            Q(name__icontains=word)
            | Q(ref__iexact=word)
            | Q(contact_name__icontains=word)
            | Q(address__icontains=word)
        )
        if len(digits) >= 4:
            term |= Q(kbo__contains=digits)
        qs = qs.filter(term)
    if sector:
        qs = qs.filter(sector=sector)
    if insurance:
        qs = qs.filter(_insurance_q(insurance, datetime.date.today()))
    if active is not None:
        qs = qs.filter(active=active)
    return qs.annotate(
        open_places=Count("places", filter=Q(places__status=PlaceStatus.OPEN), distinct=True)
    )


def organisation_get_for(*, user, pk: int) -> Organisation:
    """One organisation: staff of its centre, or a partner contact of that very organisation."""
    if is_staff(user):
        org = Organisation.objects.filter(pk=pk, centre_id=user.centre_id).first()
    else:
        own = partner_organisation_for(user)
        org = own if own is not None and own.pk == pk else None
    if org is None:
        raise Http404
    return org


def place_list_for(
    user,
    *,
    organisation: Organisation | None = None,
    search: str = "",
    sector: str = "",
    open_only: bool = False,
) -> QuerySet[Place]:
    """Places the user may see: all of the centre for staff, their own for a partner."""
    if is_staff(user):
        qs = Place.objects.filter(organisation__centre_id=user.centre_id)
    else:
        own = partner_organisation_for(user)
        if own is None:
            return Place.objects.none()
        qs = Place.objects.filter(organisation=own)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if open_only:
        qs = qs.filter(status=PlaceStatus.OPEN, organisation__active=True)
    if sector:
        qs = qs.filter(organisation__sector=sector)
    for word in search.split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(tasks__icontains=word)
            | Q(location__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return qs.select_related("organisation").order_by("organisation__name", "title", "id")


def place_get_for(*, user, pk: int) -> Place:
    place = place_list_for(user).filter(pk=pk).first()
    if place is None:
        raise Http404
    return place


# --- support catalogue -----------------------------------------------------------------------


def offer_list_for(
    user, *, search: str = "", kind: str = "", active: bool | None = True
) -> QuerySet[SupportOffer]:
    if not is_staff(user):
        return SupportOffer.objects.none()
    qs = SupportOffer.objects.filter(centre_id=user.centre_id).select_related("provider")
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(active=active)
    for word in search.split():
        qs = qs.filter(
            Q(name_nl__icontains=word)
            | Q(name_fr__icontains=word)
            | Q(name_en__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__name__icontains=word)
        )
    return qs


def offer_get_for(*, user, pk: int) -> SupportOffer:
    offer = offer_list_for(user, active=None).filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


# --- referrals -------------------------------------------------------------------------------


def _referral_related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related(
        "client", "offer", "organisation", "place", "place__organisation", "referred_by"
    )


def referrals_for_client(client: Client) -> QuerySet[Referral]:
    """The referrals of a dossier the caller already opened with client_get_for."""
    return _referral_related(client.referrals.all())


_REFERRALS = PreparedRead(
    lambda client_id: _referral_related(Referral.objects.filter(client_id=client_id))
)


def referral_rows_of(client: Client) -> list[Referral]:
    """referrals_for_client as a list, its statement built once (the timeline and the tab)."""
    return client_rows(_REFERRALS, client)


def partner_referrals_for(user) -> QuerySet[Referral]:
    """The referrals addressed to the partner's own organisation, and nothing else."""
    own = partner_organisation_for(user)
    if own is None:
        return Referral.objects.none()
    return _referral_related(Referral.objects.filter(organisation=own, centre_id=user.centre_id))


def referral_get_for(*, user, pk: int) -> Referral:
    """A referral of a dossier the user may open, or addressed to the partner's organisation."""
    if is_staff(user):
        qs = Referral.objects.filter(client__in=client_queryset_for(user))
    else:
        qs = partner_referrals_for(user)
    referral = _referral_related(qs).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def _waiting(user_id: int, clients: QuerySet[Client], referred_by: datetime.date):
    # Only the client is joined. With the offer, the organisation, the place and its
    # organisation in the same statement PostgreSQL spent 3 ms planning it on every start
    # page, most often to find no row at all; they are read after, by key, for the rows found.
    return (
        Referral.objects.filter(
            referred_by_id=user_id,
            status=ReferralStatus.REQUESTED,
            referred_on__lte=referred_by,
            client__in=clients,
        )
        .select_related("client")
        .prefetch_related("offer", "organisation", "place__organisation")
        .order_by("referred_on", "id")
    )


def referrals_waiting_for(user, *, today: datetime.date | None = None) -> QuerySet[Referral]:
    """Referrals this worker made that still have no answer after 14 days (oldest first)."""
    if not is_staff(user):
        return Referral.objects.none()
    today = today or datetime.date.today()
    limit = today - datetime.timedelta(days=REFERRAL_ANSWER_DAYS)
    return _waiting(user.pk, client_queryset_for(user), limit)


FIRST_WAITING = 10
_FIRST_WAITING = CaredForRead(
    lambda clients, user_id, _centre_id, referred_by: _waiting(user_id, clients, referred_by)[
        :FIRST_WAITING
    ],
    kinds=(datetime.date,),
)


def first_referrals_waiting(user, *, today: datetime.date | None = None) -> list[Referral]:
    """The first ten of `referrals_waiting_for` (the start page's card)."""
    if not is_staff(user):
        return []
    today = today or datetime.date.today()
    return _FIRST_WAITING.list(user, today - datetime.timedelta(days=REFERRAL_ANSWER_DAYS))


def overdue_count_for_client(client: Client, *, today: datetime.date | None = None) -> int:
    today = today or datetime.date.today()
    limit = today - datetime.timedelta(days=REFERRAL_ANSWER_DAYS)
    return client.referrals.filter(status=ReferralStatus.REQUESTED, referred_on__lte=limit).count()


# --- consent ---------------------------------------------------------------------------------

# How the balance's consent categories map to what a partner may see of the client record.
CONSENT_MAP: dict[str, list[str]] = {
    "identity": [SharedInfo.NAME, SharedInfo.BIRTH_DATE, SharedInfo.CONTACT, SharedInfo.ADDRESS],
    "language": [SharedInfo.LANGUAGE],
}


def _consented_keys(categories) -> set[str]:
    """Our shared-info keys from consent categories (a dict of category -> truthy, or a list)."""
    if isinstance(categories, dict):
        codes = {str(k) for k, v in categories.items() if v}
    else:
        codes = {str(k) for k in categories or ()}
    keys = {key for code in codes for key in CONSENT_MAP.get(code, [])}
    return keys | (codes & set(SharedInfo.values))


def consent_for_client(client: Client) -> dict:
    """What the client agreed to share, from the balance app when it records consent.

    {"keys": [shared-info keys], "given_on": date | None, "categories": [(label, recipients)]}
    """
    empty = {"keys": [], "given_on": None, "categories": []}
    try:
        from opstap.balance.selectors import consent_for
    except ImportError:
        return empty
    consent = consent_for(client) or {}
    categories = consent.get("categories") or {} if isinstance(consent, dict) else {}
    keys = _consented_keys(categories)
    return {
        "keys": [key for key in SharedInfo.values if key in keys],
        "given_on": consent.get("given_on") if isinstance(consent, dict) else None,
        "categories": [(_category_label(code), who) for code, who in categories.items()],
    }


def _category_label(code: str) -> str:
    try:
        from opstap.balance.models import ConsentCategory

        return str(ConsentCategory(code).label)
    except (ImportError, ValueError):
        return code


# --- case management -------------------------------------------------------------------------


def is_case_manager(client: Client, user) -> bool:
    return is_current_member(client, user, CareRole.CASE_MANAGER)


def case_overview_for(client: Client) -> dict:
    """Open referrals and upcoming appointments of every carer of the client."""
    appointments = (
        Appointment.objects.filter(client=client, cancelled=False, starts_at__gte=timezone.now())
        .select_related("worker")
        .order_by("starts_at")[:50]
    )
    return {
        "open_referrals": referrals_for_client(client).filter(status__in=OPEN_STATUSES),
        "appointments": appointments,
    }
