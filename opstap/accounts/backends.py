from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class CentreModelBackend(ModelBackend):
    """The standard backend, loading the user's centre in the same query (every page needs it)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("centre").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
