"""Load on two app servers sharing one database and one Redis: the public pages, cached and uncached, against the floor.

Starts two gunicorn app servers (own ports on 127.0.0.1) on the same PostgreSQL database with 10,000 synthetic grants
and the same Redis (the page cache, shared), and loads both at once with wrk (one wrk per server, as a load balancer
spreads the requests). For the home, region, initiatives-list, search, mediators-list and initiative pages, with the
page cache off (uncached) and on (cached, warmed): requests per second, median and p99 latency, errors; and the floor
(benchmarks/floor.py: a bare Django view behind two middlewares returning the page's bytes), on two gunicorns with
the same workers, loaded the same way; page and floor in rounds, the median round of each reported. It also checks
that both servers served, that the cache is shared (a page cached through one server is a hit through the other)
and that a change made through one server is seen through the other.

Goals: zero errors; cached pages at no less than half the floor's requests per second.

Run from the project root:  .venv/bin/python benchmarks/load.py [--reuse]
Needs wrk (see pages.py), PostgreSQL on 127.0.0.1:5432 (user postgres, trust), Redis on 127.0.0.1:6379 and the
`redis` Python package. It talks to nothing but 127.0.0.1. See benchmarks/README.md.
"""

import argparse
import collections
import html
import http.client
import importlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pages import (  # noqa: E402  (the project root must be importable first)
    PAGES,
    POSTGRES,
    Server,
    _median,
    _on_signal,
    _stop_all_servers,
    add_database_arguments,
    add_load_arguments,
    ensure_wrk,
    environment,
    fetch,
    floor_server,
    forget_redis_keys,
    manage,
    prepare_database,
    redis_key_prefix,
    redis_problem,
    wrk,
    wrk_version,
)

REDIS_URL = "redis://127.0.0.1:6379/12"
CACHED_GOAL = (1 / 2, "1/2")
USERNAME = "load-benchmark"
ADMIN_GRANTS = "/en/admin/grants/grant/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    parser.add_argument("--servers", type=int, default=2, help="App servers (default 2).")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers per app server (default 1).")
    # Per server: one wrk thread and 8 connections each, 2 threads and 16 connections in all.
    add_load_arguments(parser, connections=8, threads=1)
    parser.add_argument(
        "--redis-url", default=REDIS_URL, help=f"The shared Redis ({REDIS_URL}); each run uses keys of its own."
    )
    parser.add_argument("--modes", default="uncached,cached", help="Which runs, in order (default uncached,cached).")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.redis_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("--redis-url: a Redis on 127.0.0.1 only")
    args.modes = [item.strip() for item in args.modes.split(",") if item.strip()]
    if not args.modes or set(args.modes) - {"uncached", "cached"}:
        parser.error("--modes: a comma-separated choice of uncached, cached")
    if min(args.servers, args.workers) < 1:
        parser.error("--servers, --workers: at least 1")
    return args


# ---------------------------------------------------------------------------------------------------------------
# The load: one wrk per server, all at once, as a load balancer spreads the requests over them.


@dataclass
class Measurement:
    ports: tuple
    per_server: list = field(default_factory=list)  # what wrk reported for each server

    @property
    def requests(self):
        return sum(one.requests for one in self.per_server)

    @property
    def rps(self):
        return sum(one.rps for one in self.per_server)

    @property
    def errors(self):
        return sum(one.errors for one in self.per_server)

    @property
    def median_ms(self):
        return max(one.median_ms for one in self.per_server)  # the slower server's

    @property
    def p99_ms(self):
        return max(one.p99_ms for one in self.per_server)

    def _of(self, port):
        return self.per_server[self.ports.index(port)]

    def served(self, port):
        return self._of(port).requests - self._of(port).errors

    def failed(self, port):
        return self._of(port).errors


