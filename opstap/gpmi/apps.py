from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GpmiConfig(AppConfig):
    name = "opstap.gpmi"
    label = "gpmi"
    verbose_name = _("GPMI integration contracts")

    def ready(self) -> None:
        from opstap.accounts.roles import Role
        from opstap.core import navigation
        from opstap.core.dossier import add_header_fact, add_section
        from opstap.core.services import register_centre_initialiser

        from . import timeline
        from .services import ensure_default_life_domains

        register_centre_initialiser(ensure_default_life_domains)
        add_section("gpmi", _("GPMI"), "gpmi:client", 25)
        add_header_fact(timeline.gpmi_header_fact)
        navigation.register(_("GPMI deadlines"), "gpmi:overdue", {Role.HEAD}, 60)
        _register_catalogue()
        _register_report()
        _register_interchange()


def _register_catalogue() -> None:
    from opstap.accounts.admin_area import register_catalogue

    register_catalogue(
        _("Life domains and priorities (GPMI)"),
        "gpmi:catalogue",
        order=30,
        help_text=_("The tree from which workers pick the priorities of a GPMI."),
    )


def _register_report() -> None:
    from opstap.reports.registry import Report, register

    from .selectors import EVALUATION_OVERDUE, MISSING, gpmi_deadlines_report

    register(
        Report(
            name="gpmi-deadlines",
            title=_("GPMI deadlines"),
            selector=gpmi_deadlines_report,
            params=("date",),
            columns=[("client_ref", _("Client")), ("problem", _("Problem")), ("due", _("Due"))],
            description=_(
                "Leefloon rights older than 3 months without a signed GPMI or exemption, and "
                "running contracts whose evaluation is overdue."
            ),
            value_labels={
                "problem": {
                    MISSING: _("No signed GPMI"),
                    EVALUATION_OVERDUE: _("Evaluation overdue"),
                }
            },
            totals=[
                (MISSING, _("No signed GPMI")),
                (EVALUATION_OVERDUE, _("Evaluation overdue")),
            ],
            order=80,
        )
    )


def _register_interchange() -> None:
    from opstap.interchange import registry

    from .interchange import FILES

    for spec in FILES:
        registry.register(spec)
