import datetime

import pyotp
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

CONFIGURED_HASHERS = list(django_settings.PASSWORD_HASHERS)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # argon2 is deliberately slow; these tests create many users. test_login checks argon2 itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


class Clock:
    """A frozen clock that tests move by hand."""

    def __init__(self, now: datetime.datetime):
        self.now = now

    def move(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)

    def code(self, secret: str, steps: int = 0) -> str:
        return pyotp.TOTP(secret).at(self.now + datetime.timedelta(seconds=30 * steps))


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def as_adam(client, adam):
    client.force_login(adam)
    return client


@pytest.fixture
def other_admin(other_centre):
    from opstap.factories import UserFactory

    return UserFactory(username="olga", centre=other_centre, role_list=["admin"])
