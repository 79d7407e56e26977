"""Cached pages for readers, invalidated by a content version bumped on every write.

Keys carry the version, so one increment retires every cached page on every app
server sharing the cache: nothing has to find and delete old entries.
"""

import contextlib
import contextvars
import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control

VERSION_KEY = "content-version"

# While an editor previews a pending change, the database holds uncommitted
# content: nothing computed from it may be cached, and nothing may be retired.
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


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        # A fresh cache (or a restarted Redis) must not serve pages cached under
        # a version that happens to match an old one.
        current = time.time_ns()
        cache.add(VERSION_KEY, current, timeout=None)
        current = cache.get(VERSION_KEY, current)
    return current


def bump():
    if is_previewing():
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump_now_and_on_commit():
    """Bump at once and again at commit: a page rendered from the old data while the
    admin's transaction is still open must not survive under the new version."""
    if is_previewing():
        return
    bump()
    transaction.on_commit(bump)


def cached_page(view):
    """Serve readers a cached copy; staff (who may see drafts) always get a fresh page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or is_previewing():
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # Hashed: a URL can be thousands of characters, more than a cache key may hold.
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{version()}:{path_hash}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code in (200, 301, 302, 404) and not response.streaming:
            patch_cache_control(response, public=True, max_age=60)
            # Junk URLs are endless: keep their 404s briefly so they cannot fill the cache.
            timeout = (
                settings.PAGE_CACHE_SECONDS if response.status_code != 404 else min(60, settings.PAGE_CACHE_SECONDS)
            )
            cache.set(key, response, timeout)
        return response

    return wrapper
