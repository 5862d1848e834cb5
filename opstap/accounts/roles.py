from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COUNSELLOR = "counsellor", _("Trajectory counsellor")
    ACTIVATION = "activation", _("Social activation staff")
    HEAD = "head", _("Head of service")
    MANAGEMENT = "management", _("Management")
    ADMIN = "admin", _("Administrator")
    PARTNER = "partner", _("Partner organisation contact")


# Roles whose holders work with dossiers (through the care team).
CASEWORK_ROLES = {Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.ACTIVATION, Role.HEAD}
