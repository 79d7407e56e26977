"""The content version that every write changes, and calls to a shared cache that may be down.

The version is one row in the database (``points.models.ContentVersion``), read at
most once per request: every worker and every server sees a save made by any process
(the admin, ``manage.py shell``, a command) on its next request, whether or not Redis
is configured. With Redis a page hit reads a copy of the version kept beside the pages
instead (``SHARED_VERSION_KEY``, below), which lags the database by a second at most.
Whatever is cached from content (pages, fragments, the name index) is stamped with or
keyed by the version it was computed from, so the cache only ever holds copies: it
never has to be shared or even up for readers to get the right page.
The page cache that uses it is ``acusite.page_cache``.
"""

import collections
import contextlib
import contextvars
import logging
import pickle
import secrets
import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, IntegrityError, connection, transaction

logger = logging.getLogger(__name__)

# Plain SQL on ContentVersion's table, so this module needs no model (models import it).
VERSION_SQL = "SELECT value FROM points_contentversion WHERE id = 1"
CREATE_VERSION_SQL = "INSERT INTO points_contentversion (id, value) VALUES (1, %s)"
BUMP_SQL = "UPDATE points_contentversion SET value = %s WHERE id = 1"
# With Redis, a copy of the version is kept beside the pages, so that a page hit is one round trip
# (the page and the version together) and touches no database. A save deletes the copy inside its
# transaction and writes the new version when it commits, and the copy expires within a second:
# a save whose write to Redis failed, or a reader putting back a version it read just before a
# commit, is seen by every reader within that second all the same. The database stays the one
# source: without Redis, or without the copy, the version is read from it.
SHARED_VERSION_KEY = "content-version"
SHARED_VERSION_SECONDS = 1
# After a cache error this process leaves the cache alone for a while, so readers do not
# each wait for a timeout. Only speed depends on it: an unused cache serves nothing stale.
OUTAGE_PAUSE_SECONDS = 5

# The version read for the current request, so every fragment of one page agrees.
_request_scope = contextvars.ContextVar("content_version_scope", default=None)
_cache_paused_until = 0.0
_process_memo = {}
# How many fragments this process keeps beside the shared cache, and how much text in all: a
# card is about 1 KB, a point page's body about 15, so a crawler reading every point page leaves
# each process holding at most this much.
LOCAL_FRAGMENTS = 2000
LOCAL_FRAGMENT_CHARS = 8_000_000
_local_fragments = collections.OrderedDict()
_local_chars = 0
# A threaded server (runserver, gthread workers) shares that order between requests.
_local_lock = threading.Lock()
# While an editor previews a pending change the database holds uncommitted content.
# Saves inside the preview bump the version inside its transaction (so anything cached
# from that content is keyed by a version that is rolled back and never seen again);
# on top of that, nothing computed during a preview is stored at all.
_previewing = contextvars.ContextVar("previewing", default=False)


@contextlib.contextmanager
def previewing():
    token = _previewing.set(True)
    try:
        yield
    finally:
        _previewing.reset(token)


def is_previewing():
    return _previewing.get()


@contextlib.contextmanager
def request_scope():
    """One request: the version is read at most once inside it (and again after a bump)."""
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


# The content version ---------------------------------------------------------------------


def read_version():
    """The current version, straight from the database (no per-request memo)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(CREATE_VERSION_SQL, [time.time_ns()])
    except IntegrityError:  # another process created it first
        pass
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        return cursor.fetchone()[0]


def version():
    scope = _request_scope.get()
    if scope is None:
        return read_version()
    if "version" not in scope:
        scope["version"] = read_version()
    return scope["version"]


def bump():
    # A random value, not value + 1: a bump rolled back with its transaction (a failed save,
    # the admin's preview) must not hand its number, and whatever was cached under it, to
    # the next real save.
    new = secrets.randbits(62)
    with connection.cursor() as cursor:
        cursor.execute(BUMP_SQL, [new])
        updated = cursor.rowcount
    if not updated:
        read_version()  # creates the row
        with connection.cursor() as cursor:
            cursor.execute(BUMP_SQL, [new])
    scope = _request_scope.get()
    if scope is not None:
        scope.pop("version", None)
    if uses_redis():
        if connection.in_atomic_block:
            # Not committed yet: other readers must not see the new number before the data.
            _cache_call("delete", SHARED_VERSION_KEY)
        else:
            _cache_call("set", SHARED_VERSION_KEY, new, SHARED_VERSION_SECONDS)


def _bump_after_commit():
    # The data is committed by now and the bump made inside the transaction went with
    # it; a failure here must not turn the editor's successful save into an error.
    try:
        bump()
    except DatabaseError:
        logger.exception("content version not bumped after commit")


def bump_now_and_on_commit():
    """Bump inside the transaction (so the new version becomes visible together with the
    data) and again at commit, after anything rendered from the old data meanwhile."""
    bump()
    transaction.on_commit(_bump_after_commit)


# A cache that may be down -------------------------------------------------------------------


def reset_outage_pause():
    global _cache_paused_until, _local_chars
    _cache_paused_until = 0.0
    _process_memo.clear()
    _local_fragments.clear()
    _local_chars = 0


def _cache_call(method, *args):
    """The cache's answer, or None when it is down: readers then get uncached pages."""
    global _cache_paused_until
    if _cache_paused_until and time.monotonic() < _cache_paused_until:
        return None
    try:
        return getattr(cache, method)(*args)
    except Exception:
        logger.warning("cache unavailable; serving uncached pages", exc_info=True)
        _cache_paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS
        return None


