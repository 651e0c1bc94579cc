"""Two app servers behind one address: two gunicorns on two ports, against the same PostgreSQL and Redis.

A session started on one is valid on the other, a change saved through one is shown by the other on the next
request, and failed sign-ins counted on one lock the account out on the other. The servers are other processes:
the test's data is committed (transactional_db) in the test database, whose name is read from the connection.
"""

import html
import http.cookiejar
import importlib.util
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from axes.helpers import make_cache_key_list
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.db import connection

from benchmarks.pages import Server
from grants.models import Grant
from tests.databases import database_url, server_environment
from tests.factories import GrantFactory
from tests.forms import form_fields

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/13"
# The servers' keys in that Redis database carry a prefix of this run's own, so that another run of the suite on
# the same machine (another checkout, CI beside a developer) neither sees nor wipes them.
KEY_PREFIX = f"intymak-tests-{uuid.uuid4().hex[:12]}"
PASSWORD = "a-long-test-password-42"
FAILURE_LIMIT = 3
LOCKED_OUT = "Too many failed sign-in attempts for this account from your address"

# One worker runs the whole module (`make test` passes --dist loadgroup): two servers are enough for every test,
# and each worker's import of the module would otherwise start its own pair.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("multi-server")]


def _problem():
    if connection.vendor != "postgresql":
        return "needs the test database on PostgreSQL (DATABASE_URL=postgres://...): SQLite is not shared by servers"
    if importlib.util.find_spec("gunicorn") is None:
        return "needs gunicorn"
    if importlib.util.find_spec("redis") is None:
        return "needs the `redis` Python package"
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"needs Redis on 127.0.0.1:6379 ({type(error).__name__}: {error})"
    return None


