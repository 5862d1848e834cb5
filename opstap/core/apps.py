from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opstap.core"
    label = "core"
    verbose_name = _("Centres and audit")
