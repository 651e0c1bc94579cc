"""How fast and how lean the grants exports are, against PostgreSQL's own COPY.

Generates 100,000 synthetic grants on PostgreSQL, serves the portal under gunicorn (one sync worker) and downloads
/en/reports/grants.csv and /en/reports/grants.xlsx as a signed-in staff user, measuring for each: total time (to the
last byte), time to the first byte, bytes, rows, and the serving worker's resident memory before the request and at
its peak. In the same run it times the floor: PostgreSQL itself writing the same rows (the same columns, joins and
per-grant aggregates, in the same order) with `COPY (...) TO STDOUT WITH CSV HEADER`, and checks that the CSV
export holds exactly those rows.

Goals: CSV within 3x of the floor with peak memory under 150 MiB; XLSX under 60 s and 200 MiB.

Run from the project root:  .venv/bin/python benchmarks/exports.py [--reuse] [--grants N] [--profile]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust). It talks to nothing but 127.0.0.1. See benchmarks/README.md.
"""

import argparse
import cProfile
import csv
import http.client
import importlib
import io
import itertools
import os
import pstats
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pages import (  # noqa: E402  (the project root must be importable first)
    POSTGRES,
    Server,
    _on_signal,
    _stop_all_servers,
    add_database_arguments,
    environment,
    manage,
    prepare_database,
)

LANGUAGE = "en"
FORMATS = ("csv", "xlsx")
PATHS = {"csv": f"/{LANGUAGE}/reports/grants.csv", "xlsx": f"/{LANGUAGE}/reports/grants.xlsx"}
# A filter no grant matches: the warm-up download runs the whole view (imports, translations, the totals' queries,
# the database connection) without the rows.
WARM_UP_QUERY = "?award_from=2999-01-01"
USERNAME = "exports-benchmark"
MIB = 1024 * 1024
CSV_FLOOR_FACTOR = 3
CSV_PEAK_LIMIT = 150 * MIB
XLSX_SECONDS_LIMIT = 60
XLSX_PEAK_LIMIT = 200 * MIB


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser, database="intymak_exports_bench", grants=100_000)
    parser.add_argument("--runs", type=int, default=3, help="Downloads of each format, each on a fresh worker (3).")
    parser.add_argument("--floor-runs", type=int, default=3, help="Timed COPYs for the floor (default 3).")
    parser.add_argument("--timeout", type=int, default=300, help="gunicorn's worker timeout in seconds (300).")
    parser.add_argument(
        "--as", dest="role", choices=("staff", "donor"), default="staff",
        help="Download as a staff user (every grant, the default) or a member of the Donors group (published only).",
    )  # fmt: skip
    parser.add_argument("--formats", default=",".join(FORMATS), help="Formats to download (default csv,xlsx).")
    parser.add_argument("--show-sql", action="store_true", help="Print the floor's SQL.")
    parser.add_argument(
        "--profile", action="store_true",
        help="Afterwards, profile each export in this process with cProfile and print where the time goes.",
    )  # fmt: skip
    args = parser.parse_args()
    args.formats = [item.strip() for item in args.formats.split(",") if item.strip()]
    if not args.formats or set(args.formats) - set(FORMATS):
        parser.error(f"--formats: a comma-separated choice of {', '.join(FORMATS)}")
    if args.runs < 1 or args.floor_runs < 1:
        parser.error("--runs and --floor-runs: at least 1")
    return args


def analyze(database):
    """ANALYZE the database: the planner's statistics, as autovacuum keeps them on a running site.

    generate_demo_data writes everything in one transaction and autovacuum may be off (it is on some development
    machines): without statistics PostgreSQL plans the exporter's queries for tables it thinks are empty.
    """
    import psycopg2

    connection = psycopg2.connect(dbname=database, **POSTGRES)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------------------------
