"""`manage.py bench`: how close each page type comes to serving a static file.

It starts its own gunicorn in production mode (DEBUG off, a throwaway secret
key, 127.0.0.1 on a free port, ``--workers`` sync workers like `make serve`)
against the current database and cache (DATABASE_URL and REDIS_URL pass
through), then for each page measures requests/s and p50/p99 latency with
``--clients`` concurrent clients, and the same for a static HTML file of exactly
the same bytes served by the same gunicorn.

The static file is the page's own response body, written under a temporary
STATIC_ROOT and served by WhiteNoise, which is how this site serves every
static file in production. So "static" means the cheapest response this
deployment can give (same server, same WSGI entry, same first middleware), and
the ratio isolates what the page itself costs: routing, the page cache, the
remaining middleware. WhiteNoise indexes STATIC_ROOT when a worker boots, so
after writing the files the bench sends gunicorn SIGHUP, which replaces the
workers and keeps the same master and listening socket. Page and file are
measured in alternating half-second slices, so whatever else the machine is
doing slows both alike. Each request is a new connection, as gunicorn's sync
workers close after every response anyway.

The temporary STATIC_ROOT comes from a throwaway settings module that imports
acusite.settings and changes nothing else. Everything lives in a temporary
folder that is removed, and gunicorn is stopped, on exit, on Ctrl-C and on
SIGTERM. Access logging is off during the bench, so the figures are the app's,
not the log's.
"""

import asyncio
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from points.management.commands.loadtest import ProtocolError, Run, Target, fetch, run_load
from points.production_server import STARTUP_SECONDS, ProductionServer, interrupt_on_sigterm

PAGES = [
    ("home", "/"),
    ("point", "/points/li4/"),
    ("filtered list", "/points/?area=lower-back&condition=sciatica"),
    ("meridian", "/meridians/bl/"),
    ("condition", "/conditions/lower-back-pain/"),
    ("search", "/search/?q=zhishi"),
]
MIN_RATIO = 0.5
MAX_P99_MS = 50.0
BENCH_STATIC = "bench"
SLICE_SECONDS = 0.5


