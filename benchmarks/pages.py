"""How fast the public pages are, against the floor of Django itself, measured with wrk.

Serves the portal under gunicorn (two sync workers) against PostgreSQL with 10,000 synthetic grants and measures, for
the home, region, initiatives-list, search and mediators-list pages, with the page cache off and on (Redis, files):
queries per page, median and p99 latency, requests per second. Beside it, a gunicorn with the same workers serves
the floor (benchmarks/floor.py): a bare Django view behind two middlewares that returns the page's own bytes. Page
and floor are loaded in turns, in rounds, by wrk (a load generator in C, `-t2 -c8`), and compared.

Goals: cached pages at no less than half the floor's requests per second; uncached pages at no less than 1/30.

Run from the project root:  .venv/bin/python benchmarks/pages.py [--reuse]
Needs wrk (installed with apt-get when missing and run as root), PostgreSQL on 127.0.0.1:5432 (user postgres, trust)
and, for the Redis run, Redis on 127.0.0.1:6379 and the `redis` Python package. It talks to nothing but 127.0.0.1.
See benchmarks/README.md.
"""

import argparse
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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
    ("mediators", "/ky/mediators/"),
)
GOALS = {"uncached": (1 / 30, "1/30"), "cached": (1 / 2, "1/2")}
REDIS_URL = "redis://127.0.0.1:6379/15"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PORTAL_APP = "intymak.wsgi:application"
# The floor: Django's own WSGI handler on benchmarks/floor.py's settings.
FLOOR_APP = "django.core.wsgi:get_wsgi_application()"


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


def add_load_arguments(parser, duration=10, warmup=3, connections=8, threads=2, rounds=3):
    """The options of a benchmark that loads pages with wrk: for how long, after how long a warm-up, over how many
    connections and threads, in how many rounds of page then floor."""
    parser.add_argument(
        "--duration", type=_at_least_one, default=duration, help=f"Seconds per measurement (default {duration})."
    )
    parser.add_argument(
        "--warmup", type=_at_least_one, default=warmup, help=f"Seconds of load before measuring (default {warmup})."
    )
    parser.add_argument(
        "--connections", type=_at_least_one, default=connections, help=f"wrk's -c (default {connections})."
    )
    parser.add_argument("--threads", type=_at_least_one, default=threads, help=f"wrk's -t (default {threads}).")
    parser.add_argument(
        "--rounds",
        type=_at_least_one,
        default=rounds,
        help=f"Rounds of page then floor per page; the median round of each is reported (default {rounds}).",
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    add_load_arguments(parser)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, page and floor (default 2).")
    parser.add_argument("--no-uncached", action="store_true", help="Skip the run with the page cache off.")
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


# ---------------------------------------------------------------------------------------------------------------
# wrk: the load generator.

WRK_INSTALL = "apt-get update && apt-get install --yes wrk"


def ensure_wrk():
    """wrk's path; installed from Debian's package when missing and this runs as root, else the command to run."""
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"wrk is missing: {WRK_INSTALL} ...", flush=True)
        subprocess.run(WRK_INSTALL, shell=True, check=False, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(f"The benchmark loads the pages with wrk, which is not installed. On Debian: {WRK_INSTALL}")
    return found


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


@dataclass
class Measurement:
    """What wrk reports of one measurement."""

    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    latency: dict = field(default_factory=dict)  # percentile -> seconds
    non_2xx: int = 0
    socket_errors: dict = field(default_factory=dict)

    @property
    def errors(self):
        return self.non_2xx + sum(self.socket_errors.values())

    @property
    def median_ms(self):
        return self.latency.get("50", float("nan")) * 1000

    @property
    def p99_ms(self):
        return self.latency.get("99", float("nan")) * 1000


def parse_wrk(output):
    result = Measurement()
    match = re.search(r"(\d+) requests in ([\d.]+\w+),", output)
    if not match:
        raise SystemExit(f"wrk's output was not understood:\n{output}")
    result.requests, result.seconds = int(match.group(1)), _seconds(match.group(2))
    result.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result.latency = {
        percent: _seconds(value) for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", output, re.M)
    }
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result.non_2xx = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        result.socket_errors = dict(zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True))
    return result


