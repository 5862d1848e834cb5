"""The authorization matrix: every URL of Opstap, every persona, the expected answer.

Every named URL pattern (walked recursively from the root URLconf) and every operation of the API
(from its OpenAPI schema) must have an entry in EXPECTED (or a default by prefix in DEFAULTS).
A URL added without an entry fails test_every_url_has_an_expectation: decide who may open it, and
add it here. The personas are described in opstap/tests_security/world.py; URL arguments are
filled with real objects of the care worker's clients (opstap/tests_security/matrix.py).

A view that answers POST only is checked twice: a GET gets 404/405 from everyone, and a POST by
each persona who is not allowed is refused (403/404/405), never a 200 or a redirect.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from opstap.api.api import api

from .matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    NOT_OBJECTS,
    OK,
    QUERY,
    REDIRECT,
    UNAUTHORIZED,
    browsers,
    outcome,
    policy,
    url_kwargs,
)
from .world import PERSONAS, build_world, cared_for_insz, url_patterns

LOGGED_IN = tuple(p for p in PERSONAS if p != "anonymous")
CASEWORKERS = ("care", "head", "colleague", "outsider")  # each in their own centre
STAFF = (*CASEWORKERS, "admin", "outsider_admin")
ADMINS = ("admin", "outsider_admin")
PARTNERS = ("partner_own", "partner_other")

PUBLIC = policy("public", *LOGGED_IN, anonymous=(OK,))
LOGIN_ONLY = policy("any logged-in user", *LOGGED_IN)
DOSSIER = policy("the client's care team (and its head)", "care", "head")
DOSSIER_POST = policy("care team, POST only", "care", "head", post_only=True, anonymous=(LOGIN,))
REFERENCE_WORKER = policy("the client's own social worker", "care")
DOSSIER_AUDIT = policy("who opened a dossier: head and administrator", "head", "admin")
ADMIN = policy("administrator of the centre", *ADMINS)
ADMIN_POST = policy("administrator, POST only", *ADMINS, post_only=True, anonymous=(NOT_ALLOWED,))
ADMIN_POST_LOGIN = policy("administrator, POST only", *ADMINS, post_only=True)
ADMIN_OR_HEAD = policy("administrator or head of service", *ADMINS, "head")
HEAD = policy("head of service", "head")
CASEWORK = policy("caseworkers", *CASEWORKERS)
STAFF_ONLY = policy("staff (caseworkers and administrators)", *STAFF)
STAFF_POST = policy("staff, POST only", *STAFF, post_only=True)
REPORTS = policy(
    "everyone but partners", *STAFF, "management", others=(FORBIDDEN,), anonymous=(LOGIN,)
)
LADDER_REPORT = policy(
    "head, management, administrator", "head", "management", *ADMINS, others=(FORBIDDEN,)
)
PAYMENTS = policy("payments: head and administrator", "head", *ADMINS, ok=(OK, "400"))
PARTNER = policy("partner contacts", *PARTNERS)
PARTNER_OWN = policy("the partner contact of the organisation concerned", "partner_own")
MODULE_STAFF = policy("module staff", "care", "head", "colleague", "admin", "management")
MODULE_EDITORS = policy("module editors", "care", "head", "colleague", *ADMINS, "outsider")
MODULE_WORKERS = policy("module workers", "care", "head", "colleague")
HOME = policy("start page (partners go to their portal)", *STAFF, "management", others=(REDIRECT,))
EVERYONE_REDIRECTED = policy("redirects", others=(REDIRECT,), anonymous=(LOGIN,))
ANONYMOUS_ONLY = policy("log-in page", others=(REDIRECT,), anonymous=(OK,))
EVERYONE_POST = policy("any logged-in user, POST only", *LOGGED_IN, post_only=True)
SET_LANGUAGE = policy("anyone, redirects back", others=(REDIRECT,), anonymous=(REDIRECT,))
MISSING = policy("answers 404 to everyone", anonymous=(NOT_FOUND,))
DJANGO_ADMIN = policy(
    "Django's admin: no centre user is Django staff",
    others=(REDIRECT,),
    anonymous=(REDIRECT,),
    tenant=False,
)
# The API: a token or session; no credentials answer 401.
API_LOGIN = policy("API: any logged-in user", *LOGGED_IN, anonymous=(UNAUTHORIZED,))
API_DOSSIER = policy("API: the client's care team", "care", "head", anonymous=(UNAUTHORIZED,))
API_STAFF = policy("API: staff", *STAFF, anonymous=(UNAUTHORIZED,))
API_CASEWORK = policy("API: caseworkers", *CASEWORKERS, anonymous=(UNAUTHORIZED,))
API_REPORTS = policy(
    "API: everyone but partners",
    *STAFF,
    "management",
    others=(FORBIDDEN,),
    anonymous=(UNAUTHORIZED,),
)
API_NOT_PARTNERS = policy(
    "API: everyone but partners", *STAFF, "management", anonymous=(UNAUTHORIZED,)
)
API_DOSSIER_AND_PARTNER = policy(
    "API: the client's care team and the placement's organisation",
    "care",
    "head",
    "partner_own",
    anonymous=(UNAUTHORIZED,),
)
API_STAFF_AND_OWN_PARTNER = policy(
    "API: staff and the organisation's own contact",
    *STAFF,
    "partner_own",
    anonymous=(UNAUTHORIZED,),
)
API_WRITE = policy("API write: refused to everyone else", "care", "head", anonymous=(UNAUTHORIZED,))

# URL name (or "METHOD /api/v1/path") -> policy.
EXPECTED = {
    "core:home": HOME,
    "core:partner-home": EVERYONE_REDIRECTED,
    "core:notifications": LOGIN_ONLY,
    "core:healthz": PUBLIC,
    "accounts:login": ANONYMOUS_ONLY,
    "accounts:logout": policy(
        "log-out, POST only", *LOGGED_IN, post_only=True, anonymous=(NOT_ALLOWED,)
    ),
    "accounts:otp-verify": EVERYONE_REDIRECTED,
    "accounts:otp-setup": LOGIN_ONLY,
    "accounts:profile": LOGIN_ONLY,
    "accounts:password-change": LOGIN_ONLY,
    "accounts:admin-user-unlock": ADMIN_POST,
    "accounts:admin-user-password-reset": ADMIN_POST,
    "accounts:admin-user-totp-reset": ADMIN_POST,
    "accounts:admin-audit": ADMIN_OR_HEAD,
    "clients:caseload": CASEWORK,
    "clients:create": CASEWORK,
    "clients:care-member-end": DOSSIER_POST,
    "clients:appointment-cancel": DOSSIER_POST,
    "clients:access-log": DOSSIER_AUDIT,
    "balance:instrument": DOSSIER,
    "balance:start": DOSSIER_POST,
    "balance:complete": DOSSIER_POST,
    "balance:reopen": DOSSIER_POST,
    "balance:barriers": DOSSIER_POST,
    "balance:item-action": ADMIN_POST_LOGIN,
    "balance:barrier-toggle": ADMIN_POST_LOGIN,
    "reports:index": REPORTS,
    "reports:report": REPORTS,
    "reports:ladder-transitions": LADDER_REPORT,
    "dashboards:flow": policy(
        "figures: head, management, administrator", "head", "management", *ADMINS
    ),
    "dashboards:figure-clients": policy("figure pages need their parameters"),
    "dashboards:key-figures": policy(
        "figures: head, management, administrator", "head", "management", *ADMINS
    ),
    "dashboards:team": HEAD,
    "dashboards:yearly": policy(
        "figures: head, management, administrator", "head", "management", *ADMINS
    ),
    "network:organisation-list": STAFF_ONLY,
    "network:organisation-detail": STAFF_ONLY,
    "network:offer-list": STAFF_ONLY,
    "network:referrals-waiting": STAFF_ONLY,
    "network:catalogue-defaults": ADMIN_POST_LOGIN,
    # The partner organisation accepts, refuses, starts or ends the referrals sent to it.
    "network:referral-status": policy(
        "care team and the receiving organisation, POST only",
        "care",
        "head",
        "partner_own",
        post_only=True,
    ),
    "network:referral-create": DOSSIER,
    "network:partner-home": LOGIN_ONLY,
    "network:partner-referral": PARTNER_OWN,
    "gpmi:overdue": HEAD,
    "gpmi:sanctions": REFERENCE_WORKER,
    "gpmi:sanction-warn": REFERENCE_WORKER,
    "gpmi:sanction-hearing": REFERENCE_WORKER,
    "gpmi:sanction-decide": REFERENCE_WORKER,
    "gpmi:edit": policy(
        "care team (a signed contract redirects)", "care", "head", ok=(OK, REDIRECT)
    ),
    "gpmi:back-to-draft": DOSSIER_POST,
    "gpmi:start": DOSSIER_POST,
    "gpmi:delete": DOSSIER_POST,
    "gpmi:amend-finish": DOSSIER_POST,
    "gpmi:goal-delete": DOSSIER_POST,
    "gpmi:step-delete": DOSSIER_POST,
    "gpmi:third-party-remove": DOSSIER_POST,
    "activation:placement-list": CASEWORK,
    "activation:placement-advance": DOSSIER_POST,
    "activation:art60-edit": DOSSIER_POST,
    "activation:hours-review": HEAD,
    "activation:hours-correct": HEAD,
    "activation:payment-file": PAYMENTS,
    "activation:settings": ADMIN,
    "activation:partner-hours": PARTNER,
    "activation:partner-evaluation": PARTNER_OWN,
    "courses:module-list": LOGIN_ONLY,
    "courses:module-create": MODULE_EDITORS,
    "courses:module-detail": MODULE_STAFF,
    "courses:module-edit": MODULE_EDITORS,
    "courses:edition-create": MODULE_EDITORS,
    "courses:edition-detail": MODULE_STAFF,
    "courses:edition-edit": MODULE_EDITORS,
    "courses:schedule-edit": MODULE_EDITORS,
    "courses:edition-evaluate": STAFF_POST,
    "courses:enrolment-propose": DOSSIER,
    "courses:session-move": MODULE_WORKERS,
    "courses:session-restore": STAFF_POST,
    "courses:session-register": MODULE_WORKERS,
    "courses:enrolment-detail": MODULE_WORKERS,
    "interchange:run-import": ADMIN_POST_LOGIN,
    "interchange:export": ADMIN_POST_LOGIN,
    "privacy:retention": ADMIN,
    "privacy:client-export": policy(
        "subject-access export: head and administrator", "head", "admin"
    ),
    "set_language": SET_LANGUAGE,
    "api_tokens:token-list": LOGIN_ONLY,
    "api_tokens:token-revoke": EVERYONE_POST,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": MISSING,
    "admin:login": PUBLIC,
    "GET /api/v1/accounts/me": API_LOGIN,
    # Lists answer everyone with what they may see (often nothing; see NO_LEAK below).
    "GET /api/v1/clients/": API_LOGIN,
    "GET /api/v1/network/offers": API_STAFF,
    "GET /api/v1/network/organisations": API_STAFF,
    "GET /api/v1/network/organisations/{org_id}": API_STAFF_AND_OWN_PARTNER,
    "GET /api/v1/network/places": API_LOGIN,
    "GET /api/v1/network/referrals": policy(
        "API: partner contacts (management sees an empty list)",
        *PARTNERS,
        "management",
        anonymous=(UNAUTHORIZED,),
    ),
    "GET /api/v1/activation/placements": API_LOGIN,
    "GET /api/v1/activation/placements/{placement_id}": API_DOSSIER_AND_PARTNER,
    "GET /api/v1/activation/placements/{placement_id}/hours": API_DOSSIER_AND_PARTNER,
    "GET /api/v1/modules/": API_LOGIN,
    "GET /api/v1/modules/{module_id}": API_NOT_PARTNERS,
    "GET /api/v1/modules/{module_id}/editions": API_NOT_PARTNERS,
    "GET /api/v1/modules/editions/{edition_id}": API_NOT_PARTNERS,
    "GET /api/v1/modules/editions/{edition_id}/enrolments": policy(
        "API: module workers", "care", "head", "colleague", anonymous=(UNAUTHORIZED,)
    ),
    "GET /api/v1/reports/{name}": API_REPORTS,
}
# Defaults by prefix, where a whole family of URLs follows one rule (first match wins).
DEFAULTS = (
    ("accounts:admin-", ADMIN),
    ("clients:", DOSSIER),
    ("balance:instrument", ADMIN),
    ("balance:section-", ADMIN),
    ("balance:question-", ADMIN),
    ("balance:barrier-list", ADMIN),
    ("balance:", DOSSIER),
    ("trajectories:type", ADMIN),
    ("trajectories:", DOSSIER),
    ("network:organisation-", ADMIN),
    ("network:place-", ADMIN),
    ("network:offer-", ADMIN),
    ("network:", DOSSIER),
    ("gpmi:catalogue", ADMIN),
    ("gpmi:", DOSSIER),
    ("activation:", DOSSIER),
    ("courses:client-modules", DOSSIER),
    ("interchange:", ADMIN),
    ("admin:", DJANGO_ADMIN),
    ("GET /api/v1/clients/", API_DOSSIER),
    ("GET /api/v1/network/clients/", API_DOSSIER),
    ("GET /api/v1/gpmi/", API_DOSSIER),
    ("GET /api/v1/activation/placements/", API_DOSSIER),
    # Writes: whoever may not write gets a refusal; the care team's writes are tested per app.
    ("POST ", API_WRITE),
    ("PUT ", API_WRITE),
    ("PATCH ", API_WRITE),
)


def expectation(key: str):
    if key in EXPECTED:
        return EXPECTED[key]
    for prefix, rule in DEFAULTS:
        if key.startswith(prefix):
            return rule
    return None


def web_urls():
    """(key, kwarg names) of every named URL outside the API operations (checked by schema)."""
    for name, _route, pattern in url_patterns():
        if pattern.callback.__module__ == "ninja.operation":
            continue
        if pattern.name is None:
            # Django's admin ends each model with an unnamed catch-all that redirects to the
            # named change view (checked below).
            assert name.startswith("admin:"), f"URL pattern {pattern} has no name: name it."
            continue
        yield name, list(pattern.pattern.regex.groupindex)


def api_operations():
    """(key, method, path template, path parameter names) of every API operation."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            yield f"{method.upper()} {path}", method, path, names


