from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "opstap.courses"
    label = "courses"
    verbose_name = _("Collective modules")

    def ready(self) -> None:
        from opstap.core import navigation
        from opstap.core.dossier import add_section
        from opstap.interchange import registry as interchange
        from opstap.reports.registry import register as register_report

        from . import timeline  # noqa: F401  (registers the timeline provider)
        from .access import NAV_ROLES
        from .interchange import EDITIONS, ENROLMENTS, MODULES
        from .reports import MODULE_REACH

        navigation.register(_("Modules"), "courses:module-list", NAV_ROLES, 35)
        add_section("modules", _("Modules"), "courses:client-modules", 55)
        for spec in (MODULES, EDITIONS, ENROLMENTS):
            interchange.register(spec)
        register_report(MODULE_REACH)
