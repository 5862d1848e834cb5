from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "opstap.activation"
    label = "activation"
    verbose_name = _("Social activation and art. 60")
