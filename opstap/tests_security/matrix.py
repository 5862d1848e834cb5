"""The machinery of the authorization matrix: URL arguments from real objects, and outcomes.

The expectations themselves live in test_authorization_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.test import Client as HttpClient
from django.urls import reverse

from .world import OTHER_CENTRE, PERSONAS, World

# Outcome of one request, as a short word.
OK, LOGIN, REDIRECT, NOT_FOUND, FORBIDDEN, NOT_ALLOWED, UNAUTHORIZED = (
    "200",
    "login",
    "302",
    "404",
    "403",
    "405",
    "401",
)


@dataclass(frozen=True)
class Policy:
    """Who gets what on a GET. `others` is what every persona not in `allowed` gets.

    `post_only`: the view answers GET with 404/405 to everyone; the matrix then also POSTs as
    every persona not in `allowed` and requires a refusal (never a 200 or a redirect).
    """

    name: str
    allowed: frozenset[str]
    ok: frozenset[str] = frozenset({OK})
    others: frozenset[str] = frozenset({NOT_FOUND})
    anonymous: frozenset[str] = frozenset({LOGIN})
    post_only: bool = False
    tenant: bool = True  # its URL arguments are objects of a centre

    def expected(self, persona: str, has_objects: bool) -> frozenset[str]:
        if self.post_only:
            return self.anonymous if persona == "anonymous" else frozenset({NOT_FOUND, NOT_ALLOWED})
        if persona == "anonymous":
            return self.anonymous
        if persona in OTHER_CENTRE and has_objects and self.tenant:
            return frozenset({NOT_FOUND})  # every object of this centre is missing for them
        return self.ok if persona in self.allowed else self.others

    def may_post(self, persona: str, has_objects: bool) -> bool:
        if persona in OTHER_CENTRE and has_objects and self.tenant:
            return False
        return persona in self.allowed


def policy(
    name: str,
    *allowed: str,
    ok=(OK,),
    others=(NOT_FOUND,),
    anonymous=(LOGIN,),
    post_only: bool = False,
    tenant: bool = True,
) -> Policy:
    return Policy(
        name,
        frozenset(allowed),
        frozenset(ok),
        frozenset(others),
        frozenset(anonymous),
        post_only,
        tenant,
    )


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return LOGIN if location.startswith(reverse("accounts:login")) else REDIRECT
    return str(response.status_code)


# Each URL argument, by the URL's namespace (and name where one namespace uses it two ways).
Resolver = Callable[[dict], object]


def _attr(path: str) -> Resolver:
    def get(obj: dict) -> object:
        head, *rest = path.split(".")
        value = obj[head]
        for name in rest:
            value = getattr(value, name)
        return value

    return get


ARGS_BY_NAMESPACE: dict[str, dict[str, str]] = {
    "clients": {
        "pk": "client.pk",
        "right_pk": "right.pk",
        "member_pk": "member.pk",
        "appointment_pk": "appointment.pk",
    },
    "balance": {
        "client_pk": "balance.client_id",
        "pk": "balance.pk",
        "template_pk": "template.pk",
        "section_pk": "section.pk",
        "question_pk": "question.pk",
        "item_pk": "section.pk",
        "barrier_pk": "barrier.pk",
    },
    "trajectories": {
        "pk": "trajectory.client_id",
        "trajectory_pk": "trajectory.pk",
        "type_pk": "ttype.pk",
    },
    "network": {
        "pk": "referral.client_id",
        "place_pk": "place.pk",
    },
    "gpmi": {
        "pk": "gpmi.client_id",
        "gid": "gpmi.pk",
        "sid": "sanction.pk",
        "goal_id": "goal.pk",
        "step_id": "step.pk",
        "party_id": "third_party.pk",
        "domain_id": "domain.pk",
    },
    "activation": {
        "pk": "placement.client_id",
        "org_pk": "organisation.pk",
    },
    "courses": {"pk": "edition.pk", "client_pk": "enrolment.client_id"},
    "interchange": {"pk": "run.pk"},
    "reports": {"name": "report"},
    "privacy": {"pk": "client.pk"},
    # Django's own admin: nobody of a centre is Django staff, so any object will do.
    "admin": {
        "app_label": "app_label",
        "object_id": "client.pk",
        "content_type_id": "content_type_id",
        "url": "app_label",
    },
    "accounts": {"pk": "user.pk"},
    "api_tokens": {"pk": "token.pk"},
}
ARGS_BY_NAME: dict[str, dict[str, str]] = {
    "balance:instrument-edit": {"pk": "template.pk"},
    "balance:section-create": {"pk": "template.pk"},
    "balance:section-edit": {"pk": "template.pk"},
    "balance:question-create": {"pk": "template.pk"},
    "balance:question-edit": {"pk": "template.pk"},
    "balance:item-action": {"pk": "template.pk"},
    "network:organisation-detail": {"pk": "organisation.pk"},
    "network:organisation-edit": {"pk": "organisation.pk"},
    "network:place-create": {"pk": "organisation.pk"},
    "network:place-edit": {"pk": "place.organisation_id"},
    "network:offer-edit": {"pk": "offer.pk"},
    "network:referral-status": {"pk": "referral.pk"},
    "gpmi:version": {"number": "gpmi_version.number"},
    "network:partner-referral": {"pk": "referral.pk"},
    "activation:placement-detail": {"pk": "placement.pk"},
    "activation:placement-advance": {"pk": "placement.pk"},
    "activation:placement-end": {"pk": "placement.pk"},
    "activation:placement-mutate": {"pk": "placement.pk"},
    "activation:agreement-edit": {"pk": "placement.pk"},
    "activation:agreement-pdf": {"pk": "placement.pk"},
    "activation:art60-edit": {"pk": "placement.pk"},
    "activation:evaluation": {"pk": "placement.pk"},
    "activation:partner-evaluation": {"pk": "placement.pk"},
    "activation:hours-correct": {"pk": "hours.pk"},
    "courses:module-detail": {"pk": "module.pk"},
    "courses:module-edit": {"pk": "module.pk"},
    "courses:edition-create": {"pk": "module.pk"},
    "courses:session-move": {"pk": "session.pk"},
    "courses:session-restore": {"pk": "session.pk"},
    "courses:session-register": {"pk": "session.pk"},
    "courses:enrolment-detail": {"pk": "enrolment.pk"},
    "courses:client-modules": {"pk": "enrolment.client_id"},
    "accounts:admin-office-edit": {"pk": "office.pk"},
    "accounts:admin-team-edit": {"pk": "team.pk"},
    # API operations (ninja names its path parameters after the objects).
}
ARGS_BY_KWARG: dict[str, str] = {
    "client_id": "client.pk",
    "right_id": "right.pk",
    "member_id": "member.pk",
    "org_id": "organisation.pk",
    "referral_id": "referral.pk",
    "gpmi_id": "gpmi.pk",
    "goal_id": "goal.pk",
    "step_id": "step.pk",
    "placement_id": "placement.pk",
    "module_id": "module.pk",
    "edition_id": "edition.pk",
    "session_id": "session.pk",
    "name": "report",
}
# Arguments that are not objects of a centre.
NOT_OBJECTS = {"number", "kind", "action", "month", "name"}
# Query strings some pages need to show anything at all.
QUERY: dict[str, Callable[[dict], str]] = {
    "network:referral-create": lambda obj: f"?organisation={obj['organisation'].pk}",
}
# Arguments that are words, not objects.
FIXED_ARGS: dict[str, object] = {
    "number": 1,
    "kind": "section",
    "action": "up",
}
# Values that depend on the objects but are not a primary key.
COMPUTED_ARGS: dict[str, Callable[[dict], object]] = {
    "month": lambda obj: obj["hours"].month.strftime("%Y-%m"),
}


def url_kwargs(name: str, kwarg_names: Iterable[str], obj: dict) -> dict[str, object]:
    namespace = name.split(":", 1)[0]
    kwargs = {}
    for kwarg in kwarg_names:
        if kwarg in FIXED_ARGS and kwarg not in ARGS_BY_NAME.get(name, {}):
            kwargs[kwarg] = FIXED_ARGS[kwarg]
            continue
        if kwarg in COMPUTED_ARGS:
            kwargs[kwarg] = COMPUTED_ARGS[kwarg](obj)
            continue
        path = (
            ARGS_BY_NAME.get(name, {}).get(kwarg)
            or ARGS_BY_NAMESPACE.get(namespace, {}).get(kwarg)
            or ARGS_BY_KWARG.get(kwarg)
        )
        assert path, (
            f"The authorization matrix does not know what to put in <{kwarg}> of {name}: "
            "add it to ARGS_BY_NAME or ARGS_BY_NAMESPACE in opstap/tests_security/matrix.py."
        )
        kwargs[kwarg] = _attr(path)(obj)
    return kwargs


def browsers(world: World) -> dict[str, HttpClient]:
    """One logged-in test client per persona (the anonymous one logs in as nobody)."""
    clients = {}
    for persona in PERSONAS:
        http = HttpClient(raise_request_exception=False)
        user = world.users[persona]
        if user is not None:
            http.force_login(user)
        clients[persona] = http
    return clients
