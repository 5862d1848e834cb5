"""REST API: who am I (/api/v1/accounts/me), to check a token and see one's roles."""

from django.http import HttpRequest
from ninja import Router, Schema

PREFIX = "/accounts/"
router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    centre: str | None
    roles: list[str]
    language: str


@router.get("me", response=MeOut, summary="The user the request is authenticated as")
def me(request: HttpRequest):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "centre": user.centre.code if user.centre else None,
        "roles": sorted(user.role_set),
        "language": user.language,
    }
