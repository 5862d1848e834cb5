from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from opstap.core.prepared import PreparedRead

# Every page reads its user: the statement is built once per process.
_USER_WITH_CENTRE = PreparedRead(
    lambda user_id: get_user_model()._default_manager.select_related("centre").filter(pk=user_id)
)


class CentreModelBackend(ModelBackend):
    """The standard backend, loading the user's centre in the same query (every page needs it)."""

    def get_user(self, user_id):
        try:
            user = _USER_WITH_CENTRE.first(int(user_id))
        except (TypeError, ValueError):  # not a key: nobody
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
