"""`manage.py audit`: Lighthouse's four scores for every page type, on the site as production serves it.

It collects the static files into a temporary STATIC_ROOT and starts gunicorn the way
`make serve` does (DEBUG off, a throwaway secret key, ALLOWED_HOSTS=127.0.0.1,
no HTTPS redirect because no TLS proxy sits in front of it here) on a free
127.0.0.1 port, against the current database (DATABASE_URL and REDIS_URL pass
through). Then Lighthouse 12, pinned and run through npx, drives Debian's
Chromium over each page with its default mobile settings, and a table gives the
performance, accessibility, best-practices and SEO scores per page. A score is
flagged (``!``) when accessibility, best practices or SEO is under 100 or
performance under 95, and the audits that cost the points are listed under the
table. The command exits non-zero when anything is flagged.

Two pages lose SEO points by design and are not flagged for it: the search
results, which robots.txt keeps out of search engines, and the 404 page, whose
status is meant to be unsuccessful. The JSON reports are kept in
test-artifacts/lighthouse/ (gitignored). gunicorn is stopped on exit, on
Ctrl-C and on SIGTERM.
"""

import json
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from acusite.measure.pages import PAGE_TYPES
from acusite.measure.server import ProductionServer, interrupt_on_sigterm

LIGHTHOUSE = "lighthouse@12"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# name, path, the audits that fail there on purpose
PAGES = [(page.name, page.path, page.expected_failures) for page in PAGE_TYPES]
LIGHTHOUSE_SECONDS = 240


def is_expected(audit, expected, url):
    """A lost audit that the page loses on purpose: for the console, only the page's own error status."""
    if audit["id"] not in expected:
        return False
    if audit["id"] == "errors-in-console":
        items = (audit.get("details") or {}).get("items", [])
        return all(
            item.get("source") == "network" and item.get("sourceLocation", {}).get("url") == url for item in items
        )
    return True


def report_name(number, name):
    return f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') or 'home'}.json"