class Command(BaseCommand):
    help = "Benchmark each page type against a static file of the same size, on a gunicorn started for the purpose."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10.0, help="Measuring time per page and per static file.")
        parser.add_argument("--warmup", type=float, default=1.0, help="Unmeasured load before each measurement.")
        parser.add_argument("--clients", type=int, default=16, help="Concurrent clients (default 16).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `make serve`).")
        parser.add_argument(
            "--max-requests", type=int, default=500_000, help="Stop a measurement after this many requests."
        )
        parser.add_argument("paths", nargs="*", help="Pages to measure instead of the standard six, e.g. /points/bl52/")

    def handle(self, *args, seconds, warmup, clients, workers, max_requests, paths, **options):
        if not 0 < seconds <= 600 or not 0 <= warmup <= 60 or not 1 <= clients <= 256 or not 1 <= workers <= 32:
            raise CommandError("Use 0-600 seconds, 0-60 s of warm-up, 1-256 clients and 1-32 workers.")
        pages = [(path, path) for path in paths] if paths else PAGES
        if any(not path.startswith("/") for _, path in pages):
            raise CommandError("Pages are paths on the site, starting with /.")
        folder = Path(tempfile.mkdtemp(prefix="acusite-bench-"))
        server = ProductionServer(folder, workers)
        previous_sigterm = signal.signal(signal.SIGTERM, interrupt_on_sigterm)
        try:
            self.stdout.write("Collecting static files into a temporary STATIC_ROOT...")
            server.collectstatic()
            server.start()
            rows = asyncio.run(self.bench(server, pages, seconds, warmup, clients, max_requests))
        except KeyboardInterrupt:
            raise CommandError("Interrupted; gunicorn stopped.", returncode=130) from None
        finally:
            server.stop()
            signal.signal(signal.SIGTERM, previous_sigterm)
            shutil.rmtree(folder, ignore_errors=True)
        self.report(rows, seconds, clients, workers)
        broken = [row for row in rows if row["error"]]
        if broken:
            raise CommandError(f"{len(broken)} page(s) could not be measured: " + ", ".join(r["path"] for r in broken))

    async def wait_until(self, server, ready, what):
        give_up = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < give_up:
            server.check_alive()
            if await ready():
                return
            await asyncio.sleep(0.2)
        raise CommandError(f"gunicorn did not {what} within {STARTUP_SECONDS} s:\n{server.log_tail()}")

    async def answers(self, target, path, expect_status=None, expect_size=None):
        try:
            response = await fetch(target, path, timeout=5)
        except (OSError, TimeoutError, ProtocolError):
            return False
        if expect_status is None:
            return response.status == 200
        return response.status == expect_status and len(response.body) == expect_size

    async def bench(self, server, pages, seconds, warmup, clients, max_requests):
        target = Target("127.0.0.1", server.port)
        await self.wait_until(server, lambda: self.answers(target, "/healthz"), "answer /healthz")
        self.stdout.write(f"gunicorn ({server.workers} workers) is up on {target.url('/')}")

        # The static twin of each page: the very bytes the page returned.
        rows = []
        static_folder = server.static_root / BENCH_STATIC
        static_folder.mkdir(parents=True, exist_ok=True)
        for number, (name, path) in enumerate(pages):
            try:
                response = await fetch(target, path)
            except (OSError, TimeoutError, ProtocolError) as error:
                rows.append({"name": name, "path": path, "status": "-", "bytes": 0, "error": type(error).__name__})
                continue
            row = {"name": name, "path": path, "status": response.status, "bytes": len(response.body), "error": ""}
            if not 200 <= response.status < 400:
                row["error"] = f"HTTP {response.status}"
            else:
                (static_folder / f"page-{number}.html").write_bytes(response.body)
                row["static_path"] = f"{settings.STATIC_URL}{BENCH_STATIC}/page-{number}.html"
            rows.append(row)

        server.reload()
        measurable = [row for row in rows if not row["error"]]

        async def static_files_served():
            for _ in range(3 * server.workers):
                for row in measurable:
                    if not await self.answers(target, row["static_path"], 200, row["bytes"]):
                        return False
            return True

        await self.wait_until(server, static_files_served, "serve the static files after reloading")

        for row in rows:
            if row["error"]:
                self.stdout.write(f"  {row['path']}: {row['error']}, not measured")
                continue
            targets = {"page": row["path"], "static": row["static_path"]}
            if warmup:
                for path in targets.values():
                    await run_load(
                        target, [("warm-up", path)], clients=clients, seconds=warmup, max_requests=max_requests
                    )
            # Page and static file take turns in short slices, so a noisy neighbour on the machine
            # slows both alike and the ratio stays honest.
            runs = {kind: Run() for kind in targets}
            slices = max(1, round(seconds / SLICE_SECONDS))
            for _ in range(slices):
                for kind, path in targets.items():
                    remaining = max_requests - runs[kind].total
                    if remaining <= 0:
                        continue
                    part = await run_load(
                        target, [(kind, path)], clients=clients, seconds=seconds / slices, max_requests=remaining
                    )
                    runs[kind].samples += part.samples
                    runs[kind].elapsed += part.elapsed
            server.check_alive()
            for kind, run in runs.items():
                expected = row["status"] if kind == "page" else 200
                unexpected = {status: count for status, count in run.statuses.items() if status != expected}
                if unexpected:
                    row["error"] = f"{kind} answered {unexpected}"
                row[kind] = {"rps": run.rps, "p50": run.latency_ms(50), "p99": run.latency_ms(99), "n": run.total}
            self.stdout.write(f"  measured {row['path']}")
        return rows

    def report(self, rows, seconds, clients, workers):
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        cache = "redis" if os.environ.get("REDIS_URL") else "local memory (per worker)"
        write = self.stdout.write
        write(
            f"\n{clients} clients, {seconds:g} s per measurement, gunicorn {workers} sync workers, "
            f"database {database}, cache {cache}.\n"
            "static = the same bytes as a file served by WhiteNoise on the same gunicorn; "
            "ratio = page rps / static rps."
        )
        header = (
            f"{'page':<46}{'status':>7}{'bytes':>8}{'rps':>9}{'p50 ms':>8}{'p99 ms':>8}"
            f"{'static rps':>11}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}  flags"
        )
        write(header)
        write("-" * len(header))
        for row in rows:
            if "page" not in row or "static" not in row:
                write(f"{row['path'][:45]:<46}{row['status']:>7}{row['bytes']:>8}  {row['error']}")
                continue
            page, static = row["page"], row["static"]
            ratio = page["rps"] / static["rps"] if static["rps"] else 0.0
            flags = []
            if ratio < MIN_RATIO:
                flags.append(f"ratio < {MIN_RATIO}")
            if page["p99"] > MAX_P99_MS:
                flags.append(f"p99 > {MAX_P99_MS:g} ms")
            if row["error"]:
                flags.append(row["error"])
            flag_text = self.style.WARNING(", ".join(flags)) if flags else "ok"
            write(
                f"{row['path'][:45]:<46}{row['status']:>7}{row['bytes']:>8}{page['rps']:>9.0f}{page['p50']:>8.1f}"
                f"{page['p99']:>8.1f}{static['rps']:>11.0f}{static['p50']:>8.1f}{static['p99']:>8.1f}"
                f"{ratio:>7.2f}  {flag_text}"
            )
