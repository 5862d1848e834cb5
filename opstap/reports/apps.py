from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "opstap.reports"
    label = "reports"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from opstap.core import navigation

        from .reports import register_all
        from .scope import REPORT_ROLES

        register_all()
        navigation.register(_("Reports"), "reports:index", REPORT_ROLES, 70)
