from django.contrib import admin
from django.urls import include, path

from opstap.api.api import api

urlpatterns = [
    path("", include("opstap.core.urls")),
    path("accounts/", include("opstap.accounts.urls")),
    path("clients/", include("opstap.clients.urls")),
    path("balance/", include("opstap.balance.urls")),
    path("trajectories/", include("opstap.trajectories.urls")),
    path("reports/", include("opstap.reports.urls")),
    path("dashboards/", include("opstap.dashboards.urls")),
    path("network/", include("opstap.network.urls")),
    path("gpmi/", include("opstap.gpmi.urls")),
    path("activation/", include("opstap.activation.urls")),
    path("modules/", include("opstap.courses.urls")),
    path("interchange/", include("opstap.interchange.urls")),
    path("privacy/", include("opstap.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/tokens/", include("opstap.api.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