# In-process Django: the user, the session, the counts, the floor's SQL, the profile.


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def signed_in_session(role):
    """(cookie, user): the session cookie of a user who may download the exports, staff or of the Donors group."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group

    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    user.is_active, user.is_staff, user.is_superuser = True, role == "staff", False
    user.set_unusable_password()
    user.save()
    if role == "donor":
        user.groups.set([Group.objects.get(name="Donors")])
    else:
        user.groups.clear()
    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user


def grant_counts(grants):
    """(public grants, grants in all, grants the export selects)."""
    from grants.models import Grant

    return Grant.objects.published().count(), Grant.objects.count(), grants.count()


def _literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def _identifier(text):
    return '"' + str(text).replace('"', '""') + '"'


def selected_grants(user):
    """(grants, form): what the export view selects for this user with no filters (reports.report_grants)."""
    import inspect

    from grants.reports import report_grants

    if "include_unpublished" in inspect.signature(report_grants).parameters:
        return report_grants({}, include_unpublished=user.is_staff)
    return report_grants(user, {})  # the earlier signature


def floor_sql(language, grants):
    """One SELECT giving what grants/exporters/tables.py writes to the CSV, column for column, in the same order.

    The rows are the grants of the queryset `grants`, the one the view exports: its WHERE clause is used as Django
    compiles it. Translated text falls back as tables._in_language does, choices become their labels in `language`,
    the locations and themes of a grant are joined with ", " in the order of their `name`, the targets' lines with
    " / ", text a spreadsheet would run as a formula gets an apostrophe in front (as grants/exporters/base.py does).
    """
    from django.conf import settings
    from django.db import connections
    from django.utils import translation

    from grants.exporters.tables import grant_headers
    from grants.models import Grant, Organization, Theme
    from locations.models import Location, Region

    connection = connections[grants.db]
    quote = connection.ops.quote_name
    g = quote(Grant._meta.db_table)  # not aliased, so that Django's WHERE clause applies as it is
    where, params = grants.query.get_compiler(using=grants.db).compile(grants.query.where)
    if where:
        with connection.cursor() as cursor:
            where = cursor.mogrify(where, params).decode()
        if re.sub(re.escape(g) + r'\."[a-z0-9_]+"', "", where).count('"'):
            raise SystemExit(f"The exported grants are filtered on more than the grants table: {where}")
    fallback = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]

    def translated(alias, column):
        return "COALESCE(" + ", ".join(f"NULLIF({alias}.{column}_{code}, '')" for code in fallback) + ", '')"

    def neutral(expr):
        # As grants/exporters/base.py writes it: an apostrophe before a tab or a carriage return; then defusedcsv's
        # rule, an apostrophe before = + - @ | % unless the text is a number, and "|" written as "\|".
        return (
            rf"CASE WHEN left({expr}, 1) IN (E'\t', E'\r') THEN '''' || {expr} "
            rf"WHEN left({expr}, 1) IN ('=', '+', '-', '@', '|', '%') AND {expr} !~ '^-?[0-9,.]+$' "
            rf"THEN '''' || replace({expr}, '|', '\|') ELSE {expr} END"
        )

    def label(expr, choices, otherwise):
        whens = " ".join(f"WHEN {_literal(value)} THEN {_literal(name)}" for value, name in choices)
        return f"CASE {expr} {whens} ELSE {otherwise} END"

    def names(through, target_model, target_column):
        # In the order of the name shown, then of the id, as the export lists them (grants/exporters/tables.py).
        shown = translated("t", "name")
        return (
            f"SELECT x.grant_id, string_agg({shown}, ', ' ORDER BY {shown} COLLATE \"C\", t.id) AS names "
            f"FROM {quote(through._meta.db_table)} x JOIN {quote(target_model._meta.db_table)} t "
            f"ON t.id = x.{target_column} GROUP BY x.grant_id"
        )

    # The lines (str.splitlines()) stripped, without empty ones, joined with " / ": the whitespace around each run
    # of line breaks becomes " / ", after the whitespace at both ends is gone.
    targets = (
        rf"regexp_replace(btrim({translated(g, 'targets')}, E' \t\n\r\f' || chr(11)), "
        r"'\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+\s*', ' / ', 'g')"
    )
    address_prefix = _literal(f"{settings.SITE_URL}/{language}/initiatives/")
    with translation.override(language):
        headers = [str(header) for header in grant_headers()]
        kinds = [(value, str(name)) for value, name in Grant.Kind.choices]
        statuses = [(value, str(name)) for value, name in Grant.Status.choices]
        legal_forms = [(value, str(name)) for value, name in Organization.LegalForm.choices]
    # (expression, neutralised): computed once in the inner SELECT, neutralised in the outer one.
    columns = [
        (f"{g}.reference", True),
        (translated(g, "title"), True),
        (label(f"{g}.kind", kinds, f"{g}.kind"), True),
        (label(f"{g}.status", statuses, f"{g}.status"), True),
        (translated("o", "name"), True),
        (label("o.legal_form", legal_forms, "''"), True),
        (translated("r", "name"), True),
        ("COALESCE(locations.names, '')", True),
        ("COALESCE(themes.names, '')", True),
        (f"{g}.amount", False),
        (f"{g}.currency", True),
        (f"{g}.award_date", False),
        (f"{g}.start_date", False),
        (f"{g}.end_date", False),
        (targets, True),
        (f"CASE WHEN {g}.published THEN {address_prefix} || {g}.slug || '/' ELSE '' END", False),
    ]
    inner = ",\n         ".join(f"{expr} AS c{index}" for index, (expr, _n) in enumerate(columns))
    outer = ",\n       ".join(
        f"{neutral(f'c{index}') if neutralised else f'c{index}'} AS {_identifier(header)}"
        for index, ((_expr, neutralised), header) in enumerate(zip(columns, headers, strict=True))
    )
    return (
        f"WITH locations AS ({names(Grant.locations.through, Location, 'location_id')}),\n"
        f"     themes AS ({names(Grant.themes.through, Theme, 'theme_id')})\n"
        f"SELECT {outer}\n"
        "FROM (\n"
        f"  SELECT {g}.reference AS sort_key,\n         {inner}\n"
        f"  FROM {g}\n"
        f"  JOIN {quote(Organization._meta.db_table)} o ON o.id = {g}.recipient_id\n"
        f"  JOIN {quote(Region._meta.db_table)} r ON r.id = {g}.region_id\n"
        f"  LEFT JOIN locations ON locations.grant_id = {g}.id\n"
        f"  LEFT JOIN themes ON themes.grant_id = {g}.id\n"
        + (f"  WHERE {where}\n" if where else "")
        + "  OFFSET 0\n"  # a fence: each value is computed once, however often the outer SELECT names it
        ") AS selected\n"
        "ORDER BY sort_key"
    )


def profile_exports(formats, role):
    """Each export rendered in this process under cProfile, as the view does it: where does the time go?"""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import translation

    from grants import exporters

    user = get_user_model().objects.get(username=USERNAME)
    print(f"\nProfiles: each export rendered in this process (DJANGO_SETTINGS_MODULE=benchmarks.settings, as {role})")
    with translation.override(LANGUAGE):
        grants, form = selected_grants(user)
        started = time.perf_counter()
        if hasattr(exporters, "export_context"):
            context = exporters.export_context(grants, form, LANGUAGE)
        else:  # before export_context(): what the view did itself
            from grants.reports import report_totals

            context = exporters.ExportContext(language=LANGUAGE, totals=report_totals(grants), filters=form.applied())
        print(f"the export's context, totals included (before the first byte): {time.perf_counter() - started:.2f} s")
        for name in formats:
            profiler = cProfile.Profile()
            size = 0
            started = time.perf_counter()
            profiler.enable()
            for chunk in exporters.FORMATS[name].render(grants, context):
                size += len(chunk)
            profiler.disable()
            seconds = time.perf_counter() - started
            print(f"\n--- {name}: {size:,} bytes in {seconds:.2f} s (under cProfile, which slows Python code down)")
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(22)
                text = out.getvalue()
                print(f"by {order}:")
                print(text[text.find("   ncalls") :].rstrip())
    connections.close_all()


# ---------------------------------------------------------------------------------------------------------------
# The floor: PostgreSQL's COPY of the same rows.


class _NullSink:
    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)


def copy_floor(database, sql, runs, keep_path):
    """(row count, bytes, [seconds of each timed COPY], server's jit setting); the first COPY (untimed) goes to
    keep_path. PostgreSQL runs with its own settings, as for the portal."""
    import psycopg2

    copy = f"COPY ({sql}) TO STDOUT WITH CSV HEADER"
    connection = psycopg2.connect(dbname=database, **POSTGRES)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS floor")
            rows = cursor.fetchone()[0]
            with open(keep_path, "wb") as kept:  # also warms PostgreSQL's cache
                cursor.copy_expert(copy, kept)
            seconds, size = [], 0
            for _run in range(runs):
                sink = _NullSink()
                started = time.perf_counter()
                cursor.copy_expert(copy, sink)
                seconds.append(time.perf_counter() - started)
                size = sink.size
        connection.rollback()
    finally:
        connection.close()
    return rows, size, seconds, jit


def compare_csv(export_path, floor_path):
    """(rows, identical rows, first difference or None): the export's data rows against the COPY's, parsed as CSV.

    A difference is (row number, the export's row, the COPY's row); row 0 is the header.
    """
    with (
        open(export_path, encoding="utf-8-sig", newline="") as export,
        open(floor_path, encoding="utf-8", newline="") as floor,
    ):
        exported, floored = csv.reader(export), csv.reader(floor)
        first = None
        header, floor_header = next(exported, None), next(floored, None)
        if header != floor_header:
            first = (0, header, floor_header)
        rows = same = 0
        for mine, theirs in itertools.zip_longest(exported, floored):
            rows += 1
            if mine == theirs:
                same += 1
            elif first is None:
                first = (rows, mine, theirs)
    return rows, same, first


# ---------------------------------------------------------------------------------------------------------------
# The serving worker's memory and the downloads.


def _children(pid):
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def worker_pid(master_pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children(master_pid)
        if len(children) == 1:
            return children[0]
        time.sleep(0.1)
    raise SystemExit(f"gunicorn {master_pid}: expected one worker, found {children}")


def cpu_seconds(pid):
    """User and system CPU time a process has used, in seconds (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory(pid):
    """{"VmRSS": bytes, "VmHWM": bytes} of a process, from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


class MemorySampler(threading.Thread):
    """The highest VmRSS of a process, sampled every few milliseconds until stopped."""

    def __init__(self, pid, interval=0.005):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                self.peak = max(self.peak, memory(self.pid)["VmRSS"])
            except (OSError, KeyError):
                return
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


@dataclass
class Download:
    status: int = 0
    total: float = 0.0  # seconds from sending the request to the last byte
    first_byte: float = 0.0  # seconds from sending the request to the first byte of the body
    headers: float = 0.0  # seconds from sending the request to the end of the response headers
    size: int = 0


def download(port, path, cookie, out_path, timeout):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    result = Download()
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        result.headers = time.perf_counter() - started
        result.status = response.status
        with open(out_path, "wb") as out:
            while chunk := response.read1(256 * 1024):
                if not result.size:
                    result.first_byte = time.perf_counter() - started
                result.size += len(chunk)
                out.write(chunk)
        result.total = time.perf_counter() - started
        if response.status != 200:
            where = response.getheader("Location", "")
            raise SystemExit(f"{path} answered {response.status} {where}".rstrip())
    finally:
        connection.close()
    return result


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def xlsx_rows(path):
    """Rows of the Grants sheet (without the header), read with openpyxl in read-only mode; and the sheet names."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        sheets = workbook.sheetnames
        rows = sum(1 for _ in workbook[sheets[0]].iter_rows(values_only=True)) - 1
    finally:
        workbook.close()
    return rows, sheets


@dataclass
class Measurement:
    format: str
    run: int
    download: Download
    rows: int
    before: int  # the worker's VmRSS before the request, bytes
    peak: int  # the highest of the sampled VmRSS and the worker's VmHWM after the request, bytes
    cpu: float = 0.0  # CPU seconds the worker used for the download (PostgreSQL's own not included)
    note: str = ""

    @property
    def increase(self):
        return self.peak - self.before


def measure(name, run, env, args, cookie, work):
    """One download on a fresh gunicorn worker, warmed first by the same export selecting no grants."""
    server = Server(env, 1, work / "gunicorn.log")
    try:
        pid = worker_pid(server.process.pid)
        warm = download(server.port, PATHS[name] + WARM_UP_QUERY, cookie, work / f"warm.{name}", args.timeout)
        if warm.status != 200:
            raise SystemExit(f"warm-up of {name} answered {warm.status}")
        time.sleep(0.5)
        before = memory(pid)["VmRSS"]
        cpu_before = cpu_seconds(pid)
        sampler = MemorySampler(pid)
        sampler.start()
        out_path = work / f"grants-{run}.{name}"
        try:
            result = download(server.port, PATHS[name], cookie, out_path, args.timeout)
        finally:
            sampler.stop()
        peak = max(sampler.peak, memory(pid)["VmHWM"])
        cpu = cpu_seconds(pid) - cpu_before
    finally:
        server.stop()
    note = ""
    if name == "csv":
        rows = csv_rows(out_path)
    else:
        rows, sheets = xlsx_rows(out_path)
        note = "sheets: " + ", ".join(sheets)
    return Measurement(name, run, result, rows, before, peak, cpu, note), out_path


# ---------------------------------------------------------------------------------------------------------------
# The report.


def _mib(size):
    return f"{size / MIB:.1f}"


def report(args, counts, floor, comparison, measurements):
    floor_rows, floor_size, floor_seconds, jit = floor
    best_floor = min(floor_seconds)
    expected = counts[2]
    lines = [
        "",
        f"Intymak export benchmark, {date.today().isoformat()}: PostgreSQL database {args.database}, "
        f"{counts[0]:,} public grants ({counts[1]:,} in all); downloads as {args.role}, who gets {expected:,}",
        f"gunicorn 1 sync worker on 127.0.0.1 (--timeout {args.timeout}), a fresh worker per download, warmed first "
        "by the same export selecting no grants; memory is that worker's resident set (/proc/<pid>/status: "
        "VmRSS sampled every 5 ms, and VmHWM), in MiB; CPU is the CPU time that worker used for the download "
        f"(/proc/<pid>/stat; PostgreSQL's not included); load average before the run: {args.load_before}",
        "",
        "floor: COPY (the same columns, joins and per-grant aggregates, ORDER BY reference) TO STDOUT WITH CSV "
        f"HEADER, read with psycopg2 into a null sink (PostgreSQL's jit={jit}): {floor_rows:,} rows, "
        f"{floor_size:,} bytes; "
        + ", ".join(f"{seconds:.2f} s" for seconds in floor_seconds)
        + f" (best {best_floor:.2f} s)",
    ]
    if comparison:
        rows, same, first = comparison
        lines.append(f"CSV export against the COPY, parsed as CSV: {same:,} of {rows:,} rows identical")
        if first:
            index, mine, theirs = first
            lines.append(f"  first difference, row {index}: export {mine!r}")
            lines.append(f"  {' ' * len(f'first difference, row {index}:')} COPY   {theirs!r}")
    lines += [
        "",
        f"{'format':<6} {'run':>3} {'total':>9} {'TTFB':>9} {'headers':>9} {'bytes':>13} {'rows':>9} "
        f"{'RSS before':>10} {'peak RSS':>9} {'increase':>9} {'CPU':>8}  rows ok",
    ]
    for item in measurements:
        d = item.download
        lines.append(
            f"{item.format:<6} {item.run:>3} {d.total:>8.2f}s {d.first_byte:>8.2f}s {d.headers:>8.2f}s {d.size:>13,} "
            f"{item.rows:>9,} {_mib(item.before):>10} {_mib(item.peak):>9} {_mib(item.increase):>9} {item.cpu:>7.2f}s  "
            f"{'yes' if item.rows == expected == floor_rows else 'NO'}" + (f"  {item.note}" if item.note else "")
        )
    lines += ["", "Goals (time: the best run; memory: the highest peak of the runs):"]
    verdicts = []

    def goal(text, met, figure):
        verdicts.append(met)
        lines.append(f"  {text:<38} {figure:<44} {'met' if met else 'NOT met'}")

    by_format = {name: [item for item in measurements if item.format == name] for name in FORMATS}
    if by_format["csv"]:
        best = min(item.download.total for item in by_format["csv"])
        peak = max(item.peak for item in by_format["csv"])
        limit = CSV_FLOOR_FACTOR * best_floor
        goal(
            f"CSV total <= {CSV_FLOOR_FACTOR} x floor ({limit:.2f} s)",
            best <= limit,
            f"{best:.2f} s = {best / best_floor:.2f} x floor",
        )
        goal(f"CSV peak RSS < {CSV_PEAK_LIMIT // MIB} MiB", peak < CSV_PEAK_LIMIT, f"{_mib(peak)} MiB")
    if by_format["xlsx"]:
        best = min(item.download.total for item in by_format["xlsx"])
        peak = max(item.peak for item in by_format["xlsx"])
        goal(f"XLSX total < {XLSX_SECONDS_LIMIT} s", best < XLSX_SECONDS_LIMIT, f"{best:.2f} s")
        goal(f"XLSX peak RSS < {XLSX_PEAK_LIMIT // MIB} MiB", peak < XLSX_PEAK_LIMIT, f"{_mib(peak)} MiB")
    rows_ok = all(item.rows == expected == floor_rows for item in measurements)
    lines.append(f"Goals met: {sum(verdicts)} of {len(verdicts)}; rows of every download = the floor's: "
                 f"{'yes' if rows_ok else 'NO'}")  # fmt: skip
    print("\n".join(lines), flush=True)


def main():
    args = parse_args()
    args.load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    work = Path(tempfile.mkdtemp(prefix="intymak-exports-bench-"))
    try:
        env = environment(args, work / "static", work / "cache")
        env.update(INTYMAK_PAGE_CACHE_SECONDS="0", GUNICORN_CMD_ARGS=f"--timeout {args.timeout}")
        prepare_database(args, env)
        manage(env, "migrate", "--noinput", "--verbosity", "0")  # a reused database may miss newer migrations
        analyze(args.database)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        setup_django(env)
        from django.db import connections

        cookie, user = signed_in_session(args.role)
        grants, _form = selected_grants(user)
        counts = grant_counts(grants)
        sql = floor_sql(LANGUAGE, grants)
        connections.close_all()
        if args.show_sql:
            print(sql)

        print(f"Floor: COPY of the same rows, {args.floor_runs} timed runs ...", flush=True)
        floor_path = work / "floor.csv"
        floor = copy_floor(args.database, sql, args.floor_runs, floor_path)

        measurements, comparison = [], None
        for name in args.formats:
            for run in range(1, args.runs + 1):
                print(f"Downloading {PATHS[name]} (run {run}) ...", flush=True)
                item, path = measure(name, run, env, args, cookie, work)
                measurements.append(item)
                print(
                    f"  {item.download.total:.2f} s, {item.cpu:.2f} s CPU, peak RSS {_mib(item.peak)} MiB, "
                    f"{item.rows:,} rows",
                    flush=True,
                )
                if name == "csv" and comparison is None:
                    comparison = compare_csv(path, floor_path)
                path.unlink()
        report(args, counts, floor, comparison, measurements)
        if args.profile:
            profile_exports(args.formats, args.role)
    finally:
        _stop_all_servers()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
