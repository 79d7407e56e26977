"""`manage.py bench`: every page type, cached and uncached, beside the two ceilings.

It builds a throwaway database (the content from fixtures/, plus ``--extra-points``
generated points), starts three servers on 127.0.0.1 and drives them with wrk, the
load generator from Debian's packages (it is not the bottleneck: it saturates a
bare WSGI app long before itself):

- L0: a bare WSGI app returning 20 KB, under gunicorn: the ceiling of the server.
- L1: Django + whitenoise serving a 20 KB static file, under the site's own
  gunicorn: the ceiling of this deployment.
- hit: each page from the site's gunicorn, page cache on (the page is warmed first).
- miss: each page from a second gunicorn with ``PAGE_CACHE_SECONDS=0``, so every
  request renders the page (the small fragment caches stay warm, as in production).
- after a save: the benched pages in turn on the cached server, counted every 250 ms, while a
  real save (a published point re-saved through its model, in a transaction, as the admin does)
  retires every cached page 1 s in: how far throughput falls and how soon it is back above half.

Every target runs ``--rounds`` times for ``--seconds``, all targets taking turns,
so whatever else the machine does slows all of them alike; the table gives the
median of the rounds. Within a round L1 runs again before each page, and a run's
× L1 is its req/s over that L1 run's: the machine's speed drifts by a tenth within
a minute, more than the difference between a hit and L1. Every request asks for
brotli or gzip, as browsers do (L1 gets brotli, pages gzip). Both servers run
``--workers`` sync workers, as `make serve` does, with access logging off.

``--postgres URL`` (with ``--redis URL``) runs the same on a temporary PostgreSQL
database created next to the one in URL and dropped afterwards, with the page
cache in Redis under a key prefix of its own. Everything temporary is removed and
every server stopped on exit, also on Ctrl-C and SIGTERM.
"""

import gzip
import math
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import brotli
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from acusite.measure.pages import BENCHED
from acusite.measure.server import ProductionServer, free_port, interrupt_on_sigterm

REFERENCE_BYTES = 20 * 1024
L1_PATH = "/static/bench/l1.html"
# What Chromium and Firefox ask for, less zstd, which nothing here serves.
ACCEPT_ENCODING = "gzip, deflate, br"
WRK = shutil.which("wrk")

L0_APP = '''"""The bench's L0: the cheapest WSGI answer of 20 KB."""
from pathlib import Path

BODY = Path(__file__).with_name("l0.html").read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
'''


# After a save: wrk over the benched pages for AFTER_SAVE_WINDOW seconds, counted per interval, with the
# save SAVE_AT seconds in. The lead-in lets wrk start and connect before the first interval counts.
INTERVAL_SECONDS = 0.25
AFTER_SAVE_WINDOW = 4
SAVE_AT = 1.0
LEAD_IN_SECONDS = 0.5
SAVED_POINT = "LI4"

# wrk gives totals only and takes whole seconds for -d (it refuses 0.25s), and back-to-back 1 s runs
# would each reconnect and leave gaps just where the save lands. So one run, with this script counting
# responses per interval of CLOCK_MONOTONIC, the clock of Python's time.monotonic(): the intervals line
# up with the moment the save helper reports. Arguments: origin, interval, then the paths, taken in turn.
INTERVALS_LUA = r"""-- The bench's after-save run: responses per interval, by the monotonic clock.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  origin, interval = tonumber(args[1]), tonumber(args[2])
  requests = {}
  for i = 3, #args do
    requests[#requests + 1] = wrk.format(nil, args[i])
  end
  position = 0
  counts, failures = {}, {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  local index = math.floor((now() - origin) / interval)
  counts[index] = (counts[index] or 0) + 1
  if status > 399 then
    failures[index] = (failures[index] or 0) + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local failures = thread:get("failures")
    for index, count in pairs(thread:get("counts")) do
      io.write(string.format("interval %d %d %d\n", index, count, failures[index] or 0))
    end
  end
end
"""

# Run by `manage.py shell -c` on the servers' database: Django loaded and the point read, it waits
# for a line on stdin, then saves the point as the admin does (in a transaction: the model's save
# bumps the content version inside it and again at commit) and prints when the commit was done.
SAVE_ON_CUE = f"""
import sys
import time
from django.db import transaction
from points.models import Point
point = Point.objects.published().get(code={SAVED_POINT!r})
print("ready", flush=True)
sys.stdin.readline()
with transaction.atomic():
    point.save()
print(time.monotonic(), flush=True)
"""


