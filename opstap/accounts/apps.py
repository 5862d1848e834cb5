from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "opstap.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from opstap.core import navigation

        from .roles import Role

        # Administrators reach the audit log from the administration; heads of service from here.
        navigation.register(_("Audit log"), "accounts:admin-audit", {Role.HEAD}, 85)
