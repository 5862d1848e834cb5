"""The session store: Django's database sessions, with checked session text kept per process."""

import pytest
from django.core import signing

from opstap.core import sessions
from opstap.core.sessions import SessionStore


@pytest.fixture
def checks(monkeypatch):
    """Counts the signature checks of session text (django.core.signing.loads)."""
    calls = []
    original = signing.loads

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(signing, "loads", counted)
    monkeypatch.setattr(sessions, "_CHECKED", {})
    return calls


def _stored(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_session_reads_back_as_stored_and_its_text_is_checked_once(db, checks):
    key = _stored({"_auth_user_id": "7", "nested": {"list": [1, 2]}, "n": 3})
    for _ in range(3):
        store = SessionStore(key)
        assert store.load() == {"_auth_user_id": "7", "nested": {"list": [1, 2]}, "n": 3}
    assert len(checks) == 1


def test_each_request_gets_its_own_copy(db, checks):
    key = _stored({"nested": {"list": [1, 2]}})
    first = SessionStore(key).load()
    first["nested"]["list"].append(3)
    first["added"] = True
    assert SessionStore(key).load() == {"nested": {"list": [1, 2]}}


def test_a_changed_session_is_checked_as_new_text(db, checks):
    key = _stored({"step": 1})
    assert SessionStore(key).load() == {"step": 1}
    store = SessionStore(key)
    store["step"] = 2
    store.save()
    assert SessionStore(key).load() == {"step": 2}
    assert len(checks) == 2


def test_text_that_fails_the_check_gives_an_empty_session_every_time(db, checks):
    good = SessionStore().encode({"_auth_user_id": "7"})
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    for _ in range(2):
        assert SessionStore().decode(forged) == {}
    assert len(checks) == 2  # checked each time: nothing kept for it
    assert SessionStore().decode(good) == {"_auth_user_id": "7"}


def test_keeps_a_bounded_number(db, checks, monkeypatch):
    monkeypatch.setattr(sessions, "CHECKED_KEPT", 3)
    texts = [SessionStore().encode({"n": n}) for n in range(5)]
    for text in texts:
        SessionStore().decode(text)
    assert len(sessions._CHECKED) <= 3
    assert [SessionStore().decode(text) for text in texts] == [{"n": n} for n in range(5)]
