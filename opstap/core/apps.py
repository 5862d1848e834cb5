from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opstap.core"
    label = "core"
    verbose_name = _("Centres and audit")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_refreshed_at_login

        user_logged_in.connect(session_refreshed_at_login, dispatch_uid="opstap-session-refresh")
