"""GPMI integration contracts: life domains, contracts, goals, steps, evaluations, sanctions.

A contract moves draft -> proposed -> signed -> active -> ended. An exemption is a contract
record with status `exempted` and a reason instead of content. Changes after signature are
amendments: the content before the change is kept as a `GpmiVersion` snapshot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opstap.clients.models import Client
from opstap.core.labels import labelled
from opstap.core.models import Centre

# Days the client may take to reflect on a proposed contract before signing (law of 2016).
REFLECTION_DAYS = 5
# A GPMI must be concluded within this many months of the leefloon decision.
CONCLUDE_WITHIN_MONTHS = 3


def new_ref() -> str:
    return uuid.uuid4().hex[:12]


class GpmiKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    STUDENT = "student", _("Student")
    SOCIAL_ACTIVATION = "social_activation", _("Social activation")


class GpmiStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the client")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    EXEMPTED = "exempted", _("Exempted")


class ExemptionGround(models.TextChoices):
    HEALTH = "health", _("Health reasons")
    EQUITY = "equity", _("Equity reasons")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class StepOwner(models.TextChoices):
    CLIENT = "client", pgettext_lazy("step owner", "Client")
    CENTRE = "centre", pgettext_lazy("step owner", "Centre")
    PARTNER = "partner", pgettext_lazy("step owner", "Partner")


class LifeDomain(labelled(max_length=120)):
    """A life domain (levensdomein) of the centre's catalogue: the first level of the tree."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="life_domains")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="gpmi_domain_unique_code")
        ]


class Priority(labelled(max_length=160)):
    """A priority under a life domain: the second level of the tree."""

    domain = models.ForeignKey(LifeDomain, on_delete=models.CASCADE, related_name="priorities")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="gpmi_priority_unique_code")
        ]


class Gpmi(models.Model):
    """One integration contract (or exemption) of a client. `version` guards against lost saves."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="gpmis")
    ref = models.CharField(_("reference"), max_length=64, default=new_ref)
    kind = models.CharField(
        _("kind"), max_length=20, choices=GpmiKind.choices, default=GpmiKind.STANDARD
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GpmiStatus.choices, default=GpmiStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    revision = models.PositiveSmallIntegerField(_("amendment number"), default=0)
    # True between "Amend" and "Finish amendment": the signed content may change meanwhile.
    amending = models.BooleanField(_("being amended"), default=False)
    balance = models.ForeignKey(
        "balance.Balance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on the balance"),
    )
    drafted_on = models.DateField(_("drafted on"), null=True, blank=True)
    proposed_on = models.DateField(_("proposed to the client on"), null=True, blank=True)
    early_signature_reason = models.TextField(
        _("reason to sign before the end of the reflection period"), blank=True
    )
    signed_on = models.DateField(_("signed by the client on"), null=True, blank=True)
    centre_signed_on = models.DateField(_("signed by the centre on"), null=True, blank=True)
    committee_decision_on = models.DateField(
        _("date of the special committee's decision"), null=True, blank=True
    )
    assisted_by = models.CharField(
        _("client assisted by"),
        max_length=200,
        blank=True,
        help_text=_("A person of the client's choice who helped them, if any."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("reason the contract ended"), blank=True)
    needs_analysis = models.TextField(
        _("needs analysis"),
        blank=True,
        help_text=_("The client's situation and needs the contract answers to."),
    )
    client_commitments = models.TextField(_("commitments of the client"), blank=True)
    centre_commitments = models.TextField(_("commitments of the centre"), blank=True)
    evaluation_arrangements = models.TextField(
        _("how the contract is evaluated"),
        blank=True,
        help_text=_("When and how you and the client look at progress together."),
    )
    # Student contracts
    school = models.CharField(_("school"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    study_year = models.CharField(_("year of study"), max_length=40, blank=True)
    exam_results_due = models.DateField(_("exam results to hand in by"), null=True, blank=True)
    # Exemption instead of a contract
    exemption_ground = models.CharField(
        _("ground for exemption"), max_length=8, choices=ExemptionGround.choices, blank=True
    )
    exemption_reason = models.TextField(_("reason for the exemption"), blank=True)
    exempted_on = models.DateField(_("exempted on"), null=True, blank=True)
    supports = models.ManyToManyField(
        "network.SupportOffer", blank=True, related_name="+", verbose_name=_("support")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("GPMI")
        verbose_name_plural = _("GPMIs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="gpmi_unique_ref"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="gpmi_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "signed_on"], name="gpmi_client_signed"),
            models.Index(fields=["centre", "status"], name="gpmi_centre_status"),
        ]

    def __str__(self) -> str:
        return _("GPMI of %(client)s") % {"client": self.client}

    @property
    def is_exemption(self) -> bool:
        return self.status == GpmiStatus.EXEMPTED

    @property
    def is_signed(self) -> bool:
        return self.status in (GpmiStatus.SIGNED, GpmiStatus.ACTIVE, GpmiStatus.ENDED)

    @property
    def editable(self) -> bool:
        """Content can change freely only in draft; after signature through an amendment."""
        return self.status == GpmiStatus.DRAFT or (self.amending and self.amendable)

    @property
    def amendable(self) -> bool:
        return self.status in (GpmiStatus.SIGNED, GpmiStatus.ACTIVE)


class GpmiThirdParty(models.Model):
    """A third party who joins the contract (and signs it)."""

    gpmi = models.ForeignKey(Gpmi, on_delete=models.CASCADE, related_name="third_parties")
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role in the contract"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("third party")
        verbose_name_plural = _("third parties")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class GpmiGoal(models.Model):
    """A goal under a priority (life domain) of the contract."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    gpmi = models.ForeignKey(Gpmi, on_delete=models.CASCADE, related_name="goals")
    ref = models.CharField(_("reference"), max_length=64, default=new_ref)
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("life domain")
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priority"),
    )
    text = models.TextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="gpmi_goal_unique_ref")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class GpmiStep(models.Model):
    """A concrete step towards a goal: who does it and by when."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(GpmiGoal, on_delete=models.CASCADE, related_name="steps")
    ref = models.CharField(_("reference"), max_length=64, default=new_ref)
    text = models.TextField(_("step"))
    owner = models.CharField(
        _("who does it"), max_length=8, choices=StepOwner.choices, default=StepOwner.CLIENT
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="gpmi_step_unique_ref")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class GpmiEvaluation(models.Model):
    """An evaluation of the contract with the client."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    gpmi = models.ForeignKey(Gpmi, on_delete=models.CASCADE, related_name="evaluations")
    ref = models.CharField(_("reference"), max_length=64, default=new_ref)
    date = models.DateField(_("date"))
    in_person = models.BooleanField(_("in a personal conversation"), default=True)
    summary = models.TextField(_("agreed changes and summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("GPMI evaluation")
        verbose_name_plural = _("GPMI evaluations")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="gpmi_evaluation_unique_ref")
        ]
        indexes = [models.Index(fields=["gpmi", "date"], name="gpmi_eval_date")]

    def __str__(self) -> str:
        return f"{self.date}"


