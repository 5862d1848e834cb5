from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "opstap.network"
    label = "network"
    verbose_name = _("Support catalogue, partners and referrals")

    def ready(self) -> None:
        from opstap.core import navigation
        from opstap.core.dossier import add_header_fact, add_section
        from opstap.core.services import register_centre_initialiser

        from . import timeline  # noqa: F401  (registers the timeline provider)
        from .access import STAFF_ROLES
        from .selectors import overdue_count_for_client
        from .services import ensure_default_catalogue

        register_centre_initialiser(ensure_default_catalogue)
        add_section("referrals", _("Referrals"), "network:client-referrals", 70)
        add_section("case-overview", _("Case overview"), "network:case-overview", 90)
        navigation.register(_("Partners"), "network:organisation-list", STAFF_ROLES, 40)

        @add_header_fact
        def overdue_referrals(client):
            n = overdue_count_for_client(client)
            return [(_("Referrals without answer"), n)] if n else []

        _register_admin_catalogue()
        _register_interchange()
        _register_user_link()


def _register_admin_catalogue() -> None:
    """Offer the support catalogue in the administration area when that area exists."""
    try:
        from opstap.accounts.admin_area import register_catalogue
    except ImportError:
        return
    register_catalogue(_("Support catalogue"), "network:offer-list", order=20)


def _register_user_link() -> None:
    """The administrator chooses a partner account's organisation on the user form."""
    from opstap.accounts.user_links import register_user_link

    from .partner_accounts import ORGANISATION_LINK

    register_user_link(ORGANISATION_LINK)


def _register_interchange() -> None:
    """organisations.csv joins the interchange format (import/export)."""
    from opstap.interchange import registry

    from .interchange import ORGANISATIONS

    registry.register(ORGANISATIONS)
