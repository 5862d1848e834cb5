from django.urls import path

from . import views

app_name = "trajectories"

urlpatterns = [
    path("client/<int:pk>/", views.trajectories, name="list"),
    path("client/<int:pk>/<int:trajectory_pk>/end/", views.trajectory_end, name="end"),
    path("client/<int:pk>/ladder/", views.ladder, name="ladder"),
    path("types/", views.type_list, name="types"),
    path("types/<int:type_pk>/", views.type_edit, name="type-edit"),
]
