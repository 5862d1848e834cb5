from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GpmiConfig(AppConfig):
    name = "opstap.gpmi"
    label = "gpmi"
    verbose_name = _("GPMI integration contracts")
