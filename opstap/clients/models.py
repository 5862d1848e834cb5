import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opstap.core.models import Centre, Office


class Gender(models.TextChoices):
    F = "F", _("Female")
    M = "M", _("Male")
    X = "X", _("Other / not stated")


class DutchLevel(models.TextChoices):
    A0 = "A0", "A0"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class Household(models.TextChoices):
    SINGLE = "single", _("Single")
    SINGLE_WITH_CHILDREN = "single_with_children", _("Single with children")
    COUPLE = "couple", _("Couple")
    COUPLE_WITH_CHILDREN = "couple_with_children", _("Couple with children")
    OTHER = "other", pgettext_lazy("household", "Other")


class Client(models.Model):
    """A person helped by the centre: the dossier."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="clients")
    ref = models.CharField(_("reference"), max_length=64)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    insz = models.CharField(
        _("INSZ (national register number)"),
        max_length=11,
        blank=True,
        help_text=_("11 digits; dots and dashes are allowed."),
    )
    language = models.CharField(
        _("language"), max_length=8, default="nl", help_text=_("ISO code, e.g. nl, fr, ar.")
    )
    dutch_level = models.CharField(
        _("Dutch level"), max_length=2, choices=DutchLevel.choices, blank=True
    )
    household = models.CharField(
        _("household"), max_length=24, choices=Household.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    office = models.ForeignKey(
        Office, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("office")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "ref"], name="client_unique_ref"),
            models.UniqueConstraint(
                fields=["centre", "insz"], condition=~Q(insz=""), name="client_unique_insz"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "last_name", "first_name"], name="client_name"),
            models.Index(fields=["centre", "birth_date"], name="client_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int:
        return self.age_on(datetime.date.today())

    @property
    def insz_display(self) -> str:
        from .validators import format_insz

        return format_insz(self.insz)


class RightKind(models.TextChoices):
    LEEFLOON = "leefloon", _("Living wage (leefloon)")
    EQUIVALENT = "equivalent_leefloon", _("Equivalent living wage")


def fill_centre_from_client(objs) -> None:
    """Set each record's centre to its client's where it is not set (one query at most)."""
    missing = [o for o in objs if o.centre_id is None]
    cached = {id(o) for o in missing if type(o).client.is_cached(o)}
    unknown = {o.client_id for o in missing if id(o) not in cached and o.client_id is not None}
    centres = dict(Client.objects.filter(pk__in=unknown).values_list("pk", "centre_id"))
    for o in missing:
        # A record without a (known) client keeps no centre: the database refuses it as before.
        client = o.client if id(o) in cached else None
        o.centre_id = client.centre_id if client is not None else centres.get(o.client_id)


class IncomeRightQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_centre_from_client(objs)
        return super().bulk_create(objs, *args, **kwargs)


class IncomeRight(models.Model):
    """A period during which the client receives a (equivalent) living wage."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="rights")
    # The client's centre, kept on the right (the tenant column): a centre's figures then read
    # the centre's rights by their own index instead of every right of the country (counting
    # a city's population on a date: 57 -> 8 ms at 250,000 clients). Set from the client on
    # save and on bulk_create; a client never changes centre.
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    kind = models.CharField(_("kind"), max_length=24, choices=RightKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncomeRightQuerySet.as_manager()

    class Meta:
        verbose_name = _("income right")
        verbose_name_plural = _("income rights")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="right_end_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["client", "start_date"], name="right_client_start"),
            models.Index(fields=["centre", "start_date"], name="right_centre_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"

    def save(self, *args, **kwargs):
        if self.centre_id is None:
            fill_centre_from_client([self])
        super().save(*args, **kwargs)

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class CareRole(models.TextChoices):
    REFERENCE = "reference", _("Reference social worker")
    COUNSELLOR = "counsellor", _("Trajectory counsellor")
    LANGUAGE_COACH = "language_coach", _("Language coach")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    INSTRUCTOR = "instructor", _("Instructor")
    JOB_COACH = "job_coach", _("Job coach")
    ACTIVATION = "activation", _("Social activation staff")
    CASE_MANAGER = "case_manager", _("Case manager")


class CareTeamMember(models.Model):
    """A worker helping the client in a role, for a period. Membership opens the dossier."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="care_memberships",
        verbose_name=_("worker"),
    )
    role = models.CharField(_("role"), max_length=20, choices=CareRole.choices)
    start_date = models.DateField(_("start date"), default=datetime.date.today)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("care team member")
        verbose_name_plural = _("care team")
        ordering = ["role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="care_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[value for value, _label in CareRole.choices]),
                name="care_role_known",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "end_date"], name="care_user_end"),
            models.Index(fields=["client", "role"], name="care_client_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def is_active(self) -> bool:
        return self.active_on(datetime.date.today())


class JournalNote(models.Model):
    """A note in the client's journal. Restricted notes: only the author and case manager."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    occurred_on = models.DateField(_("date"), default=datetime.date.today)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("note"))
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only you and the case manager can read a restricted note."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("journal note")
        verbose_name_plural = _("journal notes")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["client", "-occurred_on"], name="journal_client_date")]

    def __str__(self) -> str:
        return self.subject


class Appointment(models.Model):
    """A planned meeting with the client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="appointments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    location = models.CharField(_("location"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["client", "starts_at"], name="appt_client_start"),
            models.Index(fields=["worker", "starts_at"], name="appt_worker_start"),
        ]

    def __str__(self) -> str:
        return self.subject
