from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "opstap.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from opstap.core import navigation

        from .access import FLOW_ROLES

        navigation.register(_("Flow"), "dashboards:flow", FLOW_ROLES, 72)
