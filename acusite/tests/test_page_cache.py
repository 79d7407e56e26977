"""The page cache as readers meet it: one copy per page whatever junk the URL carries,
compressed, revalidated with 304s, right after an edit on every worker, and pages
(not errors) when the cache is down."""

import contextlib
import gzip
import re
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from acusite import page_cache
from acusite.measure.server import ProductionServer
from points import cache as content_cache
from points import views
from points.tests.factories import link_condition, make_area, make_condition, make_point

pytestmark = pytest.mark.django_db

URL = "/points/bl52/"


@pytest.fixture
def bl52(site_pages):
    make_area("lower-back")
    return make_point("BL52", pinyin="Zhishi", finding="Four finger widths from the spine.", areas=["lower-back"])


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, [query["sql"] for query in captured]


@pytest.mark.parametrize(
    "junk",
    ["utm_source=newsletter&utm_medium=email", "fbclid=IwAR0abc", "gclid=xyz", "ref=somewhere&zzz=1", "via="],
)
def test_tracking_and_unknown_parameters_get_the_same_cached_page(client, bl52, junk, hit_queries):
    plain = client.get(URL)
    response, queries = queries_for(client, f"{URL}?{junk}")
    assert response.status_code == 200
    assert queries == hit_queries, "the junk URL was rendered again instead of sharing the cached copy"
    assert response.content == plain.content


def test_a_filtered_list_is_one_cache_entry_whatever_the_parameter_order_and_junk(client, bl52, hit_queries):
    first = client.get("/points/?area=lower-back&utm_campaign=spring")
    assert "BL52" in first.content.decode()
    assert "utm_campaign" not in first.content.decode(), "a reader's tracking parameter leaked into the page's links"
    response, queries = queries_for(client, "/points/?fbclid=abc&area=lower-back&page=1")
    assert queries == hit_queries
    assert response.content == first.content


def test_an_unescaped_letter_in_the_address_finds_what_the_escaped_one_finds_from_one_copy(client, hit_queries):
    make_point("BL52", pinyin="Zhìshì", finding="Four finger widths from the spine.")
    escaped = client.get("/points/?q=Zh%C3%ACsh%C3%AC")
    assert "BL52" in escaped.content.decode()
    # Some clients send the letters as raw UTF-8 bytes, not escaped.
    response, queries = queries_for(client, "/points/?q=Zhìshì")
    assert queries == hit_queries, "the raw spelling was not read as the same search"
    assert response.content == escaped.content


