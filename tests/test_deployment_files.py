"""The reference deployment (docker-compose.yml, Dockerfile, deploy/nginx/) holds together.

No container engine runs on the development machines or in CI, so these files are read rather than run: the
services refer to each other by the right names, ports and conditions, the portal is given only variables that its
settings read, and nginx sends requests to the port gunicorn listens on.
"""

import json
import re
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is in the test extras: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORTAL_SERVICES = ("migrate", "web")
SETTINGS_TEXT = (ROOT / "intymak" / "settings.py").read_text()
DOCKERFILE_TEXT = (ROOT / "Dockerfile").read_text()
NGINX = ROOT / "deploy" / "nginx"

# Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; $$ is a $.
INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
# What an operator's .env would hold for the required variables.
SAMPLE_ENVIRONMENT = {"DJANGO_SECRET_KEY": "a-secret-key-for-the-test", "POSTGRES_PASSWORD": "0123456789abcdef"}

# The keys a service may have (the Compose specification's): anything else is a typo that compose would reject.
SERVICE_KEYS = {
    "build", "command", "container_name", "cpus", "depends_on", "deploy", "entrypoint", "env_file", "environment",
    "expose", "extra_hosts", "healthcheck", "hostname", "image", "init", "labels", "logging", "mem_limit",
    "networks", "profiles", "ports", "pull_policy", "read_only", "restart", "secrets", "shm_size",
    "stop_grace_period", "stop_signal", "tmpfs", "ulimits", "user", "volumes", "working_dir",
}  # fmt: skip


def interpolate(value, environment=SAMPLE_ENVIRONMENT):
    """The value as compose would pass it, with `environment` as the operator's variables."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = environment.get(name)
        if op in (":?", "?") and (current is None or (op == ":?" and current == "")):
            raise LookupError(f"{name} is required: {arg}")
        if op in (":-", "-") and (current is None or (op == ":-" and current == "")):
            return arg
        return current or ""

    return INTERPOLATION.sub(replace, str(value))


def variables_used(value):
    return {match.group("name") for match in INTERPOLATION.finditer(str(value)) if match.group("name")}


def environment_of(service):
    environment = SERVICES[service].get("environment", {})
    assert isinstance(environment, dict), f"{service}: environment as a mapping, so that the anchor can be shared"
    return environment


def gunicorn_command():
    """The web service's command: compose's `command`, or else the Dockerfile's CMD (with `sh -c` unwrapped)."""
    command = SERVICES["web"].get("command")
    if command is None:
        lines = [line for line in DOCKERFILE_TEXT.splitlines() if line.startswith("CMD ")]
        assert len(lines) == 1, "one CMD in the Dockerfile"
        command = json.loads(lines[0][len("CMD ") :])
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        command = shlex.split(command[2])
    if command[0] == "exec":
        command = command[1:]
    return command


def option(command, name):
    values = [command[i + 1] for i, word in enumerate(command) if word == name]
    values += [word.split("=", 1)[1] for word in command if word.startswith(name + "=")]
    assert len(values) == 1, f"{name} given once in {command}"
    return values[0]


def gunicorn_port():
    return int(option(gunicorn_command(), "--bind").rsplit(":", 1)[1])


def gunicorn_timeout():
    return int(option(gunicorn_command(), "--timeout"))


# nginx's configuration, parsed: directives with their arguments and, for blocks, the directives inside.


@dataclass
class Directive:
    name: str
    args: list
    block: list | None = None


NGINX_TOKEN = re.compile(r"#[^\n]*|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};\"'#]+")


def parse_nginx(text):
    tokens = [token for token in NGINX_TOKEN.findall(text) if not token.startswith("#")]
    position = 0

    def block():
        nonlocal position
        directives = []
        while position < len(tokens):
            if tokens[position] == "}":
                position += 1
                return directives
            words = []
            while tokens[position] not in (";", "{", "}"):
                words.append(tokens[position].strip("\"'"))
                position += 1
            assert words, f"a directive before {tokens[position]!r}"
            position += 1
            if tokens[position - 1] == "{":
                directives.append(Directive(words[0], words[1:], block()))
            else:
                assert tokens[position - 1] == ";", f"{words[0]} ends with ;"
                directives.append(Directive(words[0], words[1:]))
        return directives

    directives = block()
    assert position == len(tokens), "braces balance"
    return directives


