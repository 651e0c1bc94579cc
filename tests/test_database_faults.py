"""When PostgreSQL stops during requests, the portal answers with its translated 503 page and recovers by itself.

The first tests break the database connection inside this process (a view's query, a middleware's session, the
health check). The last one stops a real PostgreSQL under a running gunicorn: a disposable cluster of its own
(initdb + pg_ctl, as the `postgres` OS user when the tests run as root), so that stopping it disturbs nothing else.
"""

import http.client
import json
import logging
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from benchmarks.pages import Server, free_port
from tests.databases import server_environment

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("INTYMAK_PG_BIN", "/usr/lib/postgresql/15/bin"))

# What the 503 page says, in each language.
UNAVAILABLE = {
    "ky": "Портал убактылуу иштебей турат",
    "ru": "Портал временно недоступен",
    "en": "The portal is temporarily unavailable",
}
EXPLANATION = {
    "ky": "Портал азыр өзүнүн маалымат базасына туташа албай жатат",
    "ru": "Портал сейчас не может связаться со своей базой данных",
    "en": "The portal cannot reach its database at the moment",
}
# What must never reach a visitor: a traceback, SQL, the driver's message.
LEAKS = ("Traceback", "OperationalError", "SELECT", "psycopg", "Connection refused", "connection to server")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/intymak[^"]*\.css)">')


def _assert_unavailable_page(status, headers, body, language):
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert UNAVAILABLE[language] in body and EXPLANATION[language] in body
    assert f'<html lang="{language}">' in body
    assert STYLESHEET.search(body)  # styled like every page
    for leak in LEAKS:
        assert leak not in body


# In this process: the connection fails wherever the database is first touched -------------------------------


@pytest.fixture
def database_down():
    """Every query fails as when PostgreSQL has stopped: opening the connection raises OperationalError."""
    error = OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?"
    )
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=error) as broken:
        yield broken


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_a_view_that_cannot_reach_the_database_answers_503_in_the_page_language(client, database_down, language):
    response = client.get(f"/{language}/initiatives/")
    assert database_down.called
    body = response.content.decode()
    _assert_unavailable_page(response.status_code, response, body, language)
    assert response["Content-Language"] == language
    assert "no-store" in response["Cache-Control"]
    # The outermost middleware still adds the security headers.
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_middleware_that_cannot_reach_the_database_answers_503_too(database_down):
    """A session cookie makes the session middleware's user lookup the first query, before any view."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/ru/regions/")
    assert database_down.called
    _assert_unavailable_page(response.status_code, response, response.content.decode(), "ru")


def test_a_page_without_language_in_its_address_uses_the_browsers(database_down):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/sitemap.xml")
    _assert_unavailable_page(response.status_code, response, response.content.decode(), "ru")


def test_the_error_is_logged_without_credentials(client, caplog):
    error = OperationalError('connection to "postgres://intymak:s3cret-pass@db:5432/intymak" failed: password=s3cret')
    with caplog.at_level(logging.ERROR, logger="intymak.unavailable"):
        with mock.patch.object(connections["default"], "ensure_connection", side_effect=error):
            response = client.get("/en/about/")
    assert response.status_code == 503
    logged = [record for record in caplog.records if record.name == "intymak.unavailable"]
    assert len(logged) == 1
    message = logged[0].getMessage()
    assert "OperationalError" in message and "/en/about/" in message
    assert "s3cret" not in message


def test_other_errors_still_get_the_500_page(client):
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=ValueError("a bug")):
        client.raise_request_exception = False
        response = client.get("/en/initiatives/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_health_check_still_answers_json(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_with_debug_on_developers_get_djangos_debug_page(client, database_down, settings):
    settings.DEBUG = True
    client.raise_request_exception = False
    response = client.get("/en/initiatives/")
    assert response.status_code == 500


# A real PostgreSQL that stops and starts under a running gunicorn -------------------------------------------


class Cluster:
    """A disposable PostgreSQL cluster on a free port of 127.0.0.1, in a temporary directory, with trust auth."""

    def __init__(self, work):
        self.port = free_port()
        self.data = work / "data"
        self.log = work / "postgresql.log"
        # initdb refuses to run as root: then the cluster belongs to the `postgres` OS user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            postgres = pwd.getpwnam("postgres")
            os.chown(work, postgres.pw_uid, postgres.pw_gid)
        self._run(
            PG_BIN / "initdb",
            "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.start()

    def _run(self, *command, timeout=120):
        command = [*self.as_user, *map(str, command)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent} -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")

    def stop(self):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")

    def running(self):
        result = subprocess.run(
            [*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"], capture_output=True
        )
        return result.returncode == 0

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def _cluster_problem():
    for program in ("initdb", "pg_ctl"):
        if not (PG_BIN / program).exists():
            return f"PostgreSQL's {program} is not in {PG_BIN} (set INTYMAK_PG_BIN to its directory)"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root, and initdb refuses root: runuser is needed to run it as `postgres`"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and initdb refuses root: there is no `postgres` OS user to run it as"
    return None


def _manage(env, *command):
    result = subprocess.run(
        [sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(command)}:\n{result.stdout}\n{result.stderr}"


def _get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def _workers(pid):
    """The process ids of a gunicorn master's workers (Linux)."""
    try:
        return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return None


@pytest.fixture
def cluster():
    problem = _cluster_problem()
    if problem:
        pytest.skip(problem)
    work = Path(tempfile.mkdtemp(prefix="intymak-pg-fault-"))
    cluster = None
    try:
        cluster = Cluster(work)
        yield cluster
    finally:
        if cluster is not None and cluster.running():
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def portal(cluster, tmp_path):
    """The newsletter's data in the cluster, served by one gunicorn with the page cache off."""
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("CREATE DATABASE intymak_faults")
    admin.close()
    env = server_environment(
        cluster.url("intymak_faults"),
        tmp_path / "static",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        INTYMAK_PAGE_CACHE_SECONDS="0",
    )
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "load_newsletter")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    server = Server(env, workers=1, log_path=tmp_path / "gunicorn.log")
    try:
        yield server
    finally:
        server.stop()


def test_when_postgresql_stops_pages_answer_503_and_come_back_when_it_starts(cluster, portal):
    port = portal.port
    status, _headers, body = _get(port, "/en/initiatives/")
    assert status == 200 and "initiative" in body.lower()
    workers = _workers(portal.process.pid)

    cluster.stop()
    for language, path in (("ky", "/ky/"), ("ru", "/ru/regions/"), ("en", "/en/initiatives/")):
        status, headers, body = _get(port, path)
        _assert_unavailable_page(status, headers, body, language)
    # The session lookup in a middleware, before any view, meets the stopped database too.
    status, headers, body = _get(port, "/ky/about/", {"Cookie": "sessionid=" + "x" * 32})
    _assert_unavailable_page(status, headers, body, "ky")
    # The page's stylesheet is still served, so the 503 page looks like the portal.
    assert _get(port, STYLESHEET.search(body).group(1))[0] == 200
    status, _headers, body = _get(port, "/healthz")
    assert status == 503
    assert json.loads(body)["database"].startswith("error: ")
    log = Path(portal.log_path).read_text(errors="replace")
    assert "The database is unavailable" in log and "OperationalError" in log

    cluster.start()
    deadline = time.monotonic() + 15
    while (status := _get(port, "/en/initiatives/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200
    assert _get(port, "/ru/")[0] == 200
    assert json.loads(_get(port, "/healthz")[2])["database"] == "ok"
    # Recovered by itself: the same gunicorn, with the same worker, never restarted.
    assert portal.process.poll() is None
    assert workers is None or _workers(portal.process.pid) == workers
