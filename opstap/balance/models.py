"""The socio-professional balance (SPB): three phases, instruments, barriers and strengths.

Instruments are data (InstrumentTemplate → sections → questions → choices). A template that has
been answered is never changed again: editing it makes a new version, so every response keeps
pointing at the exact questions it answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opstap.clients.models import Client
from opstap.core.labels import TitledModel, labelled
from opstap.core.models import Centre
from opstap.trajectories.models import Rung as LadderRung  # one ladder for all of Opstap


class Phase(models.IntegerChoices):
    INTAKE = 1, _("Intake and acquaintance")
    EXPLORATION = 2, _("Exploration")
    SYNTHESIS = 3, _("Synthesis and trajectory plan")


class Barrier(models.TextChoices):
    """The barriers every centre knows (seed 002); centres add their own in CentreBarrier."""

    LANGUAGE = "language", _("Other mother tongue (anderstaligheid)")
    POVERTY = "poverty", _("Poverty")
    DEBTS = "debts", _("Debts")
    PSYCHOLOGICAL = "psychological", _("Psychological problems")
    ADDICTION = "addiction", _("Addiction")
    HOUSING = "housing", _("Unstable housing")
    SINGLE_PARENT = "single_parent", _("Single parent")
    HEALTH = "health", _("Health problems")
    BUDGETING = "budgeting", _("Budgeting problems")
    NETWORK = "network", _("No network")
    LITERACY = "literacy", _("Low literacy / low skills")
    NO_DIPLOMA = "no_diploma", _("No diploma")
    NO_EXPERIENCE = "no_experience", _("No work experience")
    SELF_IMAGE = "self_image", _("Negative self-image")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record")


class ResourceKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    COMPETENCE = "competence", _("Competence")
    RESOURCE = "resource", _("Resource")


class ConsentCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity and contact details")
    CONCLUSIONS = "conclusions", _("Balance conclusions")
    BARRIERS = "barriers", _("Barriers")
    LANGUAGE = "language", _("Language level")
    WORK_HISTORY = "work_history", _("Work history")
    EDUCATION = "education", _("Education and diplomas")
    COMPETENCES = "competences", _("Competences and strengths")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Self-assessment 1–5 (the client rates themselves)")


class InstrumentTemplate(TitledModel):
    """One version of an instrument of a centre. Answered versions are frozen."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="instruments")
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # False once a newer version exists: only the latest version is offered and edited.
    latest = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["position", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code", "version"], name="instrument_unique_version"
            ),
            models.UniqueConstraint(
                fields=["centre", "code"], condition=Q(latest=True), name="instrument_one_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class InstrumentSection(TitledModel):
    template = models.ForeignKey(
        InstrumentTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("instrument section")
        verbose_name_plural = _("instrument sections")
        ordering = ["position", "id"]


QUESTION_NAMES = (_("question (Dutch)"), _("question (French)"), _("question (English)"))


class Question(labelled(max_length=300, verbose_names=QUESTION_NAMES)):
    section = models.ForeignKey(
        InstrumentSection, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]


class Choice(labelled(max_length=200)):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "id"]


class CentreBarrier(labelled(max_length=200)):
    """A barrier a centre adds to the common list."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="balance_barriers")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("centre barrier")
        verbose_name_plural = _("centre barriers")
        ordering = ["label_nl"]


class Balance(models.Model):
    """A socio-professional balance of one client. `version` guards against lost updates."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="balances")
    version = models.PositiveIntegerField(default=1)
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Phase 1: intake and acquaintance
    intake_date = models.DateField(_("date of the intake talk"), null=True, blank=True)
    reason = models.TextField(_("reason for the balance"), blank=True)
    expectations = models.TextField(_("the client's expectations"), blank=True)
    balance_consent = models.BooleanField(
        _("the client agrees to take part in the balance"), default=False
    )
    balance_consent_date = models.DateField(_("date of agreement"), null=True, blank=True)
    intake_notes = models.TextField(_("notes on the intake"), blank=True)
    # Phase 2: exploration
    exploration_notes = models.TextField(_("notes on the exploration"), blank=True)
    # Phase 3: synthesis and trajectory plan
    conclusions = models.TextField(_("conclusions agreed with the client"), blank=True)
    conclusions_agreed_on = models.DateField(
        _("date the conclusions were agreed"), null=True, blank=True
    )
    proposed_rung = models.CharField(
        _("proposed rung on the activation ladder"),
        max_length=10,
        choices=LadderRung.choices,
        blank=True,
    )
    proposed_trajectory = models.CharField(_("proposed trajectory"), max_length=60, blank=True)
    plan_notes = models.TextField(_("trajectory plan: first steps"), blank=True)
    sharing_consent_date = models.DateField(
        _("date of consent to share information"), null=True, blank=True
    )
    phase1_completed_at = models.DateTimeField(null=True, blank=True)
    phase2_completed_at = models.DateTimeField(null=True, blank=True)
    phase3_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("socio-professional balance")
        verbose_name_plural = _("socio-professional balances")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(phase3_completed_at__isnull=True),
                name="balance_one_open_per_client",
            )
        ]
        indexes = [models.Index(fields=["client", "-started_on"], name="balance_client_start")]

    def __str__(self) -> str:
        return _("Balance of %(client)s") % {"client": self.client}

    def completed_at(self, phase: int):
        return getattr(self, f"phase{phase}_completed_at")

    def is_done(self, phase: int) -> bool:
        return self.completed_at(phase) is not None

    @property
    def current_phase(self) -> int | None:
        """The first phase not completed yet; None when the balance is finished."""
        for phase in Phase.values:
            if not self.is_done(phase):
                return phase
        return None

    @property
    def finished(self) -> bool:
        return self.current_phase is None

    def is_open(self, phase: int) -> bool:
        """A phase can be filled in when it is the current one."""
        return self.current_phase == phase


class InstrumentResponse(models.Model):
    """The answers to one instrument, tied to the exact template version that was shown."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="responses")
    template = models.ForeignKey(
        InstrumentTemplate, on_delete=models.PROTECT, related_name="responses"
    )
    # {"<question id>": value}; value is a string, a list of choice ids, or an ISO date.
    answers = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instrument answers")
        verbose_name_plural = _("instrument answers")
        constraints = [
            models.UniqueConstraint(fields=["balance", "template"], name="response_unique")
        ]

    def __str__(self) -> str:
        return str(self.template)


class BalanceBarrier(models.Model):
    """A barrier ticked in a balance: a common one (code) or one of the centre's own."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="barriers")
    code = models.CharField(max_length=20, choices=Barrier.choices, blank=True)
    centre_barrier = models.ForeignKey(
        CentreBarrier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(code="") & Q(centre_barrier__isnull=False))
                | (~Q(code="") & Q(centre_barrier__isnull=True)),
                name="balance_barrier_one_kind",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.centre_barrier_id:
            return self.centre_barrier.label
        return str(Barrier(self.code).label)


class BalanceResource(models.Model):
    """A strength, competence or resource of the client, in free words."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    text = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("strength or resource")
        verbose_name_plural = _("strengths and resources")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text


class SharingConsent(models.Model):
    """What the client agrees may be shared, and with whom."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="consents")
    category = models.CharField(_("information"), max_length=20, choices=ConsentCategory.choices)
    recipients = models.CharField(
        pgettext_lazy("consent", "may be shared with"),
        max_length=300,
        help_text=_("Partner organisations, separated by commas."),
    )

    class Meta:
        verbose_name = _("consent to share")
        verbose_name_plural = _("consents to share")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["balance", "category"], name="consent_unique_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.recipients}"
