"""Production hardening: deploy checks, headers, cookies, no inline code, API rate limit, tokens."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from opstap.api.services import token_create, token_revoke
from opstap.core.security import DEFAULT_POLICY

BASE_DIR = Path(django_settings.BASE_DIR)
# The test run's own settings, which production does not have.
UNSET = {"DEBUG", "SECRET_KEY", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
PRODUCTION_ENV = {
    "HTTPS": "true",
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-secret-key-with-more-than-fifty-characters-0123456789",
    "ALLOWED_HOSTS": "opstap.example.be",
}


def _run_django(
    code_or_args: list[str], env: dict[str, str], tmp_path
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in UNSET}
    environ.update({"DJANGO_SETTINGS_MODULE": "config.settings", "OPSTAP_VAR_DIR": str(tmp_path)})
    environ.update(env)
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_settings(tmp_path, extra: dict[str, str] | None = None) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'X_FRAME_OPTIONS', "
        "'SESSION_COOKIE_HTTPONLY', 'DEBUG', 'EMAIL_HOST_PASSWORD')} | "
        "{'DB': s.DATABASES['default']['NAME']}))"
    )
    result = _run_django(["-c", code], {**PRODUCTION_ENV, **(extra or {})}, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_checks_are_clean_with_production_settings(tmp_path):
    result = _run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_fail_with_debug_on(tmp_path):
    """The deploy test is not blind: DEBUG on in production is reported."""
    env = {**PRODUCTION_ENV, "DEBUG": "true"}
    result = _run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_https_makes_cookies_secure_and_turns_on_hsts(tmp_path):
    values = _production_settings(tmp_path)
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DEBUG"] is False


def test_secrets_can_come_from_files(tmp_path):
    db_file = tmp_path / "database_url"
    db_file.write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    password_file = tmp_path / "smtp_password"
    password_file.write_text("s3cret-from-file\n")
    env = {"DATABASE_URL_FILE": str(db_file), "EMAIL_HOST_PASSWORD_FILE": str(password_file)}
    environ_without = {"DATABASE_URL": "", "EMAIL_HOST_PASSWORD": ""}
    values = _production_settings(tmp_path, {**environ_without, **env})
    assert values["DB"].endswith("from-file.sqlite3")
    assert values["EMAIL_HOST_PASSWORD"] == "s3cret-from-file"


def test_security_headers_on_a_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_csp_header_on_the_login_page_and_api(client):
    assert "Content-Security-Policy" in client.get(reverse("accounts:login")).headers
    assert "Content-Security-Policy" in client.get("/api/v1/accounts/me").headers
    assert DEFAULT_POLICY["frame-ancestors"] == "'none'"


# A <script> element that carries code (not a src, not JSON data), an on…= handler, an inline
# style attribute or element, or a javascript: URL.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
JS_URL = re.compile(r"""(href|action|src)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(html: str) -> list[str]:
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", HANDLER),
        ("style attribute", STYLE_ATTR),
        ("<style> element", STYLE_ELEMENT),
        ("javascript: URL", JS_URL),
    ]:
        found += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return found


def _templates():
    roots = [BASE_DIR / "opstap" / "templates", *(BASE_DIR / "opstap").glob("*/templates")]
    for root in roots:
        for path in root.rglob("*.html"):
            # Printed documents are rendered to PDF by WeasyPrint, never served to a browser.
            if "print" in path.name or path.name.endswith("_pdf.html") or "/pdf" in str(path):
                continue
            yield path


def test_no_template_has_inline_script_or_style():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(BASE_DIR)}: {hit}" for hit in inline_code(text)]
    assert not offenders, (
        "The Content Security Policy blocks inline code: move scripts to "
        "opstap/static/opstap/opstap.js (data- attributes, event delegation) and styles to "
        "opstap.css.\n" + "\n".join(offenders)
    )


def test_inline_code_detector_is_not_blind():
    assert inline_code('<select onchange="this.form.submit()">')
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<p style="color:red">')
    assert not inline_code('<script src="/static/opstap/opstap.js" defer></script>')
    assert not inline_code('<script type="application/json" id="x">{}</script>')


@pytest.mark.parametrize(
    "url_name, persona, needs_client",
    [
        ("core:home", "alice", False),
        ("clients:caseload", "alice", False),
        ("clients:detail", "alice", True),
        ("clients:journal", "alice", True),
        ("api_tokens:token-list", "alice", False),
        ("accounts:admin-home", "adam", False),
        ("accounts:admin-audit", "adam", False),
        ("reports:index", "maria", False),
        ("network:organisation-list", "alice", False),
        ("courses:module-list", "alice", False),
        ("accounts:login", None, False),
    ],
)
def test_main_pages_render_without_inline_code(
    request, client, client_record, url_name, persona, needs_client
):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    kwargs = {"pk": client_record.pk} if needs_client else {}
    response = client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    html = response.content.decode()
    assert not inline_code(html), inline_code(html)
    assert "opstap/opstap.js" in html or url_name == "accounts:login"


def test_timeline_filter_submits_through_the_static_script(client, alice, client_record):
    client.force_login(alice)
    html = client.get(reverse("clients:detail", kwargs={"pk": client_record.pk})).content.decode()
    assert 'id="kind" data-autosubmit' in html
    script = (BASE_DIR / "opstap" / "static" / "opstap" / "opstap.js").read_text()
    assert "data-autosubmit" in script


# API rate limit ------------------------------------------------------------------------------


@pytest.fixture
def limited(settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = 3
    yield
    cache.clear()


def test_api_rate_limit_answers_429_with_retry_after(client, alice, limited):
    _token, key = token_create(actor=alice, name="script", days=5)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    codes = [client.get("/api/v1/accounts/me", **auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/accounts/me", **auth)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_api_rate_limit_counts_each_caller_apart(client, alice, bob, limited):
    _t, key_a = token_create(actor=alice, name="a", days=5)
    _t, key_b = token_create(actor=bob, name="b", days=5)
    for _ in range(3):
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key_a}")
    assert (
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key_a}").status_code == 429
    )
    assert (
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key_b}").status_code == 200
    )
    # Pages are not limited.
    client.force_login(alice)
    assert all(client.get(reverse("core:home")).status_code == 200 for _ in range(5))


def test_api_rate_limit_for_anonymous_callers_by_address(client, limited):
    codes = [client.get("/api/v1/accounts/me").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


# API tokens: revoked and expired tokens are refused -------------------------------------------


def test_revoked_token_is_refused(client, alice):
    token, key = token_create(actor=alice, name="ci", days=5)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/accounts/me", **auth).status_code == 200
    token_revoke(actor=alice, token=token)
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401


def test_expired_token_is_refused(client, alice):
    token, key = token_create(actor=alice, name="old", days=5)
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_login_lockout_after_repeated_failures(client, alice, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong-password"})
    alice.refresh_from_db()
    assert alice.is_locked
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": django_settings_password()}
    )
    assert response.status_code == 200  # the form again, not a redirect into the app
    assert "_auth_user_id" not in client.session


def django_settings_password() -> str:
    from opstap.factories import TEST_PASSWORD

    return TEST_PASSWORD
