"""With the production environment of the README, Django's deployment checks pass and the portal is locked down.

Settings are read once per process, so each case starts the portal's own `manage.py` or Python in a subprocess
with that environment.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Everything the README's "Production settings" asks for (REDIS_URL and DATABASE_URL are the deployment's own).
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "intymak.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "intymak.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://intymak.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
    "DJANGO_BEHIND_PROXY": "1",
    "INTYMAK_REQUIRE_2FA": "1",
}


def _run(args, **environment):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "INTYMAK_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_deployment_checks_pass_with_the_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_without_them_the_deployment_checks_complain():
    """The check is a real one: the development defaults do not pass it."""
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_production_refuses_to_start_without_a_secret_key():
    environment = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = _run(["manage.py", "check"], **environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="intymak.example.org")
secure = client.get("/robots.txt", secure=True)
plain = client.get("/robots.txt")
health = client.get("/healthz")
print(json.dumps({
    "debug": settings.DEBUG,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "require_2fa": settings.REQUIRE_2FA,
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "csp": secure.headers.get("Content-Security-Policy"),
    "frame": secure.headers.get("X-Frame-Options"),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "health_status": health.status_code,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("cache"))
    result = _run(["-c", PROBE], **PRODUCTION, DATABASE_URL="sqlite:///:memory:", DJANGO_CACHE_DIR=cache)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure(production):
    assert production["debug"] is False
    assert production["session_cookie_secure"] and production["csrf_cookie_secure"]
    assert production["session_cookie_httponly"]
    assert production["require_2fa"]


def test_production_responses_carry_hsts_and_the_content_security_policy(production):
    assert production["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in production["csp"]
    assert production["frame"] == "DENY"


def test_plain_http_is_sent_to_https_except_the_health_check(production):
    assert production["plain_status"] == 301
    assert production["plain_location"] == "https://intymak.example.org/robots.txt"
    # Load balancers probe over plain HTTP: the health check answers them (the in-memory database is empty but there).
    assert production["health_status"] == 200
