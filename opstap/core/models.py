from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Centre(models.Model):
    """One OCMW / CPAS: the tenant every other record belongs to."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Use lower-case letters, digits, - or _."))
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    hourly_premium_eur = models.DecimalField(
        _("encouragement premium per hour (€)"), max_digits=6, decimal_places=2, default=1
    )
    gpmi_evaluation_months = models.PositiveSmallIntegerField(
        _("GPMI evaluation interval (months)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The roles whose holders must use a second factor, stored like User.roles: ",admin,head,".
    require_2fa_roles = models.CharField(
        _("roles that must use a second factor"), max_length=200, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def second_factor_roles(self) -> frozenset[str]:
        """The roles whose holders must use a second factor in this centre."""
        return frozenset(r for r in self.require_2fa_roles.split(",") if r)


class Office(models.Model):
    """A neighbourhood office (wijkcentrum) or service location of a centre."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="office_unique_name_per_centre")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of workers; a head of service sees the dossiers of the teams they belong to."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    office = models.ForeignKey(
        Office, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("office")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="team_unique_name_per_centre")
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """An immutable record of a read or a change. Never updated, never deleted."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # Denormalised so "who opened this dossier" is one indexed query.
    client_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client_id", "-at"], name="audit_client_at"),
            models.Index(fields=["centre", "-at"], name="audit_centre_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class Notification(models.Model):
    """A message for one user in the app (deadlines, reminders, absences)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)
    message = models.CharField(_("message"), max_length=400)
    url = models.CharField(max_length=300, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    # The same reminder is sent once: a task that runs daily reuses the key of yesterday's.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.message


class DataChange(models.Model):
    """A write to one table's rows of one centre, logged by database triggers
    (opstap.core.changes) with a random token: one row per statement that writes them.

    Writers only ever add rows, so they never wait for one another. What a reader compares is
    each table's count, sum of tokens and last id, which any committed write changes; old rows
    are folded into one (`opstap.core.changes.fold`), which changes them too.
    """

    centre_id = models.BigIntegerField()
    table_name = models.CharField(max_length=63)
    token = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["centre_id", "table_name"], name="datachange_centre")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.table_name}"


class KeptFigure(models.Model):
    """A figure over a whole centre as counted by any server process, with the values of the
    tables it read (opstap.core.stored): a process that has not counted it yet takes it from
    here while those values hold, instead of counting it again."""

    centre_id = models.BigIntegerField()
    key = models.CharField(max_length=40)
    made_on = models.DateField()
    entry = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre_id", "key"], name="keptfigure_centre_key")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.key}"