def nginx_mounts():
    """Where the nginx service mounts the repository's folders: {path in the container: folder here}."""
    mounts = {}
    for volume in SERVICES["nginx"]["volumes"]:
        source, target = volume.split(":")[:2]
        mounts[target] = (ROOT / source).resolve()
    return mounts


def nginx_file(path_in_container):
    for target, source in nginx_mounts().items():
        if path_in_container.startswith(target + "/"):
            return source / path_in_container[len(target) + 1 :]
    raise AssertionError(f"{path_in_container} is not in a folder mounted into the nginx service")


def expand_includes(directives):
    expanded = []
    for directive in directives:
        if directive.name == "include":
            expanded += expand_includes(parse_nginx(nginx_file(directive.args[0]).read_text()))
        elif directive.block is not None:
            expanded.append(Directive(directive.name, directive.args, expand_includes(directive.block)))
        else:
            expanded.append(directive)
    return expanded


def start_script_includes():
    """The http-level files start.sh puts into conf.d: the shared one, and the site chosen by the certificates."""
    script = (NGINX / "start.sh").read_text()
    shared = re.findall(r"^include (/etc/nginx/intymak/[\w.-]+\.conf);$", script, re.MULTILINE)
    sites = re.findall(r"^\s*site=([\w.-]+\.conf)$", script, re.MULTILINE)
    assert shared and len(sites) == 2, "start.sh includes the shared file and one of two sites"
    return shared, sites


def nginx_configurations():
    """The http context nginx runs with, for each of start.sh's two choices: {site file: directives}."""
    shared, sites = start_script_includes()
    configurations = {}
    for site in sites:
        includes = [*shared, f"/etc/nginx/intymak/{site}"]
        configurations[site] = expand_includes([Directive("include", [path]) for path in includes])
    return configurations


def find(directives, name):
    return [directive for directive in directives if directive.name == name]


def one(directives, name):
    found = find(directives, name)
    assert len(found) == 1, f"one {name}, found {len(found)}"
    return found[0]


def walk(directives):
    for directive in directives:
        yield directive
        if directive.block is not None:
            yield from walk(directive.block)


def location(server, path):
    for directive in find(server.block, "location"):
        if directive.args[-1] == path:
            return directive
    raise AssertionError(f"no location {path} in the server listening on {find(server.block, 'listen')[0].args}")


def listens(server):
    return {int(listen.args[0].rsplit(":", 1)[-1]) for listen in find(server.block, "listen")}


# docker-compose.yml


def test_services_use_only_keys_that_compose_knows():
    for name, service in SERVICES.items():
        assert set(service) <= SERVICE_KEYS, f"{name}: unknown keys {set(service) - SERVICE_KEYS}"
    assert set(COMPOSE) <= {"services", "volumes", "networks", "secrets", "configs", "name"} | {
        key for key in COMPOSE if key.startswith("x-")
    }


