"""REST API v1. Each app may define `opstap.<app>.endpoints` with a `router` (and `PREFIX`)."""

import importlib

from django.apps import apps
from ninja import NinjaAPI

from .auth import api_auth
from .errors import install_error_handlers
from .schemas import ErrorOut, MessageOut

# The error handlers answer these for every operation, so the schema documents them everywhere.
COMMON_RESPONSES = {
    "401": ("Unauthorized: no valid token or session.", MessageOut),
    "422": ("The request is not valid; each item names its field.", ErrorOut),
}


class OpstapAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for _status, (_text, model) in COMMON_RESPONSES.items():
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(model_schema.pop("$defs", {}))
            components.setdefault(model.__name__, model_schema)
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, (text, model) in COMMON_RESPONSES.items():
                    # ninja keys responses by int: "401" next to 401 would be a duplicate key.
                    if status in responses or int(status) in responses:
                        continue
                    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
                    content = {"application/json": {"schema": ref}}
                    responses[int(status)] = {"description": text, "content": content}
        return schema


api = OpstapAPI(
    title="Opstap API",
    version="1",
    description=(
        "Case management for the activation services of Belgian OCMWs. Authenticate with a "
        "personal API token (`Authorization: Bearer <key>`, created at /api/tokens/) or the "
        "browser session (with the X-CSRFToken header for unsafe methods). Dates are ISO "
        '(YYYY-MM-DD). Errors: `{"detail": [{"field": ..., "message": ...}]}`.'
    ),
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