def percentile_ms(text, label):
    """A latency from wrk's --latency distribution, in milliseconds."""
    match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(text):
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", text)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": percentile_ms(text, "50"),
        "p99": percentile_ms(text, "99"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (int(timeouts.group(1)) if timeouts else 0),
    }


def interval_counts(text, intervals):
    """Responses and error responses per interval, summed over wrk's threads, from the lines the
    after-save script prints; the lead-in (negative intervals) and whatever came after are left out."""
    counts, errors = [0] * intervals, [0] * intervals
    for index, responses, failed in re.findall(r"^interval (-?\d+) (\d+) (\d+)$", text, re.MULTILINE):
        if 0 <= int(index) < intervals:
            counts[int(index)] += int(responses)
            errors[int(index)] += int(failed)
    return counts, errors


def recovery_seconds(counts, interval, baseline_rps, saved_at):
    """Seconds from the save until throughput was back above half of the baseline for good: to the end
    of the last interval after the save below half (to within one interval). 0.0 when none fell below
    half, None when the window ended below it. A dip before the save is the machine, not the save."""
    last_below = None
    for index, count in enumerate(counts):
        if (index + 1) * interval > saved_at and count / interval < baseline_rps / 2:
            last_below = index
    if last_below is None:
        return 0.0
    if last_below == len(counts) - 1:
        return None
    return (last_below + 1) * interval - saved_at


def wrk_threads(connections):
    return max(1, min(2, connections))


def is_local(url):
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