def test_every_dependency_is_a_defined_service_with_a_sensible_condition():
    expected = {
        "db": "service_healthy",
        "redis": "service_healthy",
        "migrate": "service_completed_successfully",
        "web": "service_healthy",
    }
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on with conditions, not a bare list"
        for dependency, how in depends_on.items():
            assert dependency in SERVICES, f"{name} depends on {dependency}, which is not a service"
            assert dependency != name
            assert how["condition"] == expected[dependency], f"{name} -> {dependency}"
            if how["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[dependency], f"{dependency} has no health check to wait for"
    assert set(SERVICES["web"]["depends_on"]) == {"db", "redis", "migrate"}
    assert set(SERVICES["migrate"]["depends_on"]) == {"db", "redis"}
    assert set(SERVICES["nginx"]["depends_on"]) == {"web"}


def test_the_database_and_the_cache_are_healthy_before_anyone_uses_them():
    db = SERVICES["db"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_the_portal_finds_the_database_and_the_cache_by_their_service_names():
    database = {name: interpolate(value) for name, value in SERVICES["db"]["environment"].items()}
    for service in PORTAL_SERVICES:
        environment = environment_of(service)
        url = urlsplit(interpolate(environment["DATABASE_URL"]))
        assert url.scheme in ("postgres", "postgresql")
        assert (url.hostname, url.port) == ("db", 5432)
        assert url.path == "/" + database["POSTGRES_DB"]
        assert url.username == database["POSTGRES_USER"]
        assert url.password == database["POSTGRES_PASSWORD"] == SAMPLE_ENVIRONMENT["POSTGRES_PASSWORD"]

        redis = urlsplit(interpolate(environment["REDIS_URL"]))
        assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)
    # The backup tool reads the same database.
    assert SERVICES["backup"]["environment"]["DATABASE_URL"] == environment_of("web")["DATABASE_URL"]


def test_the_secrets_are_required_not_defaulted():
    for service in PORTAL_SERVICES:
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", environment_of(service)["DJANGO_SECRET_KEY"])
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]+\}", SERVICES["db"]["environment"]["POSTGRES_PASSWORD"])
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"):
        assert re.search(rf"\$\{{{name}:?-", text) is None, f"{name} has a default"
        with pytest.raises(LookupError, match=name):
            interpolate(text, {key: value for key, value in SAMPLE_ENVIRONMENT.items() if key != name})
        with pytest.raises(LookupError, match=name):
            interpolate(text, {**SAMPLE_ENVIRONMENT, name: ""})


def test_the_portal_is_given_only_variables_its_settings_read():
    """A misspelt name (DJANGO_SECURE_COOKIE) would be ignored by the portal without a word: it fails here."""
    for service in PORTAL_SERVICES:
        for name in environment_of(service):
            read_by_settings = re.search(rf"[\"']{name}[\"']", SETTINGS_TEXT)
            read_by_the_image = re.search(rf"\$\{{{name}[:}}]", DOCKERFILE_TEXT)
            assert read_by_settings or read_by_the_image, f"{service}: nothing reads {name}"
    assert environment_of("migrate") == {
        name: value for name, value in environment_of("web").items() if not name.startswith("GUNICORN_")
    }, "the migrate step and the web replicas share one environment (the anchor)"


def test_the_portal_runs_in_production_mode_behind_nginx():
    environment = {name: interpolate(value) for name, value in environment_of("web").items()}
    assert environment["DJANGO_DEBUG"] == "0"
    assert environment["DJANGO_BEHIND_PROXY"] == "1"
    assert environment["DJANGO_PROXY_COUNT"] == "1"
    # A first run over plain HTTP works; with TLS the operator turns these on (README, "With containers").
    assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert environment["DJANGO_SECURE_COOKIES"] == "0"
    assert int(environment["DJANGO_HSTS_SECONDS"]) >= 31536000
    with_tls = {**SAMPLE_ENVIRONMENT, "DJANGO_SECURE_SSL_REDIRECT": "1", "DJANGO_SECURE_COOKIES": "1"}
    assert interpolate(environment_of("web")["DJANGO_SECURE_COOKIES"], with_tls) == "1"
    assert interpolate(environment_of("web")["DJANGO_SECURE_SSL_REDIRECT"], with_tls) == "1"


