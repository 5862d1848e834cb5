from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("clients/<int:pk>/export.zip", views.client_export, name="client-export"),
]
