"""Placements (volunteering, arbeidszorg, art. 60, internships), agreement notes, monthly hours,
evaluations and art. 60 employment. Organisations and places live in opstap.network."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client
from opstap.core.models import Centre
from opstap.network.models import Organisation, Place, Referral

# A month has at most 31 × 24 hours.
MAX_MONTH_HOURS = Decimal("744")
# Partners who have not submitted last month's hours by this day of the month are reminded
# (a centre can change it in its activation settings).
DEFAULT_HOURS_DUE_DAY = 10


class Kind(models.TextChoices):
    VOLUNTEERING = "volunteering", _("Volunteering")
    ARBEIDSZORG = "arbeidszorg", _("Work-care (arbeidszorg)")
    ART60 = "art60", _("Article 60 employment")
    INTERNSHIP = "internship", _("Internship")


# Kinds that belong to social activation: they need a track and earn the premium.
SOCIAL_KINDS = (Kind.VOLUNTEERING, Kind.ARBEIDSZORG)


class Track(models.TextChoices):
    OPSTAP = "opstap", _("Step up (towards work or training)")
    MOGELIJKE_OPSTAP = "mogelijke_opstap", _("Possible step up (stabilise first)")
    FINALITEIT = "finaliteit", _("Meaningful activity as an end in itself")


class Status(models.TextChoices):
    REFERRAL = "referral", _("Referred")
    INTRODUCTION = "introduction", _("Introduction talk")
    PROPOSAL = "proposal", _("Organisation proposed")
    INTAKE = "intake", _("Intake at the organisation")
    AGREEMENT = "agreement", _("Agreement note")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


# The flow, in order; a placement moves one step forward (or ends).
FLOW = [s.value for s in Status]


class EndReason(models.TextChoices):
    STEP_UP = "step_up", _("Step up (to work or training)")
    COMPLETED = "completed", _("Completed")
    DROPOUT = "dropout", _("Dropped out")
    MUTATION = "mutation", _("Moved to another place (mutation)")
    MOVED = "moved", _("Client moved away")
    OTHER = "other", _("Other reason")


class MutationBy(models.TextChoices):
    CLIENT = "client", _("The client")
    ORGANISATION = "organisation", _("The organisation")
    CENTRE = "centre", _("The centre")


class ActivationSettings(models.Model):
    """Per-centre settings of social activation: reminders, evaluation cadence, payments."""

    centre = models.OneToOneField(
        Centre, on_delete=models.CASCADE, related_name="activation_settings"
    )
    hours_due_day = models.PositiveSmallIntegerField(
        _("hours due by day of the month"),
        default=DEFAULT_HOURS_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Organisations that have not submitted last month's hours by then are reminded."
        ),
    )
    eval_volunteering_opstap = models.PositiveSmallIntegerField(
        _("volunteering, step up: evaluate every (months)"), default=4
    )
    eval_volunteering_mogelijke = models.PositiveSmallIntegerField(
        _("volunteering, possible step up: evaluate every (months)"), default=4
    )
    eval_volunteering_finaliteit = models.PositiveSmallIntegerField(
        _("volunteering, end in itself: evaluate every (months)"), default=12
    )
    eval_arbeidszorg_opstap = models.PositiveSmallIntegerField(
        _("work-care, step up: evaluate every (months)"), default=3
    )
    eval_arbeidszorg_mogelijke = models.PositiveSmallIntegerField(
        _("work-care, possible step up: evaluate every (months)"), default=3
    )
    eval_arbeidszorg_finaliteit = models.PositiveSmallIntegerField(
        _("work-care, end in itself: evaluate every (months)"), default=12
    )
    debtor_name = models.CharField(_("account holder (centre)"), max_length=70, blank=True)
    debtor_iban = models.CharField(_("centre's IBAN"), max_length=34, blank=True)
    debtor_bic = models.CharField(_("centre's BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("social activation settings")
        verbose_name_plural = _("social activation settings")

    def __str__(self) -> str:
        return str(self.centre)

    def evaluation_months(self, kind: str, track: str) -> int | None:
        """Months between evaluations of a placement, or None when it is not evaluated here."""
        short = {"mogelijke_opstap": "mogelijke"}.get(track, track)
        return getattr(self, f"eval_{kind}_{short}", None)


class ClientPayment(models.Model):
    """Where a client's premiums are paid."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="payment")
    iban = models.CharField(_("IBAN"), max_length=34)
    account_holder = models.CharField(
        _("account holder"),
        max_length=70,
        blank=True,
        help_text=_("Leave empty when the account is in the client's name."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment details")
        verbose_name_plural = _("payment details")

    def __str__(self) -> str:
        return self.iban


class Placement(models.Model):
    """A client at a partner organisation: volunteering, arbeidszorg, art. 60 or internship."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="placements")
    ref = models.CharField(_("reference"), max_length=64)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="placements", verbose_name=_("client")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("organisation"),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("place"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REFERRAL
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    weekly_hours = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    # A mutation links the next placement to the one it continues (same spell).
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("continues"),
    )
    mutation_by = models.CharField(
        _("mutation requested by"), max_length=16, choices=MutationBy.choices, blank=True
    )
    handover = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("warm handover"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="placement_unique_ref"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=False, end__gte=F("start")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[k.value for k in SOCIAL_KINDS]) | ~Q(track=""),
                name="placement_social_has_track",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | Q(weekly_hours__gte=0, weekly_hours__lte=168),
                name="placement_weekly_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "kind", "start"], name="placement_centre_kind"),
            models.Index(fields=["client", "kind", "start"], name="placement_client_kind"),
            models.Index(fields=["organisation", "status"], name="placement_org_status"),
            models.Index(fields=["centre", "status"], name="placement_centre_status"),
            models.Index(fields=["centre", "track"], name="placement_centre_track"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} – {self.get_kind_display()} ({self.organisation})"

    @property
    def is_social(self) -> bool:
        return self.kind in SOCIAL_KINDS

    def active_on(self, day: datetime.date) -> bool:
        return (
            self.start is not None and self.start <= day and (self.end is None or day <= self.end)
        )

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        return (
            self.start is not None
            and self.start <= last
            and (self.end is None or self.end >= first)
        )

    @property
    def next_status(self) -> str | None:
        index = FLOW.index(self.status)
        nxt = FLOW[index + 1] if index + 1 < len(FLOW) else None
        return None if nxt == Status.ENDED else nxt


class AgreementNote(models.Model):
    """The afsprakennota between client, centre and organisation. `version` guards lost updates."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="agreement")
    version = models.PositiveIntegerField(default=1)
    tasks = models.TextField(_("tasks"), blank=True)
    schedule = models.TextField(
        _("weekly schedule"), blank=True, help_text=_("Days and hours, e.g. Tuesday 9:00–12:00.")
    )
    hours_buildup = models.TextField(
        _("build-up of hours"),
        blank=True,
        help_text=_("e.g. 4 hours a week the first month, then 8."),
    )
    attention_points = models.TextField(
        _("points of attention"),
        blank=True,
        help_text=_("Allergies, punctuality, work pace, …"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement note")
        verbose_name_plural = _("agreement notes")

    def __str__(self) -> str:
        return str(_("Agreement note %(ref)s") % {"ref": self.placement.ref})


class HoursStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class MonthlyHours(models.Model):
    """The hours a client worked at the organisation in one month, with allowances."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="hours", verbose_name=_("placement")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MONTH_HOURS)],
    )
    transport_eur = models.DecimalField(
        _("public transport (€)"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    clothing_eur = models.DecimalField(
        _("clothing (€)"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HoursStatus.choices, default=HoursStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly hours")
        verbose_name_plural = _("monthly hours")
        ordering = ["-month", "placement_id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="hours_one_per_month"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=MAX_MONTH_HOURS), name="hours_in_month"
            ),
            models.CheckConstraint(
                condition=Q(transport_eur__gte=0, clothing_eur__gte=0),
                name="hours_allowances_positive",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="hours_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "status"], name="hours_month_status")]

    def __str__(self) -> str:
        return f"{self.placement.ref} {self.month:%Y-%m}: {self.hours}"

    @property
    def locked(self) -> bool:
        return self.status == HoursStatus.APPROVED


class HoursCorrection(models.Model):
    """A change to approved hours: the old and new values, who and why. Never edited."""

    record = models.ForeignKey(MonthlyHours, on_delete=models.CASCADE, related_name="corrections")
    old_values = models.JSONField()
    new_values = models.JSONField()
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours correction")
        verbose_name_plural = _("hours corrections")
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record} ({self.corrected_at:%d/%m/%Y})"


class Evaluation(models.Model):
    """One evaluation round: the client's form, the organisation's form, the three-way talk."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    due_on = models.DateField(_("due on"))
    # The client's form, filled in with the help of the activation worker.
    client_going_well = models.TextField(_("what goes well (client)"), blank=True)
    client_difficult = models.TextField(_("what is difficult (client)"), blank=True)
    client_wishes = models.TextField(_("wishes for the future (client)"), blank=True)
    client_form_on = models.DateField(_("client's form filled in on"), null=True, blank=True)
    # The organisation's form, filled in through the partner portal.
    org_attendance = models.TextField(_("attendance and punctuality"), blank=True)
    org_work = models.TextField(_("work pace and quality"), blank=True)
    org_cooperation = models.TextField(_("cooperation and attitude"), blank=True)
    org_remarks = models.TextField(_("other remarks"), blank=True)
    org_form_on = models.DateField(_("organisation's form filled in on"), null=True, blank=True)
    # The conversation between client, organisation and activation worker.
    held_on = models.DateField(_("three-way conversation held on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion and agreements"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "due_on"], name="evaluation_unique_due")
        ]

    def __str__(self) -> str:
        return f"{self.placement.ref} {self.due_on:%d/%m/%Y}"

    @property
    def done(self) -> bool:
        return self.held_on is not None


class Regime(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class Art60Employment(models.Model):
    """Art. 60 §7: the centre employs the client long enough to open unemployment rights."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="art60")
    own_service = models.CharField(
        _("own service"),
        max_length=120,
        blank=True,
        help_text=_("When the client works in one of the centre's own services, which one."),
    )
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    regime = models.CharField(
        _("regime"), max_length=10, choices=Regime.choices, default=Regime.FULL_TIME
    )
    days_required = models.PositiveIntegerField(
        _("days required"),
        help_text=_("As set by the national employment office (RVA) for this client."),
    )
    days_worked = models.PositiveIntegerField(_("days worked so far"), default=0)

    class Meta:
        verbose_name = _("art. 60 employment")
        verbose_name_plural = _("art. 60 employments")

    def __str__(self) -> str:
        return self.placement.ref

    @property
    def progress_percent(self) -> int:
        if not self.days_required:
            return 0
        return min(100, round(100 * self.days_worked / self.days_required))