def test_the_example_environment_names_every_variable_the_compose_file_reads():
    example = (ROOT / "deploy" / "env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert named == variables_used((ROOT / "docker-compose.yml").read_text())


def test_only_nginx_publishes_ports():
    for name, service in SERVICES.items():
        if name != "nginx":
            assert "ports" not in service, f"{name} publishes a port on the host"
    published = {int(str(port).rsplit(":", 1)[-1]) for port in SERVICES["nginx"]["ports"]}
    assert published == {80, 443}
    assert [int(port) for port in SERVICES["web"]["expose"]] == [gunicorn_port()]


def test_the_web_service_runs_two_replicas_with_a_health_check_on_healthz():
    web = SERVICES["web"]
    assert web["deploy"]["replicas"] == 2
    check = web["healthcheck"]["test"]
    assert check[0] == "CMD" and "curl" not in check and "wget" not in check, "the slim image has neither"
    assert f"http://127.0.0.1:{gunicorn_port()}/healthz" in check[-1]


class _Healthz(BaseHTTPRequestHandler):
    status = 200
    hosts = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        type(self).hosts.append((self.path, self.headers["Host"]))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("intymak.example.org,www.intymak.example.org", "intymak.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
    ],
)
def test_the_web_health_check_asks_healthz_for_an_allowed_host_and_fails_on_503(allowed_hosts, host):
    code = SERVICES["web"]["healthcheck"]["test"][-1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Healthz)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code = code.replace(f"127.0.0.1:{gunicorn_port()}", f"127.0.0.1:{server.server_address[1]}")
    try:
        results = []
        for status in (200, 503):
            _Healthz.status, _Healthz.hosts = status, []
            environment = {"DJANGO_ALLOWED_HOSTS": allowed_hosts}
            result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, timeout=30)
            results.append(result.returncode)
            assert _Healthz.hosts == [("/healthz", host)]
    finally:
        server.shutdown()
        server.server_close()
    assert results[0] == 0 and results[1] != 0


def test_the_migrate_step_runs_once_before_the_portal():
    migrate = SERVICES["migrate"]
    command = " ".join(migrate["command"])
    assert "manage.py migrate --noinput" in command and "manage.py load_newsletter" in command
    assert migrate["restart"] == "no"
    assert migrate["build"] == SERVICES["web"]["build"] and migrate["image"] == SERVICES["web"]["image"]


def test_named_volumes_are_declared_and_mounted_folders_exist():
    declared = set(COMPOSE.get("volumes") or {})
    used = set()
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert source == "./backups" or (ROOT / source).is_dir(), f"{name}: {source} is not in the repository"
            else:
                assert source in declared, f"{name} uses the volume {source}, which is not declared"
                used.add(source)
    assert used == declared == {"pgdata"}
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]


def test_the_backup_tool_matches_the_database_server():
    backup = SERVICES["backup"]
    assert backup["image"] == SERVICES["db"]["image"], "pg_dump of the server's own version"
    assert backup["profiles"], "a tool: not started by `docker compose up`"
    assert "./backups:/intymak/backups" in backup["volumes"]
    assert (ROOT / "deploy" / backup["command"][0].removeprefix("deploy/")).is_file()


# nginx


def test_nginx_proxies_every_request_to_the_web_service_on_gunicorns_port():
    for site, http in nginx_configurations().items():
        upstream = one(http, "upstream")
        servers = find(upstream.block, "server")
        assert [server.args[0] for server in servers] == [f"web:{gunicorn_port()}"], site
        if "resolve" in servers[0].args:
            # Re-resolving the name as replicas come and go needs Docker's DNS and a shared zone (nginx >= 1.27.3).
            assert one(http, "resolver").args[0] == "127.0.0.11"
            assert find(upstream.block, "zone")
            version = SERVICES["nginx"]["image"].split(":")[1].split("-")[0]
            assert tuple(int(part) for part in version.split(".")[:2]) >= (1, 27)
        passes = [directive.args[0] for directive in walk(http) if directive.name == "proxy_pass"]
        assert passes and set(passes) == {f"http://{upstream.args[0]}"}, site


def test_nginx_passes_the_client_and_the_scheme_and_waits_as_long_as_gunicorn():
    for site, http in nginx_configurations().items():
        headers = {directive.args[0].lower(): directive.args[1] for directive in find(http, "proxy_set_header")}
        assert headers["x-forwarded-proto"] == "$scheme"
        assert headers["x-forwarded-for"] == "$proxy_add_x_forwarded_for"
        assert headers["host"] in ("$host", "$http_host")
        # A block that set any proxy_set_header of its own would drop all those set above it.
        for server in find(http, "server"):
            assert not [directive for directive in walk(server.block) if directive.name == "proxy_set_header"], site
        assert int(one(http, "proxy_read_timeout").args[0].removesuffix("s")) > gunicorn_timeout()
        assert one(http, "client_max_body_size").args == ["10m"]
        assert one(http, "gzip").args == ["on"]


