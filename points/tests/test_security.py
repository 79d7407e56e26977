"""Security headers on every page, and production settings that refuse to run unsafely.

Production settings are read in a subprocess: acusite.settings decides them at
import time from the environment, so the only honest way to see them is to
start Django the way production does.
"""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import override_settings

from points.tests.factories import make_point

pytestmark = pytest.mark.django_db

HSTS_MINIMUM = 15552000  # 180 days, the minimum browsers' preload lists accept

PRODUCTION_PROBE = """
import json

import django

django.setup()
from django.conf import settings
from django.test import Client, override_settings

client = Client(HTTP_HOST="example.org")
plain = client.get("/robots.txt")
proxied = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
# Plain static storage: the manifest exists only after collectstatic, and only the cookie matters here.
plain_static = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=plain_static):
    login = client.get("/admin/login/", headers={"X-Forwarded-Proto": "https"})
csrf = login.cookies.get(settings.CSRF_COOKIE_NAME)
names = ["DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
         "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
         "SECURE_PROXY_SSL_HEADER"]
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "proxied": {"status": proxied.status_code, "hsts": proxied.get("Strict-Transport-Security"),
                "body": proxied.content.decode()},
    "login_status": login.status_code,
    "csrf_cookie": {"secure": bool(csrf and csrf["secure"]), "httponly": bool(csrf and csrf["httponly"])},
}))
"""  # fmt: skip


def production_environment(**changes):
    """The environment of a production start: DEBUG off, a real secret, a host list; ``None`` removes a variable."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "acusite.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
    }
    for name, value in changes.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def run_django(arguments, environment):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def production():
    """What production settings are, and how a production Django answers plain and proxied HTTPS requests."""
    result = run_django(["-c", PRODUCTION_PROBE], production_environment())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def public_page(client, site_pages):
    make_point("BL52", pinyin="Zhishi")
    response = client.get("/points/bl52/")
    assert response.status_code == 200
    return response


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_a_public_page_has_a_content_security_policy_without_unsafe_sources(public_page):
    policy = public_page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    directives = csp_directives(public_page)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'none'"]
    assert "*" not in directives["script-src"]


def test_a_public_page_sends_the_browser_hardening_headers(public_page):
    assert public_page["X-Content-Type-Options"] == "nosniff"
    assert public_page["Referrer-Policy"] in {"strict-origin-when-cross-origin", "strict-origin", "no-referrer"}
    assert public_page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert public_page["Cross-Origin-Resource-Policy"] == "same-origin"
    assert public_page["X-Frame-Options"] == "DENY"


class InlineCode(HTMLParser):
    """Everything a CSP without 'unsafe-inline' would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.blocked = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "text/javascript").lower()
        if tag == "script" and "src" not in attributes and "javascript" in script_type:
            self.blocked.append("an inline <script>")
        if tag == "style":
            self.blocked.append("a <style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"a {name} attribute on <{tag}>")


def blocked_by_the_policy(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.blocked


def test_a_public_page_has_no_inline_code_the_policy_would_block(public_page):
    assert blocked_by_the_policy(public_page) == []


def test_the_admin_login_page_still_renders_under_the_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert blocked_by_the_policy(response) == []


def test_production_settings_pass_the_deployment_checks():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_production_sends_long_hsts_including_subdomains(production):
    assert production["settings"]["DEBUG"] is False
    assert production["settings"]["SECURE_HSTS_SECONDS"] >= HSTS_MINIMUM
    assert production["settings"]["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    max_age, *flags = [part.strip() for part in production["proxied"]["hsts"].split(";")]
    assert int(max_age.removeprefix("max-age=")) >= HSTS_MINIMUM
    assert "includeSubDomains" in flags


def test_production_session_and_csrf_cookies_are_secure_and_http_only(production):
    values = production["settings"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert production["login_status"] == 200
    assert production["csrf_cookie"] == {"secure": True, "httponly": True}


def test_production_redirects_plain_http_to_https(production):
    assert production["settings"]["SECURE_SSL_REDIRECT"] is True
    assert production["plain"] == {"status": 301, "location": "https://example.org/robots.txt"}


def test_production_treats_a_request_forwarded_as_https_as_secure(production):
    assert production["proxied"]["status"] == 200
    assert "Sitemap: https://example.org/sitemap.xml" in production["proxied"]["body"]


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_SSL_REDIRECT=True)
def test_the_forwarded_proto_header_is_what_makes_a_request_secure(client):
    assert client.get("/robots.txt").status_code == 301
    response = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.wsgi_request.is_secure()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG is off."),
        ("SITE_URL", "SITE_URL must be set when DJANGO_DEBUG is off"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing, message):
    result = run_django(["manage.py", "check"], production_environment(**{missing: None}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_an_empty_site_url_counts_as_missing_in_production():
    result = run_django(["manage.py", "check"], production_environment(SITE_URL=" "))
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_an_empty_secret_key_counts_as_missing():
    result = run_django(["manage.py", "check"], production_environment(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
