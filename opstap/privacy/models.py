from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opstap.core.models import Centre


class RetentionPolicy(models.Model):
    """How long a centre keeps a closed dossier before it is anonymised (GDPR storage limit)."""

    centre = models.OneToOneField(Centre, on_delete=models.CASCADE, related_name="retention")
    years = models.PositiveSmallIntegerField(
        _("keep closed dossiers for (years)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A dossier with no active income right, no active care team and no activity for "
            "this many years is anonymised by the daily task."
        ),
    )
    enabled = models.BooleanField(_("anonymise automatically"), default=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.centre}: {self.years}"
