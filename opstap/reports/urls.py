from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("ladder-transitions/", views.ladder_transitions, name="ladder-transitions"),
    path("<slug:name>/", views.report_page, name="report"),
]
