"""Django's database sessions, with the read every request makes built once per process.

The same table, the same rows and the same behaviour as `django.contrib.sessions.backends.db`;
only the lookup by key goes through a `PreparedRead` instead of a queryset compiled anew on
each request.
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


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        session = _LIVE_SESSION.first(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session
