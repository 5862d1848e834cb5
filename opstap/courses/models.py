"""Collective modules (group courses run with partners), their editions, week schedules,
sessions, enrolments with a waiting list, attendance and the individual step plans."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opstap.clients.models import Client, DutchLevel
from opstap.core.labels import NamedModel, in_language
from opstap.core.models import Centre

# The reference worker is notified when a participant is absent without a reason this many
# sessions in a row, or this many sessions in total in one edition.
ABSENCES_IN_A_ROW_ALERT = 2
ABSENCES_TOTAL_ALERT = 3
# Working days a session week can hold (Monday to Friday).
MAX_DAYS_PER_WEEK = 5
DUTCH_LEVEL_ORDER = [level.value for level in DutchLevel]


class TargetGender(models.TextChoices):
    ANY = "", _("Anyone")
    F = "F", _("Women")
    M = "M", _("Men")


class Module(NamedModel):
    """A collective module (e.g. Ta(a)lent): goal, target group, method, partners."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="modules")
    ref = models.CharField(
        _("reference"), max_length=64, help_text=_("Your own stable reference for this module.")
    )
    goal_nl = models.TextField(_("goal (Dutch)"), blank=True)
    goal_fr = models.TextField(_("goal (French)"), blank=True)
    goal_en = models.TextField(_("goal (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # The target group: checkable criteria, and the rest in words (checked by hand).
    target_gender = models.CharField(
        _("gender"), max_length=1, choices=TargetGender.choices, blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    non_native_only = models.BooleanField(
        _("only for non-native speakers"),
        default=False,
        help_text=_("The client's home language is not Dutch."),
    )
    dutch_level_min = models.CharField(
        _("Dutch level at least"), max_length=2, choices=DutchLevel.choices, blank=True
    )
    dutch_level_max = models.CharField(
        _("Dutch level at most"), max_length=2, choices=DutchLevel.choices, blank=True
    )
    target_group = models.TextField(
        _("target group and other conditions"),
        blank=True,
        help_text=_("In words; the worker checks these conditions by hand."),
    )
    method = models.TextField(_("method"), blank=True)
    partners = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="modules",
        verbose_name=_("delivering partners"),
    )
    steering_group = models.TextField(
        _("steering group"), blank=True, help_text=_("Members from outside the centre, in words.")
    )
    steering_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="steered_modules",
        verbose_name=_("steering group members (workers)"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["name_nl", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="module_unique_ref"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=models.F("age_min")),
                name="module_age_range",
            ),
        ]

    @property
    def goal(self) -> str:
        return in_language(self, "goal")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class Edition(models.Model):
    """One run of a module: dates, capacity, cost, week schedule and the group evaluation."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="editions")
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="editions", verbose_name=_("module")
    )
    ref = models.CharField(_("reference"), max_length=64)
    start_date = models.DateField(_("start date"), help_text=_("The first day of week 1."))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    cost_eur = models.DecimalField(
        _("cost (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_time = models.TimeField(
        _("usual start time"),
        default=datetime.time(9, 0),
        help_text=_("Generated sessions start at this time."),
    )
    evaluation = models.TextField(_("group evaluation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="edition_unique_ref"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="edition_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["centre", "start_date"], name="edition_centre_start")]

    def __str__(self) -> str:
        return f"{self.module.name} {self.start_date:%d/%m/%Y}"

    def state_on(self, day: datetime.date) -> str:
        if day < self.start_date:
            return "planned"
        return "running" if day <= self.end_date else "ended"


class PhaseKind(models.TextChoices):
    INFO = "info", _("Info session")
    GROUP = "group", _("Group workshops")
    INDIVIDUAL = "individual", _("Individual guidance")
    INTERNSHIP = "internship", _("Internship")
    CLOSING = "closing", _("Evaluation and closing")


class SchedulePhase(models.Model):
    """A block of weeks in an edition's schedule: what happens, how many hours, days a week."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices)
    weeks = models.PositiveSmallIntegerField(
        _("number of weeks"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    hours = models.DecimalField(
        _("hours in this phase"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Total hours over all its weeks, e.g. 60 or 7.5."),
    )
    days_per_week = models.DecimalField(
        _("days per week"),
        max_digits=3,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(MAX_DAYS_PER_WEEK)],
        help_text=_("1.5 means a day and a half: two sessions a week."),
    )
    label = models.CharField(_("title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("schedule phase")
        verbose_name_plural = _("schedule phases")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    """One meeting of an edition (a day or half day), generated from the week schedule."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sessions")
    phase = models.ForeignKey(
        SchedulePhase, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices)
    week = models.PositiveSmallIntegerField(_("week"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    moved_from = models.DateField(_("originally planned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["edition", "date"], name="session_edition_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")
    WITHDRAWN = "withdrawn", _("Withdrawn from the waiting list")


# Statuses that hold a place in the group.
PLACE_STATUSES = (EnrolmentStatus.OFFERED, EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
# Statuses of someone who took part (the interchange format's enrolments).
PARTICIPANT_STATUSES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.DROPPED,
)


class Enrolment(models.Model):
    """A client proposed for an edition: on the waiting list, enrolled, completed or dropped."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="enrolments")
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("client")
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_on = models.DateField(_("proposed on"), default=datetime.date.today)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    offered_on = models.DateField(_("place offered on"), null=True, blank=True)
    override_reason = models.TextField(
        _("why the client takes part outside the target group"), blank=True
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    evaluation = models.TextField(_("individual evaluation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["edition", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "client"], name="enrolment_unique_client"),
        ]
        indexes = [models.Index(fields=["client", "status"], name="enrolment_client_status")]

    def __str__(self) -> str:
        return f"{self.client} – {self.edition}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with a valid reason")
    UNEXCUSED = "unexcused", _("Absent without reason")


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    MEDICAL = "medical", _("Medical appointment")
    FAMILY = "family", _("Family or childcare")
    WORK = "work", pgettext_lazy("absence", "Work or job interview")
    APPOINTMENT = "appointment", _("Appointment with a service")
    OTHER = "other", pgettext_lazy("absence", "Other")


class Attendance(models.Model):
    """Whether a participant came to a session, and the reason of an excused absence."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(
        _("reason of absence"), max_length=16, choices=AbsenceReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status="excused") | Q(reason=""), name="attendance_reason_if_excused"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.status}"


class StepOwner(models.TextChoices):
    CLIENT = "client", _("Client")
    CENTRE = "centre", _("Centre")
    PARTNER = "partner", _("Partner")


class PlanStep(models.Model):
    """A step of a participant's individual step plan at the end of an edition."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=300)
    owner = models.CharField(
        _("who"), max_length=16, choices=StepOwner.choices, default=StepOwner.CLIENT
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    carried_on = models.DateField(_("carried into the GPMI on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text
