from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "opstap.trajectories"
    label = "trajectories"
    verbose_name = _("Activation ladder and trajectories")

    def ready(self) -> None:
        from opstap.accounts.admin_area import register_catalogue
        from opstap.core.dossier import add_header_fact, add_section
        from opstap.core.services import register_centre_initialiser

        from . import caseload, timeline
        from .catalogue import ensure_default_catalogue

        register_centre_initialiser(ensure_default_catalogue)
        add_section("trajectories", _("Trajectories"), "trajectories:list", 30)
        add_section("ladder", _("Ladder"), "trajectories:ladder", 32)
        add_header_fact(timeline.current_rung_fact)
        caseload.register()
        self._register_interchange_files()
        register_catalogue(
            _("Trajectory types"),
            "trajectories:types",
            order=30,
            help_text=_("Labels, ladder rung and order of the trajectories a worker can start."),
        )

    def _register_interchange_files(self) -> None:
        from opstap.interchange import registry

        from .interchange import LADDER, TRAJECTORIES

        registry.register(TRAJECTORIES)
        registry.register(LADDER)
