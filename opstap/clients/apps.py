from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "opstap.clients"
    label = "clients"
    verbose_name = _("Client dossiers")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed
        from django.utils.translation import gettext_lazy as _

        from opstap.core.dossier import add_section

        from . import timeline  # noqa: F401  (registers the timeline providers)
        from .selectors import forget_team_members

        m2m_changed.connect(
            forget_team_members,
            sender=get_user_model().teams.through,
            dispatch_uid="opstap-forget-team-members",
        )

        add_section("overview", _("Overview"), "clients:detail", 0)
        add_section("rights", _("Income rights"), "clients:rights", 10)
        add_section("journal", _("Journal"), "clients:journal", 80)
        add_section("appointments", _("Appointments"), "clients:appointments", 85)
        add_section("care", _("Care team"), "clients:care-team", 95)
