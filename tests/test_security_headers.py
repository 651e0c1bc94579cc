"""Every response carries the security headers; pages run no inline code; errors and logs give nothing away."""

import io
import logging
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from intymak import urls as site_urls
from intymak.security import ScrubSecretsFilter
from locations.models import Region
from tests.factories import GrantFactory, GrantUpdateFactory, MediatorFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Signing in dozens of times with the production hasher would take minutes; the rules under test are the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "a-secret-password-41"
SESSION_KEY = "k3yofasessionthatmustneverbelogged"


def _explode(request):
    # A careless error message that quotes the form and the cookies, as third-party code sometimes does.
    raise RuntimeError(f"could not handle {request.POST!r} with cookies {request.COOKIES!r}")


# This module is also a URLconf for the tests of error pages: the portal's addresses plus one that fails.
urlpatterns = [path("explode/", _explode), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def assert_security_headers(response):
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 302),  # the redirect to the visitor's language
        ("/ky/", 200),
        ("/ru/initiatives/?q=%3Cscript%3E", 200),
        ("/en/no-such-page/", 404),
        ("/ky/accounts/login/", 200),
        ("/ky/admin/", 302),
        ("/ky/admin/login/", 200),
        ("/ky/reports/", 302),
        ("/robots.txt", 200),
        ("/sitemap.xml", 200),
        ("/healthz", 200),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


def test_admin_pages_for_staff_carry_the_security_headers(admin_client):
    response = admin_client.get("/ky/admin/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_page_from_the_cache_carries_the_security_headers_too(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    grant = GrantFactory()
    url = f"/ky/initiatives/{grant.slug}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert_security_headers(cached)


INLINE_CODE = [
    re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),  # inline script
    re.compile(r"<style\b", re.I),  # a style block
    re.compile(r"<[^>]+\sstyle=", re.I),  # a style attribute
    re.compile(r"<[^>]+\son[a-z]+=", re.I),  # an event handler attribute (onclick=...)
    re.compile(r"javascript:", re.I),
]


def _inline_code(page):
    return [match.group(0)[:120] for pattern in INLINE_CODE for match in pattern.finditer(page)]


def test_public_pages_need_no_inline_scripts_or_styles(client, programme):
    """The policy allows only the portal's own files: a page with inline code would break under it."""
    grant = GrantFactory(program=programme)
    GrantUpdateFactory(grant=grant)
    mediator = MediatorFactory(location__region=grant.region)
    urls = [
        "/ky/",
        "/ky/regions/",
        f"/ky/regions/{grant.region.slug}/",
        "/ky/initiatives/",
        f"/ky/initiatives/{grant.slug}/",
        f"/ky/organizations/{grant.recipient.slug}/",
        "/ky/mediators/",
        f"/ky/mediators/{mediator.slug}/",
        "/ky/mediators/network/",
        "/ky/mediators/coverage/",
        "/ky/about/",
        "/ky/accounts/login/",
        "/ky/no-such-page/",
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if inline := _inline_code(response.content.decode()):
            found[url] = inline
    assert found == {}


def test_admin_pages_need_no_inline_scripts_or_styles(admin_client, superuser):
    """The admin runs under the same policy ('self' only): its pages, including the translation tabs, use files.

    (Django's change list adds a <style> block only when a model admin turns off both action bars; none does.)
    """
    region = RegionFactory()
    urls = [
        "/ky/admin/",
        "/ky/admin/password_change/",
        reverse("admin:auth_user_change", args=[superuser.pk]),
        "/ky/admin/auth/user/add/",
    ]
    with translation.override("ky"):
        for model in admin.site._registry:
            if model._meta.app_label in {"locations", "grants", "mediators", "otp_totp", "axes"}:
                prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
                urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        urls.append(reverse("admin:locations_region_change", args=[region.pk]))
    found = {}
    for url in urls:
        response = admin_client.get(url)
        if response.status_code != 200:  # e.g. axes' logs, which cannot be added by hand
            continue
        if inline := _inline_code(response.content.decode()):
            found[url] = inline
    assert found == {}


def test_the_error_page_shows_no_traceback(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "RuntimeError" not in page and "could not handle" not in page
    assert "<h1>" in page
    assert_security_headers(response)


@pytest.fixture
def log_stream():
    """What the portal's own log handler (the one with the scrubbing filter) writes, while the test runs."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, ScrubSecretsFilter) for f in handler.filters)
    ]
    assert handlers, "LOGGING has no handler with the ScrubSecretsFilter"
    stream = io.StringIO()
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_logs_of_a_failing_post_carry_no_password_or_session_key(client, settings, caplog, log_stream):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.cookies["sessionid"] = SESSION_KEY
    with caplog.at_level(logging.DEBUG):
        # /explode/ is this module's view that always fails (no page has its form): the secrets are posted by hand.
        response = client.post("/explode/", {"username": "aigul", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 500
    logged = caplog.text + log_stream.getvalue()
    assert "Internal Server Error: /explode/" in logged  # the error itself is logged, with its traceback
    assert "could not handle" in logged
    assert PASSWORD not in logged
    assert SESSION_KEY not in logged


def test_the_scrubbing_filter_masks_cookie_headers_and_query_strings():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "GET %s Cookie: %s", ("/x?password=hunter22&page=2", ""), None
    )
    record.args = ("/x?password=hunter22&page=2", f"csrftoken=abc123; sessionid={SESSION_KEY}; theme=dark")
    ScrubSecretsFilter().filter(record)
    message = record.getMessage()
    assert "hunter22" not in message and SESSION_KEY not in message and "abc123" not in message
    assert "page=2" in message and "theme=dark" in message


def test_a_sign_in_post_without_a_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ky/accounts/login/", {"username": "admin", "password": "a-long-test-password-42"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_admin_change_without_a_csrf_token_is_refused_and_changes_nothing(superuser):
    region = RegionFactory(name_en="Before")
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    url = reverse("admin:locations_region_change", args=[region.pk])
    response = client.post(url, {"name_en": "After", "slug": region.slug, "coate": region.coate, "order": 1})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name_en == "Before"
    assert Region.objects.filter(name_en="After").count() == 0