def load(ports, path, seconds, args):
    """`path` loaded on every server in `ports` at the same time, for `seconds`, by a wrk of its own each."""
    results = [None] * len(ports)

    def one(index):
        results[index] = wrk(ports[index], path, seconds, args)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(len(ports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(result is None for result in results):
        raise SystemExit(f"wrk failed on {path}")
    return Measurement(tuple(ports), results)


def request(port, method, path, headers=None, body=None):
    """(status, headers as a Message, body) of one request, on a connection of its own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------------------------
# Set-up in this process: the database's figures, the initiative page, a signed-in staff user for the change.


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def analyze(database):
    """ANALYZE: the planner's statistics, as autovacuum keeps them on a running site (it may be off here)."""
    import psycopg2

    connection = psycopg2.connect(dbname=database, **POSTGRES)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def pick_initiative():
    """(pk, reference, public path) of the initiative page measured: the first public grant from the newsletter."""
    from grants.models import Grant

    grants = Grant.objects.published().order_by("reference")
    grant = grants.filter(synthetic=False).first() or grants.first()
    if grant is None:
        raise SystemExit("No public grant in the database.")
    return grant.pk, grant.reference, f"/ky/initiatives/{grant.slug}/"


def grant_counts():
    from grants.models import Grant

    return Grant.objects.published().count(), Grant.objects.count()


def staff_session():
    """The session cookie of a superuser (no password), made directly in the session store (the database)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_unusable_password()
    user.save()
    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key, settings.CSRF_COOKIE_NAME


# ---------------------------------------------------------------------------------------------------------------
# The servers.


def server_cpu_seconds(server):
    """CPU time (user + system) used so far by the processes of a server's process group: master and workers."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == server.process.pid:  # pgrp: each server is started in a session of its own
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def start_servers(env, args, log_dir, mode):
    return [
        Server(env, args.workers, log_dir / f"gunicorn-{mode}-{number}.log") for number in range(1, args.servers + 1)
    ]


def start_floors(env, args, log_dir, mode, floor_dir):
    return [
        floor_server(env, args.workers, log_dir / f"floor-{mode}-{number}.log", floor_dir)
        for number in range(1, args.servers + 1)
    ]


# ---------------------------------------------------------------------------------------------------------------
# The checks beside the figures.


def shared_cache_check(ports, path):
    """The first request of a page through the first server, then one through the second: 'miss', then 'hit'."""
    seen = []
    for port in ports[:2]:
        status, headers, _body = request(port, "GET", path)
        seen.append(f"{status} {headers.get('X-Page-Cache', '-')}")
    return seen


def _cookies(headers):
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _sep, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def admin_action(port, cookie_name, session_key, csrf_name, action, pk, reference):
    """Run the grants admin's `action` (archive, restore) on one grant through the server on `port`; its status."""
    cookies = {cookie_name: session_key}
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    status, headers, body = request(port, "GET", f"{ADMIN_GRANTS}?q={urllib.parse.quote(reference)}", header)
    if status != 200:
        return f"admin list {status}"
    cookies.update(_cookies(headers))
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match or csrf_name not in cookies:
        return "no CSRF token"
    form = {
        "csrfmiddlewaretoken": html.unescape(match.group(1).decode()),
        "action": action,
        "select_across": "0",
        "index": "0",
        "_selected_action": str(pk),
    }
    status, _headers, _body = request(
        port,
        "POST",
        ADMIN_GRANTS,
        {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        urllib.parse.urlencode(form),
    )
    return status


# The grant the change check archived and has not restored yet: restored on the way out, whatever happens.
_archived = set()


def restore_archived():
    if not _archived:
        return
    from grants.models import Grant

    for grant in Grant.objects.filter(pk__in=_archived, archived=True):
        grant.archived = False
        grant.save()
    _archived.clear()


def change_check(ports, path, initiative, session):
    """Archive the initiative through server 1, read it through server 2; restore through 2, read through 1.

    Archived grants leave public view, so the page must go from 200 (a cache hit) to 404 and back to 200: that
    needs the change to reach the other server's database reads and its page cache (the data version in Redis).
    """
    pk, reference, _path = initiative
    first, second = ports[0], ports[1 % len(ports)]
    before = request(second, "GET", path)
    _archived.add(pk)
    archived = admin_action(first, *session, "archive", pk, reference)
    after_archive = request(second, "GET", path)
    restored = admin_action(second, *session, "restore", pk, reference)
    after_restore = request(first, "GET", path)
    if restored == 302:
        _archived.discard(pk)
    ok = (
        before[0] == 200 and archived == 302 and after_archive[0] == 404 and restored == 302 and after_restore[0] == 200
    )
    text = (
        f"server 2 answers {before[0]} ({before[1].get('X-Page-Cache', '-')}); archived through server 1 "
        f"(admin action: {archived}) -> server 2 answers {after_archive[0]}; restored through server 2 "
        f"(admin action: {restored}) -> server 1 answers {after_restore[0]} "
        f"({after_restore[1].get('X-Page-Cache', '-')})"
    )
    return ok, text


# ---------------------------------------------------------------------------------------------------------------
# The runs and the report.


@dataclass
class Row:
    mode: str
    name: str
    path: str
    size: int
    page: Measurement
    floor: Measurement
    cache: str  # X-Page-Cache of a request through each server just after the rounds
    first: list  # the shared-cache check: what the first two requests got
    measured: list  # every round: page, floor, page, floor, ...


def run(mode, env, args, pages, log_dir, initiative, session, traffic, notes):
    floor_dir = log_dir / f"floor-{mode}"
    floor_dir.mkdir(exist_ok=True)
    servers = start_servers(env, args, log_dir, mode)
    ports = [server.port for server in servers]
    cpu_before = [server_cpu_seconds(server) for server in servers]
    rows = []
    try:
        floors = start_floors(env, args, log_dir, mode, floor_dir)
        floor_ports = [floor.port for floor in floors]
        print(f"Measuring: {mode}, servers on ports {', '.join(map(str, ports))}", flush=True)
        for name, path in pages:
            first = shared_cache_check(ports, path) if len(ports) > 1 else []
            status, _cache, body = fetch(ports[0], path)
            if status != 200:
                raise SystemExit(f"{mode}: {path} answers {status}; see {log_dir}")
            (floor_dir / f"{name}.html").write_bytes(body)
            floor_path = f"/floor/{name}/"
            # Warm-up: worker start-up, connections, and (cached) the page cache itself.
            warm = load(ports, path, args.warmup, args)
            floor_warm = load(floor_ports, floor_path, args.warmup, args)
            # Page and floor in turns, as pages.py measures them: the median round of each is reported, and every
            # round's requests count for the zero-errors goal.
            page_rounds, floor_rounds, measured = [], [], []
            for _round in range(args.rounds):
                page_rounds.append(load(ports, path, args.duration, args))
                floor_rounds.append(load(floor_ports, floor_path, args.duration, args))
                measured += [page_rounds[-1], floor_rounds[-1]]
            cache = "/".join(fetch(port, path)[1] for port in ports)
            for measurement in (warm, *page_rounds):
                for port in ports:
                    traffic[mode]["served"][port] += measurement.served(port)
                    traffic[mode]["failed"][port] += measurement.failed(port)
            rows.append(
                Row(mode, name, path, len(body), _median(page_rounds), _median(floor_rounds), cache, first, measured)
            )
            rounds = " ".join(f"{p.rps:.1f}/{f.rps:.1f}" for p, f in zip(page_rounds, floor_rounds, strict=True))
            errors = sum(measurement.errors for measurement in (warm, floor_warm, *measured))
            print(f"  {mode:<9} {name:<12} page/floor req/s per round: {rounds}; {errors} errors", flush=True)
        if mode == "cached" and len(ports) > 1:
            notes["change"] = change_check(ports, initiative[2], initiative, session)
        traffic[mode]["ports"] = ports
        traffic[mode]["cpu"] = [server_cpu_seconds(s) - before for s, before in zip(servers, cpu_before, strict=True)]
    finally:
        _stop_all_servers()
    return rows


def _by_server(measurement):
    return "/".join(str(one.requests) for one in measurement.per_server)


def report(rows, args, facts, traffic, notes, skipped):
    lines = [
        "",
        f"Intymak load benchmark, {date.today().isoformat()}: PostgreSQL {facts['postgres']} database "
        f"{args.database}, {facts['grants'][0]:,} public grants ({facts['grants'][1]:,} in all); "
        f"Redis {facts['redis']} {args.redis_url}, keys of each run's own",
        f"{args.servers} app servers (gunicorn {facts['gunicorn']}, {args.workers} sync worker"
        f"{'s' if args.workers > 1 else ''} each) on 127.0.0.1, each loaded by its own {facts['wrk']} "
        f"-t{args.threads} -c{args.connections} at the same time; {args.warmup} s warm-up, {args.rounds} rounds of "
        f"{args.duration} s of the page then {args.duration} s of the floor, the median round of each shown",
        "uncached: INTYMAK_PAGE_CACHE_SECONDS=0; cached: the page cache in the shared Redis, warmed by the warm-up",
        "floor: benchmarks/floor.py (a bare Django view behind two middlewares returning the page's bytes) on as many "
        "gunicorns with as many workers, loaded the same way",
        f"initiative: {facts['initiative'][2]} ({facts['initiative'][1]}); "
        f"load average {facts['load_before']} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after",
        "",
        f"{'mode':<9} {'page':<12} {'bytes':>7} {'n':>6} {'req/s':>7} {'median':>9} {'p99':>9} {'err':>4} "
        f"{'by server':>11}  {'cache':<9} {'floor req/s':>11} {'median':>9} {'p99':>9} {'share':>6}  goal",
    ]
    cached_verdicts, errors, requests = [], 0, 0
    for row in rows:
        page, floor = row.page, row.floor
        share = page.rps / floor.rps if floor.rps else 0.0
        row_errors = sum(measurement.errors for measurement in row.measured)
        errors += row_errors
        requests += sum(measurement.requests for measurement in row.measured)
        if row.mode == "cached":
            met = share >= CACHED_GOAL[0]
            cached_verdicts.append(met)
            goal = f">= {CACHED_GOAL[1]}: {'met' if met else 'NOT met'}"
        else:
            goal = "-"
        lines.append(
            f"{row.mode:<9} {row.name:<12} {row.size:>7,} {page.requests:>6} {page.rps:>7.1f} "
            f"{page.median_ms:>7.1f}ms {page.p99_ms:>7.1f}ms {row_errors:>4} {_by_server(page):>11}  {row.cache:<9} "
            f"{floor.rps:>11.1f} {floor.median_ms:>7.1f}ms {floor.p99_ms:>7.1f}ms {share:>6.3f}  {goal}"
        )
    lines.append("")

    for mode, seen in traffic.items():
        if "ports" not in seen:
            continue
        parts = [
            f"server {number} (port {port}): {seen['served'][port]:,} answered, {seen['failed'][port]} errors, "
            f"{cpu:.0f} s CPU"
            for number, (port, cpu) in enumerate(zip(seen["ports"], seen["cpu"], strict=True), 1)
        ]
        lines.append(f"Served in the {mode} run (warm-ups included): " + "; ".join(parts))
    served_by_all = all(
        seen["served"][port] > 0 for seen in traffic.values() if "ports" in seen for port in seen["ports"]
    )
    shared = [row for row in rows if row.mode == "cached" and row.first]
    if shared:
        good = sum(1 for row in shared if row.first[0].endswith("miss") and row.first[1].endswith("hit"))
        details = ", ".join(f"{row.name} {' then '.join(row.first)}" for row in shared)
        lines.append(
            f"Shared cache: a page's first request through server 1, then through server 2: miss then hit for "
            f"{good} of {len(shared)} pages ({details})"
        )
    if "change" in notes:
        ok, text = notes["change"]
        lines.append(f"A change through one server, seen through the other: {'yes' if ok else 'NO'}: {text}")
    lines.append("")

    goals = [(f"zero errors: {errors} in {requests:,} measured requests (pages and floors)", errors == 0)]
    if cached_verdicts:
        goals.append(
            (
                f"cached pages >= {CACHED_GOAL[1]} of the floor's req/s: {sum(cached_verdicts)} of "
                f"{len(cached_verdicts)} pages",
                all(cached_verdicts),
            )
        )
    lines.append("Goals:")
    lines += [f"  {text:<72} {'met' if met else 'NOT met'}" for text, met in goals]
    lines.append(f"Every server served in every run: {'yes' if served_by_all else 'NO'}")
    lines += [f"Skipped: {note}" for note in skipped]
    print("\n".join(lines), flush=True)


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    problem = redis_problem()
    if problem:
        raise SystemExit(f"The servers share a Redis, and {problem}.")
    work = Path(tempfile.mkdtemp(prefix="intymak-load-"))
    try:
        static_root = work / "static"
        base = {**environment(args, static_root, work / "cache-unused"), "INTYMAK_REQUIRE_2FA": "0"}
        base["REDIS_URL"] = args.redis_url
        prepare_database(args, base)
        # A reused database may lack newer migrations; the servers need them.
        manage(base, "migrate", "--noinput", "--verbosity", "0")
        facts = {"postgres": analyze(args.database)}
        manage(base, "collectstatic", "--noinput", "--verbosity", "0")
        setup_django(base)
        import gunicorn
        from django.db import connections

        facts["gunicorn"] = gunicorn.__version__
        facts["wrk"] = wrk_version(ensure_wrk())
        facts["grants"] = grant_counts()
        facts["initiative"] = initiative = pick_initiative()
        session = staff_session()
        connections.close_all()
        pages = (*PAGES, ("initiative", initiative[2]))
        facts["load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

        traffic = {mode: {"served": collections.Counter(), "failed": collections.Counter()} for mode in args.modes}
        rows, notes, skipped = [], {}, []
        if args.servers < 2:
            skipped.append("the shared-cache and change checks: they need two servers")
        for mode in args.modes:
            env = dict(base)
            if mode == "uncached":
                env["INTYMAK_PAGE_CACHE_SECONDS"] = "0"
            # A key prefix of the run's own: it starts with an empty cache and leaves the Redis as it found it.
            env["INTYMAK_CACHE_KEY_PREFIX"] = prefix = redis_key_prefix()
            try:
                rows += run(mode, env, args, pages, work, initiative, session, traffic, notes)
            finally:
                facts["redis"] = forget_redis_keys(args.redis_url, prefix)
        report(rows, args, facts, traffic, notes, skipped)
    finally:
        _stop_all_servers()
        restore_archived()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