def test_an_address_with_too_many_parameters_gets_a_plain_400_page_not_an_error(client, bl52):
    junk = "&".join(f"x{number}=1" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/points/?area=lower-back&{junk}")
    assert response.status_code == 400
    assert "That address could not be read" in response.content.decode()
    assert client.get("/points/?area=lower-back").status_code == 200


def test_a_different_filter_is_a_different_page(client, bl52):
    make_condition("sciatica")
    assert "BL52" in client.get("/points/?area=lower-back").content.decode()
    # A reader's filtered list needs no query but the content version, as a hit does: what shows
    # that it was not answered with the stored page is what it lists.
    assert "BL52" not in client.get("/points/?area=lower-back&condition=sciatica").content.decode()


def test_pages_are_sent_gzipped_to_browsers_that_accept_it(client, bl52):
    for _ in range(2):  # the miss and the hit
        response = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert "Four finger widths" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get(URL)


@pytest.mark.parametrize(
    ("accept_encoding", "takes_gzip"),
    [
        ("gzip, deflate, br, zstd", True),
        ("GZIP", True),
        ("br;q=1, gzip;q=0.5", True),
        ("*", True),
        ("*;q=0, gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("gzip;q=nonsense", False),
        ("identity", False),
        ("br", False),
        ("", False),
    ],
)
def test_a_client_gets_gzip_when_it_takes_it_and_never_when_it_refuses_it(accept_encoding, takes_gzip):
    assert page_cache.takes_gzip(accept_encoding) is takes_gzip


@pytest.mark.parametrize("headers", [{}, {"Accept-Encoding": "gzip;q=0, br"}])
def test_a_client_that_does_not_take_gzip_gets_the_cached_page_plain(client, bl52, hit_queries, headers):
    client.get(URL, headers={"Accept-Encoding": "gzip"})  # stored, compressed
    response, queries = queries_for(client, URL, **headers)
    assert queries == hit_queries, "the page was rendered again"
    assert "Content-Encoding" not in response
    assert "Four finger widths" in response.content.decode()
    assert int(response["Content-Length"]) == len(response.content)


def test_a_point_page_is_at_most_8_kb_compressed(client, bl52):
    response = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert len(response.content) <= 8 * 1024


def test_a_revisit_with_the_etag_or_the_date_gets_304_from_the_cached_copy(client, bl52, hit_queries):
    first = client.get(URL)
    assert first["ETag"] and first["Last-Modified"]
    response, queries = queries_for(client, URL, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    assert response.content == b""
    assert queries == hit_queries
    assert client.get(URL, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304


def test_after_a_save_the_next_reader_gets_the_new_page_while_a_concurrent_one_may_get_the_old(
    client, bl52, django_capture_on_commit_callbacks, hit_queries
):
    client.get(URL)
    bl52.finding = "Three finger widths from the spine."
    with django_capture_on_commit_callbacks(execute=True):
        bl52.save()
    key = page_cache.page_key("http", "testserver", URL, "")
    # Another request is re-rendering this page right now: readers meanwhile get the previous copy
    # at once instead of all rendering it together.
    assert cache.add(f"{key}:lock", 1, 10)
    assert "Four finger widths" in client.get(URL).content.decode()
    cache.delete(f"{key}:lock")
    assert "Three finger widths" in client.get(URL).content.decode()
    response, queries = queries_for(client, URL)
    assert queries == hit_queries
    assert "Three finger widths" in response.content.decode()


def test_a_staff_preview_neither_reads_nor_writes_the_page_cache(client, bl52, rf):
    client.get(URL)  # a reader's copy is cached
    # The admin's preview renders the public view inside a transaction it rolls back.
    with contextlib.suppress(RolledBack), transaction.atomic():
        bl52.finding = "An unpublished rewording."
        bl52.save()
        request = rf.get(URL)
        request.user = AnonymousUser()
        request.skip_page_cache = True
        response = views.point_detail(request, code="bl52")
        response.render()
        assert "An unpublished rewording." in response.content.decode()
        assert "private" in response["Cache-Control"]
        raise RolledBack
    assert "Four finger widths" in client.get(URL).content.decode()
    assert "An unpublished rewording." not in client.get(URL).content.decode()


def test_a_page_has_one_weak_etag_whether_it_goes_out_gzipped_or_plain_or_first_as_a_head(client, bl52, settings):
    settings.PAGE_CACHE_SECONDS = 0
    head = client.head(URL)
    gzipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
    plain = client.get(URL)
    assert head["ETag"] == gzipped["ETag"] == plain["ETag"]
    assert plain["ETag"].startswith('W/"')
    assert client.get(URL, headers={"If-None-Match": plain["ETag"], "Accept-Encoding": "gzip"}).status_code == 304


class RolledBack(Exception):
    pass


def test_the_cache_can_be_turned_off_and_pages_are_still_compressed_with_validators(client, bl52, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(URL)
    response, queries = queries_for(client, URL, **{"Accept-Encoding": "gzip"})
    assert len(queries) > 1
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"]


@pytest.fixture
def redis_down(settings):
    # Port 9 (discard) is closed here: every connection attempt is refused at once.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    content_cache.reset_outage_pause()
    yield
    content_cache.reset_outage_pause()


@pytest.mark.parametrize(
    "url", ["/", URL, "/points/?area=lower-back", "/search/?q=zhishi", "/search/?q=back", "/meridians/bl/"]
)
def test_readers_get_pages_when_redis_is_down(client, bl52, redis_down, url):
    assert client.get(url).status_code in (200, 302)
    assert client.get(url).status_code in (200, 302)


def test_an_editor_can_save_when_redis_is_down_and_readers_see_it(
    client, bl52, redis_down, django_capture_on_commit_callbacks
):
    assert "Four finger widths" in client.get(URL).content.decode()
    bl52.finding = "Three finger widths from the spine."
    with django_capture_on_commit_callbacks(execute=True):
        bl52.save()
    assert "Three finger widths" in client.get(URL).content.decode()


def test_the_health_check_reports_the_cache_down_and_the_database_up(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")
    assert response.json()["database"] == "ok"


def test_the_health_check_reports_a_locked_database(client, monkeypatch):
    def locked():
        raise OperationalError("database is locked")

    monkeypatch.setattr(content_cache, "read_version", locked)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


SITE_SETUP = """
from points.tests.factories import make_guide, make_point, make_precaution
make_precaution("red-flags", kind="doctor", title="Red flags", badge="See a doctor")
make_precaution("general-precautions", kind="gentle", title="General precautions", badge="Press gently")
for slug in ("how-to-press", "measuring-in-cun", "evidence"):
    make_guide(slug)
make_point("BL52", pinyin="Zhishi", finding="Four finger widths from the spine.")
"""
SAVE = """
from points.models import Point
point = Point.objects.get(code="BL52")
point.finding = "Three finger widths from the spine."
point.save()
"""


def manage(environment, *arguments):
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def fetch_concurrently(url, times=24):
    """Concurrent requests, so both sync workers answer some."""
    bodies = []

    def fetch():
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our local server
            bodies.append(response.read().decode())

    threads = [threading.Thread(target=fetch) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return bodies


def pids_since(log_path, offset):
    return set(re.findall(r"^<(\d+)> /points/bl52/$", log_path.read_text()[offset:], re.MULTILINE))


@pytest.mark.django_db(transaction=True)
def test_two_gunicorn_workers_without_redis_both_show_a_save_made_from_manage_py_shell():
    folder = Path(tempfile.mkdtemp(prefix="acusite-workers-"))
    server = ProductionServer(
        folder,
        workers=2,
        access_log=True,
        environment={
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "REDIS_URL": "",
            "PAGE_CACHE_SECONDS": "600",
        },
    )
    manage(server.environment, "migrate", "--noinput", "-v0")
    manage(server.environment, "shell", "-c", SITE_SETUP)
    server.collectstatic()
    server.start()
    try:
        server.wait_until_healthy()
        url = f"{server.url}{URL}"
        # Both workers cache the old page.
        offset = len(server.log_path.read_text())
        for _ in range(10):
            assert all("Four finger widths" in body for body in fetch_concurrently(url))
            if len(pids_since(server.log_path, offset)) == 2:
                break
        assert len(pids_since(server.log_path, offset)) == 2, "one worker answered every request"
        manage(server.environment, "shell", "-c", SAVE)
        offset = len(server.log_path.read_text())
        for _ in range(10):
            bodies = fetch_concurrently(url)
            assert all("Three finger widths" in body for body in bodies), "a worker served the page from before"
            if len(pids_since(server.log_path, offset)) == 2:
                break
        assert len(pids_since(server.log_path, offset)) == 2
    finally:
        server.stop()


def test_a_rolled_back_edit_never_reaches_readers_after_the_next_save(client, bl52):
    sciatica = make_condition("sciatica", name="Sciatica")
    link_condition(bl52, sciatica)  # offered in the filter form only when it has a point
    # Rendered inside a transaction that is then rolled back, as the admin's preview does.
    with contextlib.suppress(RolledBack), transaction.atomic():
        sciatica.name = "A name that was never published"
        sciatica.save()
        assert "A name that was never published" in client.get("/points/").content.decode()
        raise RolledBack
    bl52.summary = "Another edit, saved for real."
    # Read before the bump made at commit: the version the save itself set must be new too.
    bl52.save()
    content = client.get("/points/").content.decode()
    assert "Another edit, saved for real." in content
    assert "A name that was never published" not in content


def test_a_cached_redirect_still_takes_the_reader_to_the_point(client, bl52):
    for _ in range(2):  # rendered, then from the cache
        response = client.get("/points/B47/", follow=True)
        assert response.redirect_chain == [("/points/bl52/?via=B47", 301)]
        assert "Zhishi" in response.content.decode()


def test_a_cached_copy_carries_every_header_the_rendered_page_had(client, bl52):
    first = client.get(URL, headers={"accept-encoding": "gzip"})
    again = client.get(URL, headers={"accept-encoding": "gzip"})
    assert dict(again.headers) == dict(first.headers)
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "ETag", "Last-Modified"):
        assert again.headers.get(name), name
    assert again.headers["Content-Encoding"] == "gzip"
    assert "public" in again.headers["Cache-Control"]


# With Redis the content version travels with the page -------------------------------------

with_redis = pytest.mark.skipif(not content_cache.uses_redis(), reason="Redis' copy of the content version")


def shared_copy():
    return cache.get(content_cache.SHARED_VERSION_KEY)


@with_redis
def test_with_redis_a_lost_copy_of_the_version_is_read_from_the_database_and_put_back(client, bl52):
    client.get(URL)
    cache.delete(content_cache.SHARED_VERSION_KEY)
    response, queries = queries_for(client, URL)
    assert response.status_code == 200
    assert queries == [content_cache.VERSION_SQL]
    assert shared_copy() == content_cache.read_version()
    assert queries_for(client, URL)[1] == []


@with_redis
def test_with_redis_the_copy_of_the_version_expires_within_a_second(client, bl52):
    # So a save whose write to Redis was lost is seen by readers a second later all the same.
    client.get(URL)
    backend = caches["default"]
    ttl_ms = backend._cache.get_client(None).pttl(backend.make_key(content_cache.SHARED_VERSION_KEY))
    assert 0 < ttl_ms <= 1000


@with_redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_a_committed_save_writes_its_version_beside_the_pages(client, bl52):
    client.get(URL)
    before = shared_copy()
    bl52.finding = "Three finger widths from the spine."
    bl52.save()
    assert shared_copy() == content_cache.read_version() != before
    assert "Three finger widths" in client.get(URL).content.decode()
    assert queries_for(client, URL)[1] == []


@with_redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_a_save_still_in_its_transaction_removes_the_copy(bl52):
    with transaction.atomic():
        bl52.save()
        # Readers go to the database, which still holds the committed version, until the commit.
        assert shared_copy() is None


def test_every_cached_value_is_keyed_by_the_code_that_wrote_it(tmp_path):
    from acusite.settings import code_release

    for folder in ("acusite", "points", "templates"):
        (tmp_path / folder).mkdir()
    (tmp_path / "points" / "views.py").write_text("def page(): ...\n")
    (tmp_path / "templates" / "base.html").write_text("<html>\n")
    before = code_release(tmp_path)
    (tmp_path / "templates" / "base.html").write_text("<html lang='en'>\n")
    # A deploy that changes one template reads none of the pages, fragments or indexes the old code cached.
    assert code_release(tmp_path) != before
    assert caches["default"].version == django_settings.CACHE_RELEASE


def test_a_fragment_read_once_is_answered_from_this_process_without_asking_the_cache_again(site_pages, monkeypatch):
    content_cache.reset_outage_pause()
    content_cache.fragment_set_many({"fragment:test:card": "<article>BL52</article>"}, 60)
    asked = []
    monkeypatch.setattr(content_cache, "cache_get_many", lambda keys: asked.append(keys) or {})
    assert content_cache.fragment_get_many(["fragment:test:card", "fragment:test:other"]) == {
        "fragment:test:card": "<article>BL52</article>"
    }
    assert asked == [["fragment:test:other"]]
    content_cache.reset_outage_pause()
