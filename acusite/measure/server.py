"""gunicorn in production mode on 127.0.0.1, for the commands that measure the site as it is served
(`bench`, `audit`): DEBUG off, a throwaway secret key, no HTTPS redirect because no TLS proxy sits in
front of it here, static files collected into a temporary STATIC_ROOT. It runs in its own process
group so it is always stopped, also on Ctrl-C and SIGTERM."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import CommandError

STARTUP_SECONDS = 60


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def interrupt_on_sigterm(signum, frame):
    """Stop as on Ctrl-C, so `finally` blocks stop gunicorn."""
    signal.raise_signal(signal.SIGINT)


class ProductionServer:
    def __init__(self, folder, workers=2, environment=None, access_log=False):
        self.folder = folder
        # "<pid> /path": which worker answered which request, for tests that need every worker.
        self.access_log = access_log
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.static_root = folder / "static"
        self.log_path = folder / "gunicorn.log"
        self.log = None
        self.process = None
        (folder / "acusite_served_settings.py").write_text(
            "# Written for a measuring command: production settings with a temporary STATIC_ROOT.\n"
            "from acusite.settings import *  # noqa: F403\n\n"
            f"STATIC_ROOT = {str(self.static_root)!r}\n"
        )
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "acusite_served_settings",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(folder), str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "SITE_URL": os.environ.get("SITE_URL") or "http://127.0.0.1",
            **(environment or {}),
        }

    def collectstatic(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"collectstatic failed:\n{result.stderr[-2000:]}")

    def start(self):
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line, no user input
            [sys.executable, "-m", "gunicorn", "acusite.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning",
             "--no-control-socket",
             *(["--access-logfile", "-", "--access-logformat", "%(p)s %(U)s"] if self.access_log else [])],
            cwd=settings.BASE_DIR,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_until_healthy(self):
        give_up = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < give_up:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310 - our server
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self):
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def check_alive(self):
        if self.process.poll() is not None:
            raise CommandError(f"gunicorn exited with status {self.process.returncode}:\n{self.log_tail()}")

    def reload(self):
        """New workers (which index new static files); same master, same socket."""
        self.process.send_signal(signal.SIGHUP)

    def stop(self):
        """The master and its workers: started in a new session, the master's pid is their group's id."""
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=5)
        if self.log is not None:
            self.log.close()

    def _signal_group(self, signum):
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signum)
