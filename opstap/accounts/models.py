import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from opstap.core.models import Centre, Team

from .roles import Role


class User(AbstractUser):
    """A person who logs in. Belongs to one centre; holds one or more roles."""

    centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("centre"),
    )
    # Stored as ",role,role," so one indexed LIKE finds holders of a role on every database.
    roles = models.CharField(_("roles"), max_length=200, blank=True, default="")
    teams = models.ManyToManyField(
        Team, blank=True, related_name="members", verbose_name=_("teams")
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")],
        default="nl",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_enabled = models.BooleanField(_("second factor enabled"), default=False)
    # The last 30-second time step whose code was accepted, so a code cannot be used twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must choose a new password at next log-in"), default=False
    )
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    def set_roles(self, roles) -> None:
        valid = {r.value for r in Role}
        chosen = sorted({str(r) for r in roles} & valid)
        self.roles = f",{','.join(chosen)}," if chosen else ""
        self.__dict__.pop("role_set", None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set & set(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.role_set)]

    @property
    def is_centre_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def needs_second_factor(self) -> bool:
        """True when the centre makes a second factor mandatory for one of this user's roles."""
        return bool(self.centre and self.centre.second_factor_roles & self.role_set)


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the key is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "opst_" + secrets.token_urlsafe(32)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