def test_nginx_caches_static_files_and_passes_healthz_through():
    for site, http in nginx_configurations().items():
        zones = {
            argument.split("=")[1].split(":")[0]
            for directive in find(http, "proxy_cache_path")
            for argument in directive.args
            if argument.startswith("keys_zone=")
        }
        for server in find(http, "server"):
            if 80 in listens(server):
                assert find(location(server, "/healthz").block, "proxy_pass"), f"{site}: /healthz over plain HTTP"
            # The server that serves the portal (not the one that redirects to HTTPS) caches its static files.
            if find(location(server, "/").block, "proxy_pass"):
                static = location(server, "/static/")
                assert one(static.block, "proxy_cache").args[0] in zones
                assert find(static.block, "proxy_pass")


def test_nginx_serves_https_with_the_mounted_certificate_and_plain_http_without_one():
    configurations = nginx_configurations()
    assert set(configurations) == {"site-http.conf", "site-https.conf"}
    script = (NGINX / "start.sh").read_text()

    plain = find(configurations["site-http.conf"], "server")
    assert [listens(server) for server in plain] == [{80}]
    assert not [directive for directive in walk(plain[0].block) if directive.name.startswith("ssl")]

    servers = {frozenset(listens(server)): server for server in find(configurations["site-https.conf"], "server")}
    assert set(servers) == {frozenset({80}), frozenset({443})}
    tls = servers[frozenset({443})]
    assert "ssl" in one(tls.block, "listen").args
    certificates = [one(tls.block, name).args[0] for name in ("ssl_certificate", "ssl_certificate_key")]
    for path in certificates:
        assert path.startswith("/etc/nginx/certs/")
        assert nginx_file(path).parent == NGINX / "certs", "read from deploy/nginx/certs/"
        assert path.replace("/etc/nginx/certs", "$certs") in script, "start.sh looks for the same files"
    redirect = location(servers[frozenset({80})], "/")
    assert one(redirect.block, "return").args == ["301", "https://$host$request_uri"]
    assert SERVICES["nginx"]["command"] == ["sh", "/etc/nginx/intymak/start.sh"]


def test_certificates_stay_out_of_the_repository_and_the_image():
    ignored = (NGINX / "certs" / ".gitignore").read_text().split()
    assert "*" in ignored
    assert "deploy/nginx/certs" in (ROOT / ".dockerignore").read_text().split()


# The image


def test_the_image_runs_gunicorn_with_a_long_timeout():
    command = gunicorn_command()
    assert command[0] == "gunicorn"
    assert "intymak.wsgi:application" in command or "intymak.wsgi" in command
    assert gunicorn_timeout() >= 120, "large exports take long"
    assert option(command, "--access-logfile") == "-"
    assert option(command, "--workers") == "${GUNICORN_WORKERS:-3}"
    assert option(command, "--bind") == f"0.0.0.0:{gunicorn_port()}"
    assert re.search(rf"^EXPOSE {gunicorn_port()}$", DOCKERFILE_TEXT, re.MULTILINE)


def test_the_wsgi_application_keeps_what_it_loaded_out_of_the_garbage_collectors_way():
    # In a process of its own: the application, loaded as gunicorn loads it, leaves its objects frozen.
    script = "import gc, intymak.wsgi; print(gc.get_freeze_count())"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "intymak.settings"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000


def test_the_image_builds_translations_and_static_files_and_runs_as_another_user():
    assert re.search(r"manage\.py compilemessages", DOCKERFILE_TEXT)
    assert re.search(r"DJANGO_DEBUG=0 DJANGO_SECRET_KEY=\S+ python manage\.py collectstatic", DOCKERFILE_TEXT)
    users = re.findall(r"^USER (\S+)$", DOCKERFILE_TEXT, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    # The user comes after the build steps, which write to /app as root.
    assert DOCKERFILE_TEXT.index("USER ") > DOCKERFILE_TEXT.index("collectstatic")


def test_the_build_context_leaves_out_local_and_secret_files():
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}
    required = {".venv", "frontend/node_modules", "db.sqlite3", "var", "staticfiles", ".git", "backups", ".env"}
    assert required <= ignored
