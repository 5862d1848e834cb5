from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BalanceConfig(AppConfig):
    name = "opstap.balance"
    label = "balance"
    verbose_name = _("Socio-professional balance")

    def ready(self) -> None:
        from opstap.accounts.roles import Role
        from opstap.core.dossier import add_header_fact, add_section
        from opstap.core.navigation import register
        from opstap.core.services import register_centre_initialiser

        from . import timeline
        from .services import ensure_default_instruments

        register_centre_initialiser(ensure_default_instruments)
        add_section("balance", _("Balance"), "balance:client", 20)
        add_header_fact(timeline.balance_header_fact)
        register(_("Instruments"), "balance:instrument-list", {Role.ADMIN}, 91)
