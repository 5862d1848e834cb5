import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opstap.clients.models import Client
from opstap.core.labels import labelled
from opstap.core.models import Centre


class Rung(models.TextChoices):
    """The five rungs of the activation ladder, lowest first."""

    ZORG = "zorg", _("Help and care")
    TAAL = "taal", _("Language activation")
    SOCIAAL = "sociaal", _("Social activation")
    ARBEID = "arbeid", _("Work activation")
    WERK = "werk", _("Work and aftercare")

    @classmethod
    def level(cls, value: str) -> int:
        """1 for the lowest rung up to 5 for the highest."""
        return cls.values.index(value) + 1


class LabelledCatalogueItem(labelled(max_length=120)):
    """A catalogue entry with a code and a label in each of the three UI languages."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def label_in(self, language: str | None) -> str:
        # Without a language: Dutch. Without any label: the code.
        return super().label_in(language or "nl") or self.code


class TrajectoryType(LabelledCatalogueItem):
    """A kind of trajectory a centre offers (taaltraject, activeringstraject, ...)."""

    rung = models.CharField(
        _("ladder rung"), max_length=10, choices=Rung.choices, null=True, blank=True
    )
    counts_as_activation = models.BooleanField(_("counts as activation"), default=True)

    class Meta(LabelledCatalogueItem.Meta):
        verbose_name = _("trajectory type")
        verbose_name_plural = _("trajectory types")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="trajectory_type_unique_code")
        ]


class TrajectoryOutcome(LabelledCatalogueItem):
    """How a trajectory ended (work, training, dropout, ...)."""

    class Meta(LabelledCatalogueItem.Meta):
        verbose_name = _("trajectory outcome")
        verbose_name_plural = _("trajectory outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], name="trajectory_outcome_unique_code"
            )
        ]


class Trajectory(models.Model):
    """A goal-directed path a client walks with a worker; several may run at once."""

    # The centre repeats the client's so the reference can be unique per centre in the database.
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("reference"), max_length=64)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="trajectories")
    type = models.ForeignKey(
        TrajectoryType,
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("type"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.ForeignKey(
        TrajectoryOutcome,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outcome"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible worker"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="trajectory_unique_ref"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trajectory_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(end_date__isnull=False),
                name="trajectory_outcome_needs_end",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "start_date"], name="trajectory_client_start"),
            models.Index(fields=["type", "start_date"], name="trajectory_type_start"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.type}"

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class LadderPosition(models.Model):
    """The client's rung on the activation ladder from a date; it holds until the next one."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ladder_positions")
    rung = models.CharField(_("rung"), max_length=10, choices=Rung.choices)
    since = models.DateField(_("since"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ladder position")
        verbose_name_plural = _("ladder positions")
        ordering = ["-since"]
        constraints = [
            models.UniqueConstraint(fields=["client", "since"], name="ladder_one_position_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_rung_display()} {self.since}"

    @property
    def level(self) -> int:
        return Rung.level(self.rung)