def _environment(static_root):
    return server_environment(
        database_url(),
        static_root,
        REDIS_URL=REDIS_URL,
        INTYMAK_CACHE_KEY_PREFIX=KEY_PREFIX,
        INTYMAK_PAGE_CACHE_SECONDS="600",
        INTYMAK_SIGNIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
    )


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Servers A and B, for every test of the module (each test's data is its own: transactional_db)."""
    problem = _problem()
    if problem:
        pytest.skip(problem)
    work = tmp_path_factory.mktemp("servers")
    env = _environment(work / "static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    started = []
    try:
        for name in ("a", "b"):
            started.append(Server(env, workers=1, log_path=work / f"gunicorn-{name}.log"))
        yield started
    finally:
        for server in started:
            server.stop()
        shutil.rmtree(work / "static", ignore_errors=True)


@pytest.fixture
def redis_db(servers):
    """The servers' Redis database, with none of their keys at the start and the end of each test."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)

    def forget():
        for key in client.scan_iter(match=f"{KEY_PREFIX}:*", count=1000):
            client.delete(key)

    forget()
    yield client
    forget()
    client.close()


@pytest.fixture
def people(redis_db, settings, django_user_model):
    """A donor and a superuser, with passwords the servers can check (the suite's fast hasher is not theirs)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    donor = django_user_model.objects.create_user("donor", "donor@example.org", PASSWORD)
    donor.user_permissions.add(Permission.objects.get(codename="view_reports", content_type__app_label="grants"))
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    return {"donor": donor, "admin": admin}


# A browser without a browser: cookies, forms, no redirects followed -----------------------------------------


@dataclass
class Page:
    status: int
    headers: object
    text: str

    def header(self, name):
        return self.headers.get(name)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One visitor's cookies, sent to either server: both answer at 127.0.0.1, as behind one load balancer."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects)

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def open(self, server, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=body)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Page(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                return Page(error.code, error.headers, error.read().decode())

    def submit(self, server, path, form_id=None, **changes):
        """GET a page, fill in its form as a browser would (its current values, CSRF token included), POST it."""
        page = self.open(server, path)
        assert page.status == 200, (path, page.status)
        data = form_fields(page.text, form_id)
        data.update({name: [value] for name, value in changes.items()})
        if form_id and form_id.endswith("_form"):
            data["_save"] = ["1"]  # the button this visitor presses on an admin page
        return self.open(server, path, data)

    def sign_in(self, server, username, password, language="en"):
        return self.submit(server, f"/{language}/accounts/login/", username=username, password=password)


def _title(page):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


# The checks ---------------------------------------------------------------------------------------------------


def test_a_session_started_on_one_server_is_valid_on_the_other(servers, people):
    a, b = servers
    donor = Visitor()
    response = donor.sign_in(a, "donor", PASSWORD)
    assert response.status == 302 and response.header("Location") == "/en/reports/", response.text[:2000]
    assert donor.cookie("sessionid")

    reports = donor.open(b, "/en/reports/")
    assert reports.status == 200, (reports.status, reports.header("Location"))
    assert "/accounts/login/" not in (reports.header("Location") or "")
    # And someone without the cookie is sent to sign in by the same server.
    assert Visitor().open(b, "/en/reports/").status == 302


def test_a_change_saved_through_one_server_is_shown_by_the_other_on_the_next_request(servers, people):
    a, b = servers
    grant = GrantFactory(title_en="Water for two villages")
    path = f"/en/initiatives/{grant.slug}/"
    anonymous = Visitor()
    first = anonymous.open(b, path)
    second = anonymous.open(b, path)
    assert (first.status, second.status) == (200, 200)
    assert first.header("X-Page-Cache") == "miss" and second.header("X-Page-Cache") == "hit"
    assert _title(second) == "Water for two villages"

    # Staff change the title in the admin of the other server, as in a browser: CSRF token, edited_version and all.
    staff = Visitor()
    assert staff.sign_in(a, "admin", PASSWORD).status == 302
    saved = staff.submit(
        a, f"/en/admin/grants/grant/{grant.pk}/change/", form_id="grant_form", title_en="Water for three villages"
    )
    assert saved.status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', saved.text, re.S)
    assert Grant.objects.get(pk=grant.pk).title_en == "Water for three villages"

    after = anonymous.open(b, path)
    assert after.status == 200
    assert after.header("X-Page-Cache") == "miss"
    assert _title(after) == "Water for three villages"
    assert anonymous.open(b, path).header("X-Page-Cache") == "hit"


def test_failed_sign_ins_counted_on_one_server_lock_the_account_on_the_other(servers, people, redis_db):
    a, b = servers
    visitor = Visitor()
    for attempt in range(1, FAILURE_LIMIT + 1):
        response = visitor.sign_in(a, "donor", "not-the-password-at-all")
        assert response.status == (429 if attempt == FAILURE_LIMIT else 200), attempt
        assert not visitor.cookie("sessionid")
    # The count lives in the shared Redis (Django's keys: "<prefix>:<version 1>:<key>"), not in the database.
    (key,) = make_cache_key_list([{"username": "donor", "ip_address": "127.0.0.1"}])
    assert int(redis_db.get(f"{KEY_PREFIX}:1:{key}")) == FAILURE_LIMIT
    assert not AccessAttempt.objects.exists()

    refused = visitor.sign_in(b, "donor", PASSWORD)
    assert refused.status == 429
    assert LOCKED_OUT in html.unescape(refused.text)
    assert not visitor.cookie("sessionid")
    # Another account from the same address is not affected.
    assert Visitor().sign_in(b, "admin", PASSWORD).status == 302
    # The refused attempt counted too, on the other server, in the same place.
    assert int(redis_db.get(f"{KEY_PREFIX}:1:{key}")) == FAILURE_LIMIT + 1


def test_static_files_have_hashed_names_and_long_lifetimes_on_every_server(servers):
    a, b = servers
    home = Visitor().open(a, "/en/")
    (stylesheet,) = re.findall(r'<link rel="stylesheet" href="(/static/css/intymak\.[0-9a-f]{12}\.css)">', home.text)
    for server in (a, b):
        response = Visitor().open(server, stylesheet)
        assert response.status == 200 and "text/css" in response.header("Content-Type")
        # whitenoise: ten years for files whose name changes with their content.
        assert response.header("Cache-Control") == "max-age=315360000, public, immutable"
    # The unhashed name is served too, but must be revalidated.
    plain = Visitor().open(b, "/static/css/intymak.css")
    assert plain.status == 200 and "immutable" not in plain.header("Cache-Control")