def cache_get(key):
    return _cache_call("get", key)


def uses_redis():
    return isinstance(caches["default"], RedisCache)


def page_and_shared_version(key):
    """The page stored under ``key`` and Redis' copy of the content version (None without Redis
    or without a copy), in one read: every page hit makes it. With Redis it goes straight to a
    client kept for the process, since Django's cache API builds a client on every call, which
    costs about three times the read itself."""
    global _cache_paused_until
    if _cache_paused_until and time.monotonic() < _cache_paused_until:
        return None, None
    backend = caches["default"]
    try:
        if not isinstance(backend, RedisCache):
            return backend.get(key), None
        client = getattr(backend, "_page_reader", None)
        if client is None:
            client = backend._page_reader = backend._cache.get_client(None)
        stored, shared = client.mget([backend.make_key(key), backend.make_key(SHARED_VERSION_KEY)])
        # Entries are tuples, which Django's Redis serialiser stores pickled, and integers as
        # digits; the bytes come from our own cache, never from a reader.
        return (None if stored is None else pickle.loads(stored)), (None if shared is None else int(shared))  # noqa: S301
    except Exception:
        logger.warning("cache unavailable; serving uncached pages", exc_info=True)
        _cache_paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS
        return None, None


def share_version(current):
    """Puts the version just read from the database back beside the pages, unless a save has
    written a newer one meanwhile (``add`` does not overwrite)."""
    if uses_redis() and not is_previewing():
        _cache_call("add", SHARED_VERSION_KEY, current, SHARED_VERSION_SECONDS)


def cache_set(key, value, timeout):
    _cache_call("set", key, value, timeout)


def per_version(name, build, timeout=3600):
    """A value computed from content (the vocabularies, the name index), for the current
    content version: kept in this process (checked against the shared version on every
    use, so never stale) and in the cache for the other processes."""
    if is_previewing():
        return build()
    current = version()
    memo = _process_memo.get(name)
    if memo is not None and memo[0] == current:
        return memo[1]
    key = f"{name}:{current}"
    value = cache_get(key)
    if value is None:
        value = build()
        cache_set(key, value, timeout)
    _process_memo[name] = (current, value)
    return value


def cache_add(key, value, timeout):
    """True when the key was added, False when it was there already, None when the cache is down."""
    return _cache_call("add", key, value, timeout)


def cache_delete(key):
    _cache_call("delete", key)


def cache_get_many(keys):
    return _cache_call("get_many", keys)


def cache_set_many(values, timeout):
    _cache_call("set_many", values, timeout)


# Fragments ---------------------------------------------------------------------------------------
# Keyed by the content version, a fragment never goes stale, so this process also keeps the ones
# it read or wrote last, as they are: a page assembled from them makes no round trip to Redis (each
# costs more than rendering a card), and with the local-memory cache skips its per-read key check,
# lock and unpickling (about 5 µs a card, half of what a page of cards cost).


def fragment_get_many(keys):
    found, missing = {}, []
    with _local_lock:
        for key in keys:
            html = _local_fragments.get(key)
            if html is None:
                missing.append(key)
            else:
                found[key] = html
                _local_fragments.move_to_end(key)
    if missing:
        fetched = cache_get_many(missing) or {}
        _keep_locally(fetched)
        found.update(fetched)
    return found


def fragment_get(key):
    return fragment_get_many([key]).get(key)


def fragment_set_many(values, timeout):
    cache_set_many(values, timeout)
    _keep_locally(values)


def _keep_locally(values):
    global _local_chars
    if not values:
        return
    with _local_lock:
        for key, html in values.items():
            replaced = _local_fragments.pop(key, None)
            _local_chars += len(html) - (len(replaced) if replaced is not None else 0)
            _local_fragments[key] = html
        while len(_local_fragments) > LOCAL_FRAGMENTS or _local_chars > LOCAL_FRAGMENT_CHARS:
            _key, dropped = _local_fragments.popitem(last=False)
            _local_chars -= len(dropped)


def cache_is_up():
    """For /healthz: asks the cache itself, ignoring any pause."""
    try:
        cache.set("healthz-probe", 1, 10)
        return cache.get("healthz-probe") == 1
    except Exception:  # noqa: BLE001
        return False
