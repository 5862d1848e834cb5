from django.urls import path

from . import views

app_name = "interchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/import/", views.run_import, name="run-import"),
    path("export/", views.export, name="export"),
]