def wrk(port, path, seconds, args):
    """Load http://127.0.0.1:<port><path> for `seconds` with wrk (keep-alive where the server allows it)."""
    command = [
        ensure_wrk(),
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=30s",
        "--latency",
        f"http://127.0.0.1:{port}{path}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def fetch(port, path):
    """(status, X-Page-Cache or "-", body) of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("X-Page-Cache", "-"), response.read()
    finally:
        connection.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving a WSGI application (the portal unless `app` says otherwise) on a free port of 127.0.0.1, in
    a process group of its own. Ready once `ready_path` answers 200 (the portal's health check); with
    ready_path=None, once anything answers."""

    def __init__(self, env, workers, log_path, app=PORTAL_APP, ready_path="/healthz"):
        self.port = free_port()
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", app, "--workers", str(workers)]
                + ["--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--log-level", "warning"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        _servers.add(self)
        self._wait_until_ready(ready_path)

    def _wait_until_ready(self, ready_path, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", ready_path or "/")
                status = connection.getresponse().status
                if ready_path is None or status == 200:
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


def floor_server(env, workers, log_path, floor_dir):
    """The floor's gunicorn: benchmarks/floor.py's settings, the pages' bytes from floor_dir."""
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.floor", "BENCHMARK_FLOOR_DIR": str(floor_dir)}
    return Server(floor_env, workers, log_path, app=FLOOR_APP, ready_path=None)


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


@dataclass
class Row:
    label: str
    kind: str
    name: str
    size: int
    page: Measurement
    floor: Measurement
    cache: str  # X-Page-Cache of a request just before and just after the rounds
    rounds: list  # (page, floor) of every round: every one counts for the zero-errors check


def measure_page(label, name, path, portal, floor, floor_dir, args):
    """Warm the page (and, cached, the page cache) and its floor, then the rounds of page then floor."""
    status, _cache, body = fetch(portal.port, path)
    if status != 200:
        raise SystemExit(f"{label}: {path} answers {status}; see {portal.log_path}")
    (floor_dir / f"{name}.html").write_bytes(body)
    floor_path = f"/floor/{name}/"
    wrk(portal.port, path, args.warmup, args)
    wrk(floor.port, floor_path, args.warmup, args)
    before = fetch(portal.port, path)[1]
    rounds = []
    # Page and floor in turns: a machine whose speed drifts (a shared virtual machine) slows both alike, and the
    # median round of each is neither the luckiest nor the unluckiest.
    for _round in range(args.rounds):
        rounds.append((wrk(portal.port, path, args.duration, args), wrk(floor.port, floor_path, args.duration, args)))
    after = fetch(portal.port, path)[1]
    pages, floors = [page for page, _floor in rounds], [floor for _page, floor in rounds]
    text = " ".join(f"{p.rps:.1f}/{f.rps:.1f}" for p, f in rounds)
    errors = sum(p.errors + f.errors for p, f in rounds)
    print(f"  {label:<15} {name:<12} page/floor req/s per round: {text}; {errors} errors", flush=True)
    return Row(label, "", name, len(body), _median(pages), _median(floors), f"{before}/{after}", rounds)


def run(label, kind, env, args, work):
    """Measure every page and its floor, the portal and the floor each on a gunicorn of their own."""
    floor_dir = work / "floor"
    floor_dir.mkdir(exist_ok=True)
    portal = Server(env, args.workers, work / "gunicorn.log")
    try:
        floor = floor_server(env, args.workers, work / "floor.log", floor_dir)
        rows = []
        for name, path in args.pages:
            row = measure_page(label, name, path, portal, floor, floor_dir, args)
            row.kind = kind
            rows.append(row)
    finally:
        _stop_all_servers()
    return rows


def report(rows, queries, args, facts, skipped):
    lines = [
        "",
        f"Intymak page benchmark, {date.today().isoformat()}: PostgreSQL database {args.database}, "
        f"{facts['grants'][0]:,} published grants ({facts['grants'][1]:,} in all)",
        f"gunicorn {facts['gunicorn']}, {args.workers} sync workers for the portal and {args.workers} for the floor, "
        f"on 127.0.0.1; {facts['wrk']} -t{args.threads} -c{args.connections}, {args.warmup} s warm-up, "
        f"{args.rounds} rounds of {args.duration} s of the page then {args.duration} s of the floor, the median round "
        "of each shown",
        "floor: benchmarks/floor.py, a bare Django view behind two middlewares (security headers) returning the "
        "page's bytes",
        f"load average {facts['load_before']} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after",
        "",
        f"{'run':<15} {'page':<12} {'bytes':>7} {'queries':>7} {'median':>9} {'p99':>9} {'req/s':>8} "
        f"{'err':>4} {'cache':<9} {'floor req/s':>11} {'share':>6}  goal",
    ]
    verdicts = []
    for row in rows:
        page, floor = row.page, row.floor
        share = page.rps / floor.rps if floor.rps else 0.0
        goal, goal_text = GOALS[row.kind]
        errors = sum(p.errors + f.errors for p, f in row.rounds)
        met = share >= goal and not errors
        verdicts.append(met)
        lines.append(
            f"{row.label:<15} {row.name:<12} {row.size:>7,} {queries[row.name]:>7} {page.median_ms:>7.1f}ms "
            f"{page.p99_ms:>7.1f}ms {page.rps:>8.1f} {errors:>4} {row.cache:<9} {floor.rps:>11.1f} {share:>6.3f}  "
            f">= {goal_text}: {'met' if met else 'NOT met'}"
        )
    lines.append("")
    lines.append(
        f"Goals: cached pages >= 1/2 of the floor's req/s, uncached >= 1/30, no errors: {sum(verdicts)} of "
        f"{len(verdicts)} met"
    )
    lines += [f"Skipped: {note}" for note in skipped]
    print("\n".join(lines))


def wrk_version(path):
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", done.stdout + done.stderr)
    return f"wrk {match.group(1)}" if match else "wrk"


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    facts = {"wrk": wrk_version(ensure_wrk())}
    work = Path(tempfile.mkdtemp(prefix="intymak-bench-"))
    runs, skipped = [], []
    try:
        static_root = work / "static"
        env = environment(args, static_root, work / "cache-setup")
        prepare_database(args, env)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        queries, facts["grants"] = count_queries(env, args.pages)
        import gunicorn

        facts["gunicorn"] = gunicorn.__version__
        facts["load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

        if args.no_uncached:
            skipped.append("page cache off: --no-uncached")
        else:
            uncached = {**environment(args, static_root, work / "c0"), "INTYMAK_PAGE_CACHE_SECONDS": "0"}
            runs.append(("uncached", "uncached", uncached))
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
            rows += run(label, kind, run_env, args, work)
        report(rows, queries, args, facts, skipped)
    finally:
        _stop_all_servers()
        for _label, _kind, run_env in runs:
            if "INTYMAK_CACHE_KEY_PREFIX" in run_env:
                forget_redis_keys(run_env["REDIS_URL"], run_env["INTYMAK_CACHE_KEY_PREFIX"])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
