from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("partner/", views.partner_home, name="partner-home"),
    path("notifications/", views.notifications, name="notifications"),
    path("healthz", views.healthz, name="healthz"),
]
