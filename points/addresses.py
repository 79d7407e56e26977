"""Reader pages' addresses, each reversed once per process.

A list page links hundreds of points, areas and precautions; ``reverse()`` costs tens of
microseconds a call, and the answer depends only on the URL configuration, the script
prefix and the arguments, all part of the cache key.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=8192)
def _reversed(urlconf, prefix, name, kwargs):
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def page_url(name, **kwargs):
    return _reversed(get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), name, tuple(sorted(kwargs.items())))
