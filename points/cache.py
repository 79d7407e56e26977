"""Cached pages for readers, invalidated by a content version bumped on every write.

Keys carry the version, so one increment retires every cached page on every app
server sharing the cache: nothing has to find and delete old entries.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control

VERSION_KEY = "content-version"


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
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_page(view):
    """Serve readers a cached copy; staff (who may see drafts) always get a fresh page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = f"page:{version()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code in (200, 404) and not response.streaming:
            patch_cache_control(response, public=True, max_age=60)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
