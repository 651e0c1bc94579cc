"""How fast the public pages are, against the floor of Django itself.

Serves the portal under gunicorn against PostgreSQL with 10,000 synthetic grants and measures, for the home,
region, initiatives-list and search pages, with the page cache off and on: queries per page, median and p95
latency, requests per second. In the same server run, with the same workers, it measures /floor/<size>/ — a view
that returns a page of the same size and does nothing else (benchmarks/floor.py) — and compares.

Goals: cached pages at no less than half the floor's requests per second; uncached pages at no less than 1/30.

Run from the project root:  .venv/bin/python benchmarks/pages.py [--reuse]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and, for the Redis run, Redis on 127.0.0.1:6379 and the
`redis` Python package. It talks to nothing but 127.0.0.1. See benchmarks/README.md.
"""

import argparse
import collections
import http.client
import importlib.util
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    ("home", "/ky/"),
    ("region", "/ky/regions/jalal-abad/"),
    ("initiatives", "/ky/initiatives/"),
    ("search", "/ky/initiatives/?q=Nookat"),
)
GOALS = {"uncached": (1 / 30, "1/30"), "cached": (1 / 2, "1/2")}
REDIS_URL = "redis://127.0.0.1:6379/15"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def _database_name(value):
    # It goes into CREATE and DROP DATABASE: a plain name only.
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", value):
        raise argparse.ArgumentTypeError("lower-case letters, digits and underscores only")
    return value


def _at_least_one(value):
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return number


def add_database_arguments(parser, database="intymak_bench", grants=10_000):
    """The options every benchmark has for its database: which, whether to reuse it, how many grants to make."""
    parser.add_argument(
        "--database", type=_database_name, default=database, help="PostgreSQL database to (re)create and use."
    )
    parser.add_argument("--reuse", action="store_true", help="Use the benchmark database as it is if it exists.")
    parser.add_argument(
        "--grants", type=int, default=grants, help=f"Synthetic grants to generate (default {grants:,})."
    )


def add_load_arguments(parser, requests, warmup, concurrency, time_limit, rounds=3):
    """The options of a benchmark that sends pages' worth of requests: how many, after how many, how many at once,
    in how many rounds of page then floor."""
    parser.add_argument(
        "--requests", type=int, default=requests, help=f"Measured requests per page (default {requests:,})."
    )
    parser.add_argument("--warmup", type=int, default=warmup, help=f"Requests before measuring (default {warmup}).")
    parser.add_argument(
        "--concurrency", type=int, default=concurrency, help=f"Connections at once (default {concurrency})."
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=time_limit,
        help=f"Stop a measurement after this many seconds even if not all requests are done (default {time_limit}).",
    )
    parser.add_argument(
        "--rounds",
        type=_at_least_one,
        default=rounds,
        help=f"Rounds of page then floor per page; the median round of each is reported (default {rounds}).",
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    add_load_arguments(parser, requests=500, warmup=50, concurrency=8, time_limit=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2).")
    parser.add_argument("--no-redis", action="store_true", help="Skip the run with the page cache in Redis.")
    parser.add_argument("--no-file-cache", action="store_true", help="Skip the run with the page cache in files.")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=[name for name, _path in PAGES],
        default=[name for name, _path in PAGES],
        metavar="PAGE",
        help="Measure only these pages (default: all of %(choices)s).",
    )
    args = parser.parse_args()
    args.pages = [(name, path) for name, path in PAGES if name in args.pages]
    return args


# Every gunicorn we start, so that an exit of any kind (an error, Ctrl-C, SIGTERM) stops them.
_servers = set()


def _stop_all_servers(*_args):
    for server in list(_servers):
        server.stop()


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


@dataclass
class Measurement:
    requests: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    errors: int = 0
    size: int = 0
    cache: collections.Counter = field(default_factory=collections.Counter)

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self):
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p95_ms(self):
        if len(self.latencies) < 2:
            return self.median_ms
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[18] * 1000


