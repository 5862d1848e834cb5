from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "opstap.activation"
    label = "activation"
    verbose_name = _("Social activation and art. 60")

    def ready(self) -> None:
        from opstap.accounts.roles import Role
        from opstap.core import navigation
        from opstap.core.dossier import add_header_fact, add_section
        from opstap.core.services import register_centre_initialiser
        from opstap.interchange import registry as interchange_registry

        from . import timeline  # noqa: F401  (registers the timeline provider)
        from .interchange import HOURS, PLACEMENTS
        from .reports import register_all
        from .selectors import current_placement_fact
        from .services import ensure_activation_settings

        register_centre_initialiser(ensure_activation_settings)
        add_section("activation", _("Activation"), "activation:client", 55)
        navigation.register(
            _("Activation"),
            "activation:placement-list",
            {Role.ACTIVATION, Role.SOCIAL_WORKER, Role.HEAD},
            30,
        )
        add_header_fact(current_placement_fact)
        register_all()
        interchange_registry.register(PLACEMENTS)
        interchange_registry.register(HOURS)
        _register_admin_catalogue()


def _register_admin_catalogue() -> None:
    try:
        from opstap.accounts.admin_area import register_catalogue
    except ImportError:
        return
    register_catalogue(_("Social activation settings"), "activation:settings", order=40)
