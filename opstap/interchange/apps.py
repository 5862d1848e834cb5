from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "opstap.interchange"
    label = "interchange"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from opstap.accounts.roles import Role
        from opstap.core import navigation

        from . import registry
        from .files.clients import CLIENTS, RIGHTS

        registry.register(CLIENTS)
        registry.register(RIGHTS)
        navigation.register(_("Import / export"), "interchange:upload", {Role.ADMIN}, 92)