def load(port, path, requests, concurrency, time_limit):
    """`requests` GETs of `path` over `concurrency` keep-alive connections, or as many as fit in `time_limit` s."""
    result = Measurement()
    tickets = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + time_limit

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors, cache, size = [], 0, collections.Counter(), 0
        while next(tickets) < requests and time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200
                cache[response.getheader("X-Page-Cache", "-")] += 1
                size = size or (len(body) if ok else 0)
            except (OSError, http.client.HTTPException):
                connection.close()  # http.client opens a new connection on the next request
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok
        connection.close()
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.cache.update(cache)
            result.size = result.size or size

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the portal on a free port of 127.0.0.1, in a process group of its own."""

    def __init__(self, env, workers, log_path):
        self.port = free_port()
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "intymak.wsgi:application", "--workers", str(workers)]
                + ["--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--log-level", "warning"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        _servers.add(self)
        self._wait_until_ready()

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        log = Path(self.log_path).read_text(errors="replace")[-3000:]
        raise SystemExit(f"gunicorn did not start; the end of its log:\n{log}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        _servers.discard(self)


def environment(args, static_root, cache_dir):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "INTYMAK_PAGE_CACHE_SECONDS")}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-key-never-used-anywhere-else-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_CACHE_DIR=str(cache_dir),
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def manage(env, *command):
    subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=ROOT, check=True)


def prepare_database(args, env):
    """Create the benchmark database with the newsletter and the synthetic grants, unless --reuse finds it."""
    import psycopg2

    admin = psycopg2.connect(dbname="postgres", **POSTGRES)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
            if args.reuse and cursor.fetchone():
                print(f"Reusing the database {args.database}.")
                return
            print(f"Creating the database {args.database}: migrate, load_newsletter, generate_demo_data ...")
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            cursor.execute(f'CREATE DATABASE "{args.database}"')
    finally:
        admin.close()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_newsletter")
    manage(env, "generate_demo_data", "--grants", str(args.grants))


def count_queries(env, pages):
    """Queries and bytes of each page, rendered in this process with the page cache off."""
    os.environ.update(env, INTYMAK_PAGE_CACHE_SECONDS="0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grants.models import Grant

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in pages:
        client.get(path)  # the first request of a process loads templates and translations
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answers {response.status_code} in-process")
        counts[name] = len(queries.captured_queries)
    grants = (Grant.objects.filter(published=True).count(), Grant.objects.count())
    connections.close_all()
    return counts, grants


def redis_key_prefix():
    """A key prefix of one run's own (INTYMAK_CACHE_KEY_PREFIX): the run starts with none of its keys in Redis and
    deletes only those at the end, so the tests, another run or anything else sharing that Redis keeps its data."""
    return f"intymak-bench-{uuid.uuid4().hex[:12]}"


def forget_redis_keys(url, prefix):
    """Delete the keys under `prefix`; return the Redis server's version."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
        return client.info("server").get("redis_version", "?")
    finally:
        client.close()


def redis_problem():
    if importlib.util.find_spec("redis") is None:
        return "the `redis` Python package is not installed (Django's RedisCache needs it)"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        return "nothing listens on 127.0.0.1:6379"
    return None