class GoalProgress(models.Model):
    """The progress noted on one goal at an evaluation."""

    evaluation = models.ForeignKey(
        GpmiEvaluation, on_delete=models.CASCADE, related_name="progress"
    )
    goal = models.ForeignKey(GpmiGoal, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress on a goal")
        verbose_name_plural = _("progress on goals")
        ordering = ["goal__position", "goal_id"]

    def __str__(self) -> str:
        return self.note[:80]


class GpmiVersion(models.Model):
    """The content of a contract as it was before an amendment (read-only)."""

    gpmi = models.ForeignKey(Gpmi, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("amendment number"))
    content = models.JSONField(default=dict)
    reason = models.TextField(_("reason for the amendment"))
    amended_on = models.DateField(_("amended on"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["gpmi", "number"], name="gpmi_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.gpmi_id} v{self.number}"


class SanctionStage(models.TextChoices):
    WARNING = "warning", _("Formal warning given")
    HEARING = "hearing", _("Hearing")
    DECIDED = "decided", _("Decided")


class SanctionDecision(models.TextChoices):
    NONE = "none", _("No sanction")
    FULL = "full", _("Full suspension of the living wage")
    PARTIAL = "partial", _("Partial suspension of the living wage")


class Sanction(models.Model):
    """A sanction procedure for a GPMI breach (art. 30 §2): warning, hearing, decision."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="gpmi_sanctions")
    gpmi = models.ForeignKey(
        Gpmi, on_delete=models.SET_NULL, null=True, blank=True, related_name="sanctions"
    )
    stage = models.CharField(
        _("stage"), max_length=8, choices=SanctionStage.choices, default=SanctionStage.WARNING
    )
    breach = models.TextField(_("breach of the contract"))
    warning_on = models.DateField(_("formal warning given on"))
    hearing_requested = models.BooleanField(_("the client asked to be heard"), default=False)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    hearing_notes = models.TextField(_("notes of the hearing"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=SanctionDecision.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    suspension_start = models.DateField(_("suspension from"), null=True, blank=True)
    suspension_end = models.DateField(_("suspension until"), null=True, blank=True)
    partial_percent = models.PositiveSmallIntegerField(
        _("part suspended (%)"), null=True, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-warning_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suspension_end__isnull=True)
                | Q(suspension_start__isnull=True)
                | Q(suspension_end__gte=models.F("suspension_start")),
                name="sanction_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return _("Sanction procedure of %(client)s") % {"client": self.client}

    @property
    def is_suspension(self) -> bool:
        return self.decision in (SanctionDecision.FULL, SanctionDecision.PARTIAL)
