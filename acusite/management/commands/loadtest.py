"""`manage.py loadtest`: many readers at once against a server running on this machine.

The load generator is standard library only: asyncio streams speaking just
enough HTTP/1.1 (one request per connection, ``Connection: close``, which is
what gunicorn's default sync workers do anyway). One event loop drives every
client, so 64 clients cost one thread rather than 64 fighting over the GIL.
`manage.py bench` uses the same machinery.

It only ever talks to 127.0.0.1, localhost or ::1, and stops by itself after
``--seconds`` or ``--max-requests``, whichever comes first.
"""

import asyncio
import itertools
import math
import random
import re
import socket
import struct
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from django.core.management.base import BaseCommand, CommandError

from acusite.measure.pages import PAGE_TYPES

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT = 10.0
NO_LINGER = struct.pack("ii", 1, 0)

# What readers do: every page type that answers 200, and more of the kinds they ask for most. A redirect
# (an alias, an exact search) counts as success.
PAGE_MIX = [(page.name, page.path) for page in PAGE_TYPES if page.status == 200] + [
    ("filtered list", "/points/?area=lower-back"),
    ("filtered list", "/points/?area=lower-back&area=sacrum-buttock&without=pregnancy"),
    ("filtered list", "/points/?meridian=bl"),
    ("all points", "/points/?show=all&page=3"),
    ("filtered list", "/points/?q=hegu"),
    ("point", "/points/bl52/"),
    ("point", "/points/bl40/"),
    ("point", "/points/gb30/"),
    ("point", "/points/gb21/"),
    ("alias", "/points/LI-4/"),
    ("alias", "/points/4gi/"),
    ("alias", "/points/b47/"),
    ("alias", "/points/liv3/"),
    ("alias", "/points/ub62/"),
    ("alias", "/points/du16/"),
    ("alias", "/points/sj3/"),
    ("meridian", "/meridians/gb/"),
    ("condition", "/conditions/sciatica/"),
    ("safety", "/safety/red-flags/"),
    ("safety", "/safety/bone-metastasis/"),
    ("search", "/search/?q=zhishi"),
    ("search", "/search/?q=sciatica"),
    ("search", f"/search/?q={quote('合谷')}"),
]
SITEMAP_SAMPLE = 60
SITEMAP_KINDS = {"points": "point", "meridians": "meridian", "conditions": "condition", "safety": "safety"}