def _median(measurements):
    return sorted(measurements, key=lambda measurement: measurement.rps)[len(measurements) // 2]


def run(label, kind, env, args, log_path):
    """Measure every page and its floor on one gunicorn; return rows for the report."""
    server = Server(env, args.workers, log_path)
    rows = []
    try:
        for name, path in args.pages:
            # Warm-up: worker start-up, connections, and (cached runs) the page cache itself.
            warm = load(server.port, path, args.warmup, args.concurrency, args.time_limit)
            if not warm.size:
                raise SystemExit(f"{label}: {path} gave no successful response; see {log_path}")
            floor_path = f"/floor/{warm.size}/"
            load(server.port, floor_path, args.warmup, args.concurrency, args.time_limit)
            # Page and floor in turns: a machine whose speed drifts (a shared virtual machine) slows both alike,
            # and the median round of each is neither the luckiest nor the unluckiest.
            pages, floors = [], []
            for _round in range(args.rounds):
                pages.append(load(server.port, path, args.requests, args.concurrency, args.time_limit))
                floors.append(load(server.port, floor_path, args.requests, args.concurrency, args.time_limit))
            page, floor = _median(pages), _median(floors)
            rounds = " ".join(f"{p.rps:.1f}/{f.rps:.1f}" for p, f in zip(pages, floors, strict=True))
            print(f"  {label:<18} {name:<12} page/floor req/s per round: {rounds}", flush=True)
            rows.append((label, kind, name, path, page, floor))
    finally:
        server.stop()
    return rows


def report(rows, queries, args, grants, skipped):
    today = date.today().isoformat()
    lines = [
        "",
        f"Intymak page benchmark, {today}: PostgreSQL database {args.database}, "
        f"{grants[0]:,} published grants ({grants[1]:,} in all)",
        f"gunicorn {args.workers} sync workers on 127.0.0.1; per page {args.requests} requests after "
        f"{args.warmup} warm-up, {args.concurrency} connections, at most {args.time_limit:.0f} s per measurement; "
        f"{args.rounds} rounds of page then floor, the median round of each shown",
        "floor: /floor/<bytes>/ returns a page of the same size through the same middleware and workers",
        "",
        f"{'run':<18} {'page':<12} {'bytes':>9} {'queries':>7} {'median':>8} {'p95':>8} {'req/s':>8} {'n':>4} "
        f"{'err':>3} {'cache':<10} {'floor req/s':>11} {'share':>6}  goal",
    ]
    verdicts = []
    for label, kind, name, _path, page, floor in rows:
        share = page.rps / floor.rps if floor.rps else 0.0
        goal, goal_text = GOALS[kind]
        met = share >= goal and not page.errors
        cache = ",".join(f"{key} {n}" for key, n in page.cache.most_common(2))
        lines.append(
            f"{label:<18} {name:<12} {page.size:>9,} {queries[name]:>7} {page.median_ms:>6.1f}ms "
            f"{page.p95_ms:>6.1f}ms {page.rps:>8.1f} {page.requests:>4} {page.errors:>3} {cache:<10} "
            f"{floor.rps:>11.1f} {share:>6.3f}  >= {goal_text}: {'met' if met else 'NOT met'}"
        )
        verdicts.append(met)
    lines.append("")
    lines.append(
        f"Goals: cached pages >= 1/2 of the floor's req/s, uncached >= 1/30: {sum(verdicts)} of {len(verdicts)} met"
    )
    lines += [f"Skipped: {note}" for note in skipped]
    print("\n".join(lines))


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    work = Path(tempfile.mkdtemp(prefix="intymak-bench-"))
    runs, skipped = [], []
    try:
        static_root, log_path = work / "static", work / "gunicorn.log"
        env = environment(args, static_root, work / "cache-setup")
        prepare_database(args, env)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        queries, grants = count_queries(env, args.pages)

        runs.append(
            ("uncached", "uncached", {**environment(args, static_root, work / "c0"), "INTYMAK_PAGE_CACHE_SECONDS": "0"})
        )
        problem = "--no-redis" if args.no_redis else redis_problem()
        if problem:
            skipped.append(f"page cache in Redis: {problem}")
        else:
            redis_env = {"REDIS_URL": REDIS_URL, "INTYMAK_CACHE_KEY_PREFIX": redis_key_prefix()}
            runs.append(("cached (Redis)", "cached", {**environment(args, static_root, work / "c1"), **redis_env}))
        if args.no_file_cache:
            skipped.append("page cache in files: --no-file-cache")
        else:
            runs.append(("cached (files)", "cached", environment(args, static_root, work / "c2")))

        rows = []
        for label, kind, run_env in runs:
            print(f"Measuring: {label}", flush=True)
            rows += run(label, kind, run_env, args, log_path)
        report(rows, queries, args, grants, skipped)
    finally:
        _stop_all_servers()
        for _label, _kind, run_env in runs:
            if "INTYMAK_CACHE_KEY_PREFIX" in run_env:
                forget_redis_keys(run_env["REDIS_URL"], run_env["INTYMAK_CACHE_KEY_PREFIX"])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