def test_every_url_has_an_expectation():
    keys = [key for key, _ in web_urls()] + [key for key, *_ in api_operations()]
    missing = [key for key in keys if expectation(key) is None]
    assert not missing, (
        "These URLs have no entry in the authorization matrix. Decide who may open each one and "
        "add it to EXPECTED (or DEFAULTS) in opstap/tests_security/test_authorization_matrix.py: "
        + ", ".join(missing)
    )


def test_expectations_name_only_existing_urls():
    keys = {key for key, _ in web_urls()} | {key for key, *_ in api_operations()}
    stale = sorted(set(EXPECTED) - keys)
    assert not stale, f"EXPECTED names URLs that no longer exist: {', '.join(stale)}"


# Nobody outside the care team may receive a client's INSZ, whatever page answers them 200.
CARE_TEAM = {"care", "head"}


def _leaks(response, persona: str, secrets: list[bytes]) -> bool:
    if persona in CARE_TEAM or response.status_code != 200 or response.streaming:
        return False
    return any(secret in response.content for secret in secrets)


def _check(http, persona, key, rule, has_objects, send, failures, secrets):
    response = send(http[persona])
    got = outcome(response)
    if _leaks(response, persona, secrets):
        failures.append(f"{key}: {persona} received a client's INSZ")
    if got not in rule.expected(persona, has_objects):
        expected = "/".join(sorted(rule.expected(persona, has_objects)))
        failures.append(f"{key}: {persona} got {got}, expected {expected} ({rule.name})")
    if rule.post_only and persona != "anonymous" and not rule.may_post(persona, has_objects):
        got = outcome(send(http[persona], post=True))
        if got not in {FORBIDDEN, NOT_FOUND, NOT_ALLOWED}:
            failures.append(f"{key}: POST by {persona} got {got}, expected a refusal")


