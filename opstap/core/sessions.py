"""Django's database sessions, with the work every request repeats done once per process.

The same table, the same rows and the same behaviour as `django.contrib.sessions.backends.db`:

- the lookup by key goes through a `PreparedRead` instead of a queryset compiled anew on each
  request;
- a session's stored text, once its signature has been checked and it has been unpacked, is
  kept (as JSON) in this process while it does not change: the next request of that session
  gets the session from the JSON instead of checking and unpacking the same text again. Only
  text that passed the check is kept, each request gets its own copy, and a changed session
  is stored as new text, which is checked as new.
"""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from .prepared import PreparedRead

_LIVE_SESSION = PreparedRead(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    kinds=(str, datetime.datetime),
)

# Stored session text that passed the signature check -> the session as JSON.
_CHECKED: dict[str, bytes] = {}
CHECKED_KEPT = 2000  # a few hundred bytes each; emptied when full


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        session = _LIVE_SESSION.first(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session

    def decode(self, session_data):
        kept = _CHECKED.get(session_data)
        if kept is not None:
            return self.serializer().loads(kept)
        session = super().decode(session_data)  # {} when the check fails: not kept
        if session:
            if len(_CHECKED) >= CHECKED_KEPT:
                _CHECKED.clear()
            _CHECKED[session_data] = self.serializer().dumps(session)
        return session
