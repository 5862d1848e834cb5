from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("flow/", views.flow, name="flow"),
    path("key-figures/", views.key_figures_view, name="key-figures"),
    path("clients/", views.figure_clients, name="figure-clients"),
    path("team/", views.team_view, name="team"),
    path("yearly/", views.yearly, name="yearly"),
]