@pytest.mark.django_db
def test_authorization_matrix(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = build_world()
    http = browsers(world)
    secrets = [insz.encode() for insz in cared_for_insz(world)]
    failures: list[str] = []
    for key, kwarg_names in web_urls():
        rule = expectation(key)
        if rule is None:
            continue  # reported by test_every_url_has_an_expectation
        url = reverse(key, kwargs=url_kwargs(key, kwarg_names, world.obj))
        url += QUERY[key](world.obj) if key in QUERY else ""
        has_objects = any(name not in NOT_OBJECTS for name in kwarg_names)

        def send(client, post=False, url=url):
            return client.post(url) if post else client.get(url)

        for persona in PERSONAS:
            _check(http, persona, key, rule, has_objects, send, failures, secrets)
    for key, method, path, names in api_operations():
        rule = expectation(key)
        if rule is None:
            continue
        url = path.format(**url_kwargs(key, names, world.obj))
        for persona in PERSONAS:
            if method == "get":
                response = http[persona].get(url)
            elif persona in rule.allowed and persona not in ("outsider", "outsider_admin"):
                continue  # the care team's writes are tested in each app's API tests
            else:
                response = http[persona].generic(method.upper(), url, "{}", "application/json")
            got = outcome(response)
            if _leaks(response, persona, secrets):
                failures.append(f"{key}: {persona} received a client's INSZ")
            if method == "get":
                allowed = rule.expected(persona, any(n not in NOT_OBJECTS for n in names))
            elif persona == "anonymous":
                allowed = {UNAUTHORIZED}
            else:
                # Refused: not found, forbidden, or the empty body refused before anything.
                allowed = {FORBIDDEN, NOT_FOUND, "422"}
            if got not in allowed:
                expected = "/".join(sorted(allowed))
                failures.append(f"{key}: {persona} got {got}, expected {expected} ({rule.name})")
    assert not failures, "Authorization matrix mismatches:\n" + "\n".join(failures)


def test_matrix_catches_an_open_dossier(monkeypatch):
    """The matrix is not blind: a dossier open to everyone would be reported."""
    rule = expectation("clients:detail")
    assert rule is DOSSIER
    assert rule.expected("colleague", True) == {NOT_FOUND}
    assert rule.expected("outsider", True) == {NOT_FOUND}
    assert rule.expected("anonymous", True) == {LOGIN}
    assert expectation("clients:some-new-page") is DOSSIER
    assert expectation("newapp:page") is None