class Command(BaseCommand):
    help = "Lighthouse scores (mobile) of every page type, on gunicorn in production mode started for the purpose."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Pages to audit instead of one of each type, e.g. /points/bl52/")
        parser.add_argument(
            "--reports",
            default=str(settings.BASE_DIR / "test-artifacts" / "lighthouse"),
            help="Folder for the JSON reports (default test-artifacts/lighthouse/).",
        )

    def handle(self, *args, paths, reports, **options):
        npx, chromium = shutil.which("npx"), shutil.which("chromium")
        if npx is None:
            raise CommandError("npx was not found: install Node.js 20 (it brings npm and npx).")
        if chromium is None:
            raise CommandError("chromium was not found: apt-get install -y chromium")
        known = {path: expected for _, path, expected in PAGES}
        pages = [(path, path, known.get(path, ())) for path in paths] if paths else PAGES
        if any(not path.startswith("/") for _, path, _ in pages):
            raise CommandError("Pages are paths on the site, starting with /.")
        reports = Path(reports)
        reports.mkdir(parents=True, exist_ok=True)
        for old_report in reports.glob("[0-9][0-9]-*.json"):
            old_report.unlink()
        folder = Path(tempfile.mkdtemp(prefix="acusite-audit-"))
        server = ProductionServer(folder)
        # Canonical and og:url links point at the server being audited.
        server.environment["SITE_URL"] = server.url
        previous_sigterm = signal.signal(signal.SIGTERM, interrupt_on_sigterm)
        rows = []
        try:
            self.stdout.write("Collecting static files into a temporary STATIC_ROOT...")
            server.collectstatic()
            server.start()
            server.wait_until_healthy()
            self.stdout.write(f"gunicorn is serving on {server.url}; running {LIGHTHOUSE} on {len(pages)} page(s).")
            for number, (name, path, expected) in enumerate(pages, 1):
                report = reports / report_name(number, name)
                self.stdout.write(f"  [{number}/{len(pages)}] {path}")
                rows.append(self.audit(npx, chromium, server.url + path, report, name, path, expected))
        except KeyboardInterrupt:
            raise CommandError("Interrupted; gunicorn stopped.", returncode=130) from None
        finally:
            server.stop()
            signal.signal(signal.SIGTERM, previous_sigterm)
            shutil.rmtree(folder, ignore_errors=True)
        flagged = self.report(rows, reports)
        if flagged:
            raise CommandError(f"{flagged} page(s) below the bar; the audits that cost points are listed above.")

    def audit(self, npx, chromium, url, report, name, path, expected):
        """One page's row; a run that fails (Lighthouse sometimes loses its trace) is tried again once."""
        row = self.lighthouse(npx, chromium, url, report, name, path, expected)
        if row["error"]:
            self.stdout.write(f"    Lighthouse failed ({row['error'].splitlines()[-1][:100]}); trying again.")
            row = self.lighthouse(npx, chromium, url, report, name, path, expected)
        return row

    def lighthouse(self, npx, chromium, url, report, name, path, expected):
        command = [
            npx, "--yes", LIGHTHOUSE, url,
            f"--chrome-path={chromium}", f"--chrome-flags={CHROME_FLAGS}",
            "--output=json", f"--output-path={report}", "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            # Audit the 404 page too; an error status elsewhere still fails SEO's http-status-code audit.
            "--ignore-status-code",
        ]  # fmt: skip
        row = {"name": name, "path": path, "scores": {}, "losses": [], "flags": set(), "error": ""}
        report.unlink(missing_ok=True)
        try:
            result = subprocess.run(  # noqa: S603 - a fixed command line; the URL is our own server
                command, capture_output=True, text=True, timeout=LIGHTHOUSE_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            row["error"] = f"Lighthouse took longer than {LIGHTHOUSE_SECONDS} s"
            return row
        if result.returncode or not report.exists():
            row["error"] = (result.stderr or result.stdout or "no report written").strip()[-800:]
            return row
        lhr = json.loads(report.read_text())
        if lhr.get("runtimeError"):
            row["error"] = lhr["runtimeError"].get("message", "runtime error")
            return row
        for category in CATEGORIES:
            score = lhr["categories"][category]["score"]
            row["scores"][category] = None if score is None else round(score * 100)
            for ref in lhr["categories"][category]["auditRefs"]:
                audit = lhr["audits"][ref["id"]]
                if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                    row["losses"].append(
                        {
                            "category": category,
                            "id": audit["id"],
                            "title": audit["title"],
                            "value": audit.get("displayValue", ""),
                            "expected": is_expected(audit, expected, lhr["finalDisplayedUrl"]),
                        }
                    )
        row["flags"] = {
            category
            for category, score in row["scores"].items()
            if score is not None
            and score < MINIMUM[category]
            and not all(loss["expected"] for loss in row["losses"] if loss["category"] == category)
        }
        return row

    def report(self, rows, reports):
        width = max(len(row["path"]) for row in rows)
        name_width = max(len(row["name"]) for row in rows) if any(row["name"] != row["path"] for row in rows) else 0
        self.stdout.write("")
        header = f"{'page':<{name_width}} {'path':<{width}} " if name_width else f"{'path':<{width}} "
        header += " ".join(f"{label:>5}" for label in CATEGORIES.values())
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        flagged = 0
        for row in rows:
            start = (f"{row['name']:<{name_width}} " if name_width else "") + f"{row['path']:<{width}} "
            if row["error"]:
                flagged += 1
                self.stdout.write(f"{start} error: {row['error'].splitlines()[-1]}")
                continue
            cells = []
            for category in CATEGORIES:
                score = row["scores"][category]
                mark = "!" if category in row["flags"] else " "
                cells.append(f"{'n/a' if score is None else score:>4}{mark}")
            flagged += bool(row["flags"])
            self.stdout.write(start + " ".join(cells))
        self.stdout.write(
            f"\n! = under the bar (performance {MINIMUM['performance']}, the others {MINIMUM['accessibility']})."
        )
        for row in rows:
            losses = [loss for loss in row["losses"] if loss["category"] in row["flags"] or loss["expected"]]
            if losses:
                self.stdout.write(f"\n{row['name']} ({row['path']}):" if name_width else f"\n{row['path']}:")
            for loss in losses:
                value = f" ({loss['value']})" if loss["value"] else ""
                note = " (expected on this page)" if loss["expected"] else ""
                self.stdout.write(f"  {CATEGORIES[loss['category']]:>5}  {loss['id']}: {loss['title']}{value}{note}")
        self.stdout.write(f"\nReports: {reports}/")
        return flagged