@dataclass(frozen=True)
class Target:
    host: str
    port: int

    @property
    def host_header(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def url(self, path):
        return f"http://{self.host_header}{path}"


def local_target(url):
    """The server to load, refusing anything that is not this machine."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise CommandError(f"Use a plain http:// URL on this machine, such as http://127.0.0.1:8000 (got {url!r}).")
    if parts.hostname not in LOCAL_HOSTS:
        raise CommandError(
            f"Refusing to load {parts.hostname or url!r}: only 127.0.0.1, localhost and ::1 may be load-tested."
        )
    if parts.path not in ("", "/") or parts.query:
        raise CommandError(f"Give the server's root URL without a path, such as http://127.0.0.1:8000 (got {url!r}).")
    try:
        port = parts.port or 80
    except ValueError:
        raise CommandError(f"{url!r} has an invalid port.") from None
    return Target(host=parts.hostname, port=port)


class ProtocolError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def _dechunk(body):
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += rest[:size]
        rest = rest[size + 2 :]
    raise ProtocolError("chunked body ended early")


async def fetch(target, path, timeout=REQUEST_TIMEOUT):
    """One GET on a fresh connection, read to the end."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(target.host, target.port)
        # Close with a reset once the server has closed its side: tens of thousands of
        # connections would otherwise sit in TIME_WAIT, and a new connection landing on one
        # of their ports stalls for a SYN retransmit (1 s, 3 s, ...), which is the load
        # generator's artefact, not the server's latency.
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, NO_LINGER)
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {target.host_header}\r\nUser-Agent: acusite-loadtest\r\n"
                "Accept: text/html,*/*\r\nConnection: close\r\n\r\n".encode("ascii")
            )
            raw = await reader.read()
        finally:
            writer.close()
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if not separator or len(status_line) < 2 or not status_line[0].startswith("HTTP/") or not status_line[1].isdigit():
        raise ProtocolError(f"not an HTTP response: {raw[:40]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    elif "content-length" in headers and len(body) != int(headers["content-length"]):
        raise ProtocolError(f"body of {len(body)} bytes, Content-Length {headers['content-length']}")
    return Response(int(status_line[1]), headers, body)


@dataclass
class Sample:
    kind: str
    path: str
    seconds: float
    status: int | None = None
    error: str | None = None

    @property
    def ok(self):
        return self.error is None and self.status is not None and 200 <= self.status < 400


def percentile(sorted_values, percent):
    """Nearest-rank percentile: the smallest value at least ``percent`` % of the values do not exceed."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Run:
    samples: list = field(default_factory=list)
    elapsed: float = 0.0

    def of_kind(self, kind):
        return Run([sample for sample in self.samples if sample.kind == kind], self.elapsed)

    @property
    def total(self):
        return len(self.samples)

    @property
    def errors(self):
        return [sample for sample in self.samples if not sample.ok]

    @property
    def rps(self):
        return self.total / self.elapsed if self.elapsed else 0.0

    def latency_ms(self, percent):
        return percentile(sorted(sample.seconds for sample in self.samples), percent) * 1000

    @property
    def statuses(self):
        return Counter(sample.status if sample.error is None else sample.error for sample in self.samples)


async def run_load(target, mix, *, clients, seconds, max_requests, timeout=REQUEST_TIMEOUT):
    """``clients`` concurrent clients walking ``mix`` (a list of (kind, path)) until time or count runs out."""
    run = Run()
    numbers = itertools.count()
    deadline = time.perf_counter() + seconds

    async def client():
        while time.perf_counter() < deadline:
            number = next(numbers)
            if number >= max_requests:
                return
            kind, path = mix[number % len(mix)]
            started = time.perf_counter()
            try:
                response = await fetch(target, path, timeout)
            except (OSError, TimeoutError, ProtocolError, ValueError) as error:
                run.samples.append(Sample(kind, path, time.perf_counter() - started, error=type(error).__name__))
            else:
                run.samples.append(Sample(kind, path, time.perf_counter() - started, status=response.status))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    run.elapsed = time.perf_counter() - started
    return run


async def sitemap_pages(target, sample_size, seed=0):
    """A sample of the published detail pages the server itself lists, for breadth (and cache misses)."""
    try:
        response = await fetch(target, "/sitemap.xml")
    except (OSError, TimeoutError, ProtocolError):
        return []
    if response.status != 200:
        return []
    pages = []
    for location in re.findall(r"<loc>([^<]+)</loc>", response.body.decode("utf-8", "replace")):
        path = urlsplit(location).path
        section = path.strip("/").split("/")[0]
        if section in SITEMAP_KINDS and path.count("/") == 3:
            pages.append((SITEMAP_KINDS[section], path))
    return random.Random(seed).sample(pages, min(sample_size, len(pages)))  # noqa: S311 - a repeatable sample


class Command(BaseCommand):
    help = "Load a running server on this machine with many concurrent readers; fail on any error."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The server's root URL (this machine only).")
        parser.add_argument("--clients", type=int, default=64, help="Concurrent clients (default 64).")
        parser.add_argument("--seconds", type=float, default=60.0, help="How long to run (default 60).")
        parser.add_argument(
            "--max-requests", type=int, default=1_000_000, help="Stop after this many requests even if time is left."
        )

    def handle(self, *args, url, clients, seconds, max_requests, **options):
        target = local_target(url)
        if not 1 <= clients <= 1000 or not 0 < seconds <= 3600 or max_requests < 1:
            raise CommandError("Use 1-1000 clients, 0-3600 seconds and at least one request.")
        try:
            run = asyncio.run(self.load(target, clients, seconds, max_requests))
        except KeyboardInterrupt:
            raise CommandError("Interrupted.", returncode=130) from None
        self.report(run, clients)
        if run.errors:
            raise CommandError(f"{len(run.errors)} of {run.total} requests failed.")

    async def load(self, target, clients, seconds, max_requests):
        try:
            health = await fetch(target, "/healthz")
        except (OSError, TimeoutError, ProtocolError) as error:
            raise CommandError(
                f"Nothing answers at {target.url('/')} ({type(error).__name__}). Start the site with `make serve`."
            ) from None
        if health.status != 200:
            raise CommandError(f"{target.url('/healthz')} answered {health.status}: {health.body[:200]!r}")
        mix = PAGE_MIX + await sitemap_pages(target, SITEMAP_SAMPLE)
        random.Random(1).shuffle(mix)  # noqa: S311 - a repeatable order, not a secret
        server = health.headers.get("server", "not named")
        self.stdout.write(
            f"Loading {target.url('/')} (server: {server}) with {clients} clients for {seconds:g} s over "
            f"{len(mix)} pages (one request per connection; redirects count as success)..."
        )
        return await run_load(target, mix, clients=clients, seconds=seconds, max_requests=max_requests)

    def report(self, run, clients):
        write = self.stdout.write
        write(f"\n{'page type':<16}{'requests':>10}{'rps':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
        for kind in sorted({sample.kind for sample in run.samples}):
            part = run.of_kind(kind)
            write(
                f"{kind:<16}{part.total:>10}{part.rps:>10.1f}{part.latency_ms(50):>10.1f}"
                f"{part.latency_ms(99):>10.1f}{len(part.errors):>8}"
            )
        write(
            f"{'all':<16}{run.total:>10}{run.rps:>10.1f}{run.latency_ms(50):>10.1f}"
            f"{run.latency_ms(99):>10.1f}{len(run.errors):>8}"
        )
        write(f"\n{run.total} requests in {run.elapsed:.1f} s from {clients} clients: {run.rps:.1f} requests/s")
        write(f"latency p50 {run.latency_ms(50):.1f} ms, p99 {run.latency_ms(99):.1f} ms")
        write(
            "responses: " + ", ".join(f"{status}: {count}" for status, count in sorted(run.statuses.items(), key=str))
        )
        if run.errors:
            failures = Counter((sample.path, sample.status or sample.error) for sample in run.errors)
            write(self.style.ERROR(f"errors: {len(run.errors)}"))
            for (path, what), count in failures.most_common(10):
                write(self.style.ERROR(f"  {count:>6} x {what} {path}"))
        else:
            write(self.style.SUCCESS("errors: 0"))
