from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opstap.core"
    label = "core"
    verbose_name = _("Centres and audit")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import tasks  # noqa: F401  (registers the daily fold of the change record)
        from .changes import triggers_after_migrate
        from .middleware import session_refreshed_at_login

        # After every migrate and flush, so a rebuilt or new table gets its triggers back.
        post_migrate.connect(triggers_after_migrate, sender=self, dispatch_uid="opstap-changes")

        user_logged_in.connect(session_refreshed_at_login, dispatch_uid="opstap-session-refresh")
