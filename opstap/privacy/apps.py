from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "opstap.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from opstap.accounts.admin_area import register_catalogue

        from . import contributions, tasks  # noqa: F401  (registers the daily task)

        contributions.register()
        register_catalogue(
            _("Data retention"),
            "privacy:retention",
            order=90,
            help_text=_("How long closed dossiers are kept, and which are due for anonymisation."),
        )
