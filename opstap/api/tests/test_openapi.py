"""The OpenAPI schema is served, valid, and lists every operation with typed schemas."""

import json

import pytest

from opstap.api.api import api

pytestmark = pytest.mark.django_db

EXPECTED = {
    ("get", "/api/v1/accounts/me"),
    ("get", "/api/v1/clients/"),
    ("post", "/api/v1/clients/"),
    ("get", "/api/v1/clients/{client_id}"),
    ("patch", "/api/v1/clients/{client_id}"),
    ("get", "/api/v1/clients/{client_id}/rights"),
    ("post", "/api/v1/clients/{client_id}/rights"),
    ("patch", "/api/v1/clients/{client_id}/rights/{right_id}"),
    ("get", "/api/v1/clients/{client_id}/care-team"),
    ("post", "/api/v1/clients/{client_id}/care-team"),
    ("post", "/api/v1/clients/{client_id}/care-team/{member_id}/end"),
}


def _no_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return dict(pairs)


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    # Python's json keeps the last of two equal keys; browsers' YAML/JSON parsers refuse them.
    return json.loads(response.content, object_pairs_hook=_no_duplicate_keys)


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_schema_lists_every_client_operation(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Opstap API"
    assert EXPECTED <= {(m, p) for m, p, _op in _operations(schema)}


def test_schema_lists_every_registered_operation(schema):
    # Every operation of every discovered router, whichever app defined it.
    registered = [
        (method.lower(), prefix)
        for prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        for method in operation.methods
    ]
    listed = list(_operations(schema))
    assert len(listed) == len(registered) >= len(EXPECTED)


def test_every_operation_is_typed_and_secured(schema):
    components = schema["components"]["schemas"]
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    for method, path, operation in _operations(schema):
        ok = operation["responses"].get("200") or operation["responses"].get("201")
        assert ok, (method, path)
        assert "schema" in ok["content"]["application/json"], (method, path)
        assert "422" in operation["responses"], (method, path)
        assert "401" in operation["responses"], (method, path)
        assert operation["security"], (method, path)
        body = operation.get("requestBody")
        if body:
            body_schema = body["content"]["application/json"]["schema"]
            refs = [s["$ref"] for s in body_schema.get("anyOf", [body_schema]) if "$ref" in s]
            assert refs and all(ref.split("/")[-1] in components for ref in refs)


def test_schema_is_valid_openapi(schema):
    from openapi_spec_validator import validate

    validate(schema)


def test_dates_are_iso_in_the_schema(schema):
    client_in = schema["components"]["schemas"]["ClientIn"]["properties"]["birth_date"]
    assert client_in["format"] == "date"
    client_out = schema["components"]["schemas"]["ClientOut"]["properties"]["birth_date"]
    assert client_out["format"] == "date"


def test_reference_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/" in html
