from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opstap.api"
    label = "api"
