"""The reports this app defines, registered in the report registry."""

from django.utils.translation import gettext_lazy as _

from . import selectors
from .registry import Report, register


def register_all() -> None:
    register(
        Report(
            name="trajectory-dossiers",
            title=_("Unique dossiers per trajectory type"),
            description=_(
                "Distinct clients with at least one trajectory of the type started on or "
                "before the date."
            ),
            selector=selectors.trajectory_dossiers,
            params=("date",),
            columns=[
                ("type", _("Code")),
                ("label", _("Trajectory type")),
                ("dossiers", _("Dossiers")),
            ],
            chart=("label", "dossiers"),
            order=10,
        )
    )
    register(
        Report(
            name="activation-status",
            title=_("Clients by activation on a date"),
            description=_(
                "Clients with an income right on the date, each counted once under the "
                "trajectory running on that date (the latest started), or under no trajectory."
            ),
            selector=selectors.activation_status,
            params=("date",),
            columns=[
                ("type", _("Code")),
                ("label", _("Trajectory type")),
                ("clients", _("Clients")),
                ("percent", _("Percent")),
            ],
            chart=("label", "clients"),
            order=20,
        )
    )
    register(
        Report(
            name="activation-speed",
            title=_("Activated within 4 months"),
            description=_(
                "Clients whose first income right starts in the period, and how many started "
                "an activation trajectory within 4 months of it."
            ),
            selector=selectors.activation_speed,
            params=("from", "to"),
            columns=[
                ("cohort", _("Cohort")),
                ("activated", _("Activated")),
                ("percent", _("Percent")),
                ("median_days", _("Median days to activation")),
            ],
            order=30,
        )
    )
