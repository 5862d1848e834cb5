import datetime
import json

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from opstap.api import services as token_services


def make_token(user, *, days: int = 30, name: str = "script") -> str:
    """A valid API token for `user`; returns the key."""
    _token, key = token_services.token_create(actor=user, name=name, days=days)
    return key


class ApiClient:
    """Calls /api/v1/ with a bearer token, JSON in and out."""

    def __init__(self, key: str, **headers):
        self.http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)

    def _send(self, method: str, path: str, data=None, raw: str | None = None, **extra):
        body = raw if raw is not None else (json.dumps(data) if data is not None else "")
        return getattr(self.http, method)(
            f"/api/v1{path}", body, content_type="application/json", **extra
        )

    def get(self, path: str, params=None, **extra):
        return self.http.get(f"/api/v1{path}", params or {}, **extra)

    def post(self, path: str, data=None, **kw):
        return self._send("post", path, data, **kw)

    def patch(self, path: str, data=None, **kw):
        return self._send("patch", path, data, **kw)


@pytest.fixture
def api_as():
    def factory(user, **headers) -> ApiClient:
        return ApiClient(make_token(user), **headers)

    return factory


@pytest.fixture
def api_alice(alice, api_as):
    return api_as(alice)


@pytest.fixture
def days_ago():
    return lambda n: timezone.now() - datetime.timedelta(days=n)