class Command(BaseCommand):
    help = "Requests/s and p50/p99 of every page type, cached and uncached, beside L0 and L1, with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=2, help="Length of each measurement (default 2).")
        parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds per target (default 5).")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `make serve`).")
        parser.add_argument("--extra-points", type=int, default=5000, help="Generated points added (default 5000).")
        parser.add_argument("--postgres", default="", help="Run on a temporary PostgreSQL database beside this URL.")
        parser.add_argument("--redis", default="", help="Redis URL for the page cache (with --postgres).")

    def handle(self, *args, seconds, rounds, connections, workers, extra_points, postgres, redis, **options):
        for url in filter(None, (postgres, redis)):
            if not is_local(url):
                raise CommandError(f"The bench only runs against this machine; {url} is not local.")
        if WRK is None:
            raise CommandError("make bench needs wrk: apt-get install wrk")
        if not 1 <= seconds <= 120 or not 1 <= rounds <= 20 or not 1 <= connections <= 512:
            raise CommandError("Use 1-120 seconds, 1-20 rounds and 1-512 connections.")
        if not 1 <= workers <= 32 or not 0 <= extra_points <= 100_000:
            raise CommandError("Use 1-32 workers and at most 100,000 extra points.")
        folder = Path(tempfile.mkdtemp(prefix="acusite-bench-"))
        previous_sigterm = signal.signal(signal.SIGTERM, interrupt_on_sigterm)
        servers = []
        database = None
        try:
            environment = {"PAGE_CACHE_SECONDS": "600", "DJANGO_LOG_LEVEL": "WARNING"}
            if postgres:
                database = self.create_postgres(postgres)
                environment["DATABASE_URL"] = database
            else:
                environment["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
            environment["REDIS_URL"] = redis if postgres else ""
            environment["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
            label = "PostgreSQL + Redis" if postgres else "SQLite, local-memory page cache"
            self.stdout.write(f"Preparing a temporary database ({label}) with {extra_points:,} extra points...")
            (folder / "cached").mkdir()
            cached = ProductionServer(folder / "cached", workers, environment)
            self.prepare(cached.environment, extra_points)
            uncached_folder = folder / "uncached"
            uncached_folder.mkdir()
            uncached = ProductionServer(uncached_folder, workers, {**environment, "PAGE_CACHE_SECONDS": "0"})
            for server in (cached, uncached):
                server.collectstatic()
            self.write_references(folder, cached)
            l0 = self.start_l0(folder, workers)
            servers = [cached, uncached, l0]
            for server in (cached, uncached):
                server.start()
            for server in (cached, uncached):
                server.wait_until_healthy()
            self.wait_for(l0.url + "/")
            targets = self.targets(cached, uncached, l0)
            self.stdout.write(
                f"Measuring {len(targets)} targets, {rounds} interleaved rounds of {seconds:g} s, "
                f"{connections} connections, {workers} workers each..."
            )
            results = self.measure(targets, seconds, rounds, connections)
            self.stdout.write(f"Measuring throughput after a save ({AFTER_SAVE_WINDOW} s, one save)...")
            after_save = self.measure_after_save(folder, cached, seconds, connections)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; servers stopped.", returncode=130) from None
        finally:
            for server in servers:
                server.stop()
            if database:
                self.drop_postgres(database)
            signal.signal(signal.SIGTERM, previous_sigterm)
            shutil.rmtree(folder, ignore_errors=True)
        self.report(results, label, extra_points, seconds, rounds, connections, workers)
        self.report_after_save(after_save, label, connections)

    # Setting up ---------------------------------------------------------------------------

    def manage(self, environment, *arguments):
        result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"manage.py {arguments[0]} failed:\n{result.stderr[-2000:]}")

    def prepare(self, environment, extra_points):
        self.manage(environment, "migrate", "--noinput", "-v0")
        self.manage(environment, "load_content", "-v0")
        if extra_points:
            self.manage(
                environment,
                "shell",
                "-c",
                f"from acusite.measure.generated import add_generated_points; add_generated_points({extra_points})",
            )
        # Planner statistics and GIN indexes up to date, as a live database has them (autovacuum):
        # without them PostgreSQL picks plans for empty tables, one COUNT over the new rows takes a
        # second, and the search index reads the rows added since it was built one by one.
        self.manage(
            environment,
            "shell",
            "-c",
            "from django.db import connection; "
            "connection.cursor().execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE')",
        )

    def create_postgres(self, url):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'acusite'}_bench_{secrets.token_hex(3)}"
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path=f"/{name}"))

    def drop_postgres(self, url):
        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')

    def write_references(self, folder, cached):
        """20 KB of real HTML (the start of the site's own page template repeated) for L0 and L1."""
        sample = (settings.BASE_DIR / "templates" / "base.html").read_bytes()
        body = (sample * (REFERENCE_BYTES // len(sample) + 1))[:REFERENCE_BYTES]
        bench_static = cached.static_root / "bench"
        bench_static.mkdir(parents=True, exist_ok=True)
        (bench_static / "l1.html").write_bytes(body)
        # Precompressed, as whitenoise serves the site's own static files.
        (bench_static / "l1.html.gz").write_bytes(gzip.compress(body, 9))
        (bench_static / "l1.html.br").write_bytes(brotli.compress(body))
        (folder / "l0.html").write_bytes(body)
        (folder / "bench_l0.py").write_text(L0_APP)

    def start_l0(self, folder, workers):
        class BareServer(ProductionServer):
            def start(self):
                self.log = self.log_path.open("w")
                self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
                    [sys.executable, "-m", "gunicorn", "bench_l0:application", "--chdir", str(self.folder),
                     "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--log-level", "warning",
                     "--no-control-socket"],
                    stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip

        l0_folder = folder / "l0"
        l0_folder.mkdir()
        shutil.move(folder / "l0.html", l0_folder / "l0.html")
        shutil.move(folder / "bench_l0.py", l0_folder / "bench_l0.py")
        server = BareServer(l0_folder, workers)
        server.port = free_port()
        server.url = f"http://127.0.0.1:{server.port}"
        server.start()
        return server

    def wait_for(self, url):
        give_up = time.monotonic() + 30
        while time.monotonic() < give_up:
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise CommandError(f"{url} did not answer within 30 s")

    def fetch(self, url):
        request = urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT_ENCODING})  # noqa: S310 - local
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                body = response.read()
                status = response.status
                encoding = response.headers.get("Content-Encoding")
        except urllib.error.HTTPError as error:
            return error.code, b"", 0
        size = len(body)
        if encoding == "gzip":
            body = gzip.decompress(body)
        return status, body, size

    def targets(self, cached, uncached, l0):
        targets = [
            ("L0: bare WSGI app, 20 KB", "", f"{l0.url}/"),
            ("L1: whitenoise, 20 KB file", "", cached.url + L1_PATH),
        ]
        for page in BENCHED:
            for kind, server in (("hit", cached), ("miss", uncached)):
                url = server.url + page.path
                status, body, size = self.fetch(url)
                if status != 200:
                    raise CommandError(f"{page.path} answered {status} on the {kind} server; it must be a real page.")
                if page.must_contain not in body.decode(errors="replace"):
                    raise CommandError(f"{page.path} shows no results; its figures would flatter.")
                targets.append((f"{page.name} {kind}", f"{page.path} ({size / 1024:.1f} KB gz)", url))
        return targets

    # Measuring ---------------------------------------------------------------------------

    def measure(self, targets, seconds, rounds, connections):
        runs = {name: [] for name, _, _ in targets}
        urls = {name: url for name, _, url in targets}
        (l0, _, _), (l1, _, _), *pages = targets
        threads = wrk_threads(connections)
        for round_number in range(rounds):
            figures = []
            for name in round_order(l0, l1, [name for name, _, _ in pages]):
                result = subprocess.run(  # noqa: S603 - wrk with our arguments against our servers
                    [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                     "-H", f"Accept-Encoding: {ACCEPT_ENCODING}", urls[name]],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if result.returncode:
                    raise CommandError(f"wrk failed on {urls[name]}:\n{(result.stderr or result.stdout)[-1000:]}")
                figures.append((name, parse_wrk(result.stdout)))
            for name, run in with_ratios(figures, l1):
                runs[name].append(run)
            self.stdout.write(f"  round {round_number + 1} of {rounds} done")
        return [(name, path, summarise(runs[name])) for name, path, _ in targets]

    def measure_after_save(self, folder, cached, seconds, connections):
        """Throughput over the benched pages before and after one real save, per interval."""
        script = folder / "intervals.lua"
        script.write_text(INTERVALS_LUA)
        paths = [page.path for page in BENCHED]
        saver = self.start_save_on_cue(cached.environment)
        run = None
        try:
            # Every page is warm in every worker already (each was just measured as a hit; the local-memory
            # cache is per worker); one more second over the mix makes sure, then the baseline.
            self.wrk_result(self.run_wrk_over(script, cached, paths, 1, connections), cached)
            baseline = self.wrk_result(self.run_wrk_over(script, cached, paths, seconds, connections), cached)
            origin = time.monotonic() + LEAD_IN_SECONDS
            # Whole seconds for -d, and a second to spare: the window must end before wrk does.
            duration = math.ceil(LEAD_IN_SECONDS + AFTER_SAVE_WINDOW) + 1
            run = self.run_wrk_over(script, cached, paths, duration, connections, origin)
            time.sleep(max(0.0, origin + SAVE_AT - time.monotonic()))
            asked_at = time.monotonic() - origin
            saved_at = self.save_now(saver) - origin
            text = self.wrk_result(run, cached)
        finally:
            for process in filter(None, (saver, run)):
                if process.poll() is None:
                    process.kill()
                process.wait()
        counts, errors = interval_counts(text, round(AFTER_SAVE_WINDOW / INTERVAL_SECONDS))
        return {
            "baseline": parse_wrk(baseline)["rps"],
            "counts": counts,
            "errors": errors,
            "wrk_errors": parse_wrk(text)["errors"],
            "asked_at": asked_at,
            "saved_at": saved_at,
            "pages": len(paths),
            "baseline_seconds": seconds,
        }

    def start_save_on_cue(self, environment):
        saver = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "shell", "-v0", "-c", SAVE_ON_CUE],
            cwd=settings.BASE_DIR, env=environment, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        # Django starts before the measuring does, so the save lands when it is asked for.
        for line in saver.stdout:
            if line.strip() == "ready":
                return saver
        raise CommandError(f"The save helper did not start:\n{saver.communicate()[1][-2000:]}")

    def save_now(self, saver):
        """Saves the point; the moment its commit was done, on the monotonic clock."""
        saver.stdin.write("save\n")
        saver.stdin.flush()
        line = saver.stdout.readline()
        try:
            return float(line)
        except ValueError:
            raise CommandError(f"The save failed:\n{line}{saver.communicate()[1][-2000:]}") from None

    def run_wrk_over(self, script, server, paths, duration, connections, origin=None):
        """wrk over the paths in turn; the script counts responses per interval from origin (now if None)."""
        origin = time.monotonic() if origin is None else origin
        return subprocess.Popen(  # noqa: S603 - wrk with our arguments against our servers
            [WRK, f"-t{wrk_threads(connections)}", f"-c{connections}", f"-d{duration}s",
             "-H", f"Accept-Encoding: {ACCEPT_ENCODING}", "-s", str(script), server.url + "/",
             "--", f"{origin:.6f}", str(INTERVAL_SECONDS), *paths],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def wrk_result(self, run, server):
        stdout, stderr = run.communicate()
        if run.returncode:
            raise CommandError(f"wrk failed on {server.url}:\n{(stderr or stdout)[-1000:]}")
        return stdout

    def report(self, results, label, extra_points, seconds, rounds, connections, workers):
        self.stdout.write("")
        self.stdout.write(
            f"{label}; {extra_points:,} extra points; {os.cpu_count()} cores; wrk {connections} connections; "
            f"gunicorn {workers} sync workers; median of {rounds} rounds of {seconds:g} s (× L1: against the L1 run "
            f"just before each page); {time.strftime('%Y-%m-%d')}"
        )
        self.stdout.write("")
        self.stdout.write("| target | page | req/s | p50 ms | p99 ms | × L1 | errors |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for name, path, figures in results:
            self.stdout.write(
                f"| {name} | {('`' + path.split(' (')[0] + '`' + path[len(path.split(' (')[0]) :]) if path else ''} "
                f"| {figures['rps']:,.0f} | {figures['p50']:.1f} | {figures['p99']:.1f} "
                f"| {figures['ratio']:.2f} | {figures['errors']} |"
            )

    def report_after_save(self, figures, label, connections):
        baseline, saved_at = figures["baseline"] or 1.0, figures["saved_at"]
        self.stdout.write("")
        self.stdout.write(
            f"After a save ({label}): the {figures['pages']} benched pages in turn on the cached server, "
            f"wrk {connections} connections; baseline {baseline:,.0f} req/s (the same for "
            f"{figures['baseline_seconds']} s, page cache warm); {SAVED_POINT} re-saved through its model, "
            f"asked for {figures['asked_at']:.2f} s in, committed {saved_at:.2f} s in; "
            f"wrk errors {figures['wrk_errors']}"
        )
        self.stdout.write("")
        self.stdout.write("| interval | req/s | × baseline | errors | |")
        self.stdout.write("|---|---|---|---|---|")
        for index, (count, errors) in enumerate(zip(figures["counts"], figures["errors"], strict=True)):
            start, end = index * INTERVAL_SECONDS, (index + 1) * INTERVAL_SECONDS
            rps = count / INTERVAL_SECONDS
            note = "save" if start <= saved_at < end else ""
            if end > saved_at and rps < baseline / 2:
                note = f"{note}, below half" if note else "below half"
            self.stdout.write(f"| {start:.2f}–{end:.2f} s | {rps:,.0f} | {rps / baseline:.2f} | {errors} | {note} |")
        self.stdout.write("")
        recovery = recovery_seconds(figures["counts"], INTERVAL_SECONDS, baseline, saved_at)
        if recovery is None:
            after = AFTER_SAVE_WINDOW - saved_at
            self.stdout.write(
                f"Recovery: still below half of the baseline {after:.2f} s after the save: NOT within 1 s."
            )
        elif recovery == 0:
            self.stdout.write("Recovery: throughput never fell below half of the baseline: within 1 s.")
        else:
            verdict = "within 1 s" if recovery <= 1.0 else "NOT within 1 s"
            self.stdout.write(
                f"Recovery: back above half of the baseline for good {recovery:.2f} s after the save "
                f"(to within {INTERVAL_SECONDS:g} s): {verdict}."
            )


def round_order(l0, l1, pages):
    """One round's runs: L1 before each page's hit and miss (``pages`` holds them in pairs), L0 after
    the first L1. The machine's speed drifts by a tenth within a minute, so each page is compared with
    the L1 measured seconds before it, not a minute away."""
    order = []
    for index in range(0, len(pages), 2):
        order += [l1, *([l0] if index == 0 else []), *pages[index : index + 2]]
    return order


def with_ratios(figures, l1):
    """Each run of a round, in order, with its req/s over that of the L1 run last before it."""
    reference = None
    for name, run in figures:
        if name == l1:
            reference = run["rps"] or 1.0
        yield name, {**run, "ratio": run["rps"] / reference}


def summarise(runs):
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "ratio": statistics.median(run["ratio"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
