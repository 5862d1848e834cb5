"""Support catalogue, partner organisations, their places, partner accounts and referrals."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opstap.clients.models import Client
from opstap.core.labels import NamedModel
from opstap.core.models import Centre

# An insurance that ends within this many days is flagged as "expiring".
INSURANCE_WARNING_DAYS = 30
# A referral without an answer after this many days is flagged to the worker.
REFERRAL_ANSWER_DAYS = 14


class OfferKind(models.TextChoices):
    WELFARE = "welfare", _("Welfare")
    WORK = "work", _("Work")
    LANGUAGE = "language", _("Language")
    SOCIAL = "social", _("Social activation")


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social (care homes, children)")
    TECHNICAL = "technical", _("Technical (odd jobs, repairs)")
    HOSPITALITY = "hospitality", _("Hospitality")
    ANIMALS = "animals", _("Animals")
    ADMINISTRATION = "administration", _("Administration and reception")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", pgettext_lazy("sector", "Other")


class InsuranceStatus(models.TextChoices):
    VALID = "valid", _("Insured")
    EXPIRING = "expiring", _("Insurance expires soon")
    EXPIRED = "expired", _("Insurance expired")
    MISSING = "missing", _("No insurance date")


class Organisation(models.Model):
    """A partner organisation that hosts clients (volunteering, arbeidszorg, internships …)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="organisations")
    ref = models.CharField(
        _("reference"), max_length=64, help_text=_("Your own stable reference for this partner.")
    )
    name = models.CharField(_("name"), max_length=200)
    kbo = models.CharField(
        _("KBO enterprise number"),
        max_length=10,
        blank=True,
        help_text=_("10 digits, e.g. 0403.170.701. Leave empty if the organisation has none."),
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    agreement_signed_on = models.DateField(
        _("agreement signed on"),
        null=True,
        blank=True,
        help_text=_(
            "Date the uniform agreement between social activation and the organisation was signed."
        ),
    )
    insurance_until = models.DateField(_("liability insurance valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="organisation_unique_ref"),
        ]
        indexes = [
            models.Index(fields=["centre", "name"], name="org_centre_name"),
            models.Index(fields=["centre", "sector"], name="org_centre_sector"),
            models.Index(fields=["centre", "insurance_until"], name="org_centre_insurance"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kbo_display(self) -> str:
        k = self.kbo
        return f"{k[:4]}.{k[4:7]}.{k[7:]}" if len(k) == 10 else k

    def insurance_status(self, today: datetime.date | None = None) -> str:
        today = today or datetime.date.today()
        if self.insurance_until is None:
            return InsuranceStatus.MISSING
        if self.insurance_until < today:
            return InsuranceStatus.EXPIRED
        if self.insurance_until <= today + datetime.timedelta(days=INSURANCE_WARNING_DAYS):
            return InsuranceStatus.EXPIRING
        return InsuranceStatus.VALID

    @property
    def insurance(self) -> str:
        return self.insurance_status()

    @property
    def insurance_label(self) -> str:
        return InsuranceStatus(self.insurance).label

    @property
    def insurance_warning(self) -> bool:
        return self.insurance != InsuranceStatus.VALID


class SupportOffer(NamedModel):
    """One kind of support in the centre's catalogue, given by the centre or by a partner."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="support_offers")
    # Set for the offers of the default catalogue so adding it again changes nothing.
    code = models.SlugField(_("code"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("provider"),
        help_text=_("Leave empty when the centre's own service provides it."),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("support offer")
        verbose_name_plural = _("support offers")
        ordering = ["kind", "name_nl", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], condition=~Q(code=""), name="offer_unique_code"
            ),
        ]
        indexes = [models.Index(fields=["centre", "kind", "active"], name="offer_centre_kind")]


class PlaceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")


class Place(models.Model):
    """A vacancy at a partner organisation: a task a client can take up."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    requirements = models.TextField(_("requirements"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PlaceStatus.choices, default=PlaceStatus.OPEN
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gte=0, hours_per_week__lte=168),
                name="place_hours_in_week",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="place_org_status")]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class PartnerContact(models.Model):
    """Links a partner user account to the one organisation whose data it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_contact",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    STARTED = "started", _("Started")
    ENDED = "ended", _("Ended")


# The allowed status changes; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.REQUESTED: {ReferralStatus.ACCEPTED, ReferralStatus.REFUSED},
    ReferralStatus.ACCEPTED: {ReferralStatus.STARTED},
    ReferralStatus.REFUSED: set(),
    ReferralStatus.STARTED: {ReferralStatus.ENDED},
    ReferralStatus.ENDED: set(),
}
OPEN_STATUSES = [ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.STARTED]


class SharedInfo(models.TextChoices):
    """What a partner may see of the client, only with the client's consent."""

    NAME = "name", _("Name")
    BIRTH_DATE = "birth_date", _("Birth date and age")
    CONTACT = "contact", _("Phone and e-mail")
    ADDRESS = "address", _("Address")
    LANGUAGE = "language", _("Language and Dutch level")


class Referral(models.Model):
    """A worker refers a client to a support offer, an organisation or one of its places."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="referrals")
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("client")
    )
    offer = models.ForeignKey(
        SupportOffer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("support offer"),
    )
    # The organisation that must answer: the offer's provider or the place's organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("organisation"),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("place"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    reason = models.TextField(_("reason"))
    referred_on = models.DateField(_("referral date"), default=datetime.date.today)
    shared_info = models.JSONField(_("information shared with consent"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REQUESTED,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer__isnull=False) | Q(organisation__isnull=False),
                name="referral_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-referred_on"], name="referral_client_date"),
            models.Index(fields=["organisation", "status"], name="referral_org_status"),
            models.Index(fields=["referred_by", "status", "referred_on"], name="referral_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.target_label} ({self.referred_on:%d/%m/%Y})"

    @property
    def target_label(self) -> str:
        if self.place_id:
            return str(self.place)
        if self.offer_id:
            return self.offer.name
        return str(self.organisation)

    def waiting_since(self, today: datetime.date | None = None) -> int | None:
        """Days without an answer, or None when the referral was answered."""
        if self.status != ReferralStatus.REQUESTED:
            return None
        return ((today or datetime.date.today()) - self.referred_on).days

    @property
    def overdue(self) -> bool:
        days = self.waiting_since()
        return days is not None and days >= REFERRAL_ANSWER_DAYS

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        """The statuses this referral may move to, as (value, label)."""
        return [(s.value, s.label) for s in ReferralStatus if s in TRANSITIONS[self.status]]

    def shares(self, item: str) -> bool:
        return item in (self.shared_info or [])
