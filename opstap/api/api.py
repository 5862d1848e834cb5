"""REST API v1. Each app may define `opstap.<app>.endpoints` with a `router` (and `PREFIX`)."""

import importlib

from django.apps import apps
from ninja import NinjaAPI

from .auth import api_auth
from .errors import install_error_handlers

api = NinjaAPI(
    title="Opstap API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)

for config in apps.get_app_configs():
    if not config.name.startswith("opstap."):
        continue
    try:
        module = importlib.import_module(f"{config.name}.endpoints")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.endpoints":
            raise
        continue
    api.add_router(getattr(module, "PREFIX", f"/{config.label}/"), module.router)
