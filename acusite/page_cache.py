"""Cached pages for readers, checked against the content version (``points.cache``).

``PageCacheMiddleware`` sits right after whitenoise. For an anonymous reader's GET
or HEAD without a session cookie it answers a cached page with one cache read (with
Redis, the page and the content version together; without, the page, then the
version from the database): stored headers, ETag and the gzip body compressed
once, when the page was stored. A copy from an older version is re-rendered by one
request while the others get that copy for the few milliseconds it takes (a short
lock), so a save does not turn the whole site cold at once. Keys are built from the parameters the
page reads (``@cached_page(params=...)``), normalised, so tracking and junk
parameters share one entry.
"""

import functools
import gzip
import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from points import cache as content_cache

LOCK_SECONDS = 10
CACHEABLE_STATUSES = (200, 301, 302, 404)
REDIRECTS = {301: HttpResponsePermanentRedirect, 302: HttpResponseRedirect}
NOT_STORED_HEADERS = {"content-length", "content-encoding", "set-cookie"}
ENTRY_LAYOUT = 3
# Level 4 makes pages 1-3 % larger than level 6 (a search page 6.7 KB against 6.5) for half the CPU
# (160 against 280 µs for that page), which every page that is not yet cached pays.
GZIP_LEVEL = 4


def cached_page(view=None, *, params=(), drop_empty=False):
    """Marks a reader page as cacheable; ``params`` are the query parameters it reads (the
    cache key is built from those alone). Staff and previews get private, uncached pages.
    With ``drop_empty``, a URL carrying any of them empty (a submitted form's unused fields)
    is redirected to the same URL without them."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated or getattr(request, "skip_page_cache", False):
                patch_cache_control(response, private=True, no_cache=True)
            return response

        wrapper.page_cache_params = frozenset(params)
        wrapper.page_cache_drop_empty = drop_empty
        return wrapper

    return decorate(view) if view is not None else decorate


def query_items(request):
    """The query string's (name, value) pairs, decoded as ``request.GET`` decodes them, but parsed
    without building it: a hit needs only the few pairs its key is made of."""
    query_string = request.META.get("QUERY_STRING", "")
    if not query_string:
        return []
    if not query_string.isascii():
        # Raw bytes from a misbehaving client: Django's own decoding, then its escaping.
        query_string = request.GET.urlencode()
    try:
        return parse_qsl(query_string, keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    except ValueError:
        # What request.GET raises too: Django answers it with a 400.
        raise TooManyFieldsSent("The number of GET parameters exceeded DATA_UPLOAD_MAX_NUMBER_FIELDS.") from None


def normalised_query(items, params):
    """The query string a page is rendered from: only its own parameters, in a fixed order
    (values keep the reader's order), without empty values or repeats, and ``page=1``
    dropped, so equal pages share one key."""
    own = {}
    for name, value in items:
        if name in params and value and not (name == "page" and value == "1"):
            own.setdefault(name, {})[value] = None
    return urlencode([(name, value) for name in sorted(own) for value in own[name]])


def page_key(scheme, host, path, query):
    # Hashed: a URL can be thousands of characters, more than a cache key may hold. The entry's
    # layout is part of the key, so copies stored by an older release are never read.
    return f"page:{ENTRY_LAYOUT}:" + hashlib.sha256(f"{scheme}://{host}{path}?{query}".encode()).hexdigest()


def _page_params(request):
    """The page's own query parameters (None: not a cached page), and whether it drops empty ones."""
    if request.method not in ("GET", "HEAD"):
        return None, False
    return _params_of(settings.ROOT_URLCONF, request.path_info)


# Which view a path resolves to depends only on the URL configuration (part of the key): every hit
# would otherwise resolve its path again, which costs more than the cache read that answers it.
@functools.lru_cache(maxsize=4096)
def _params_of(urlconf, path):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None, False
    return getattr(match.func, "page_cache_params", None), getattr(match.func, "page_cache_drop_empty", False)


def without_empty_params(request, items, params):
    """The redirect to the URL without the page's empty parameters (?q=&area=lower-back&meridian=
    becomes ?area=lower-back), or None when none is empty. Other parameters are left as they are."""
    if all(value.strip() for name, value in items if name in params):
        return None
    kept = urlencode([(name, value) for name, value in items if name not in params or value.strip()])
    return HttpResponseRedirect(request.path + (f"?{kept}" if kept else ""))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_cache.request_scope():
            params, drop_empty = _page_params(request)
            if params is None:
                return self.get_response(request)
            items = query_items(request)
            if drop_empty and (redirect := without_empty_params(request, items, params)) is not None:
                return redirect
            return self._reader_page(request, normalised_query(items, params))

    def _reader_page(self, request, query):
        # Validators are answered here, against the stored ETag, not by re-hashing a body.
        validators = (request.META.pop("HTTP_IF_NONE_MATCH", None), request.META.pop("HTTP_IF_MODIFIED_SINCE", None))
        cookies = request.COOKIES
        use_cache = (
            settings.PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in cookies
            and "messages" not in cookies
        )
        if not use_cache:
            return self._render(request, query, validators, store_as=None)
        try:
            host = request.get_host()
        except Exception:  # noqa: BLE001 - DisallowedHost: let the stack answer it
            return self._render(request, query, validators, store_as=None)
        key = page_key(request.scheme, host, request.path, query)
        entry, shared = content_cache.page_and_shared_version(key)
        if entry is not None and entry[0] == shared:
            return _serve(request, entry, validators)
        try:
            current = content_cache.version()
        except DatabaseError:
            # The database is busy or down: a copy is better than an error page.
            if entry is not None:
                return _serve(request, entry, validators)
            raise
        if shared is None:
            content_cache.share_version(current)
        if entry is not None:
            if entry[0] == current:
                return _serve(request, entry, validators)
            # Out of date: one request renders the new copy, the others get this one meanwhile.
            if content_cache.cache_add(f"{key}:lock", 1, LOCK_SECONDS) is False:
                return _serve(request, entry, validators)
            try:
                return self._render(request, query, validators, store_as=(key, current))
            finally:
                content_cache.cache_delete(f"{key}:lock")
        return self._render(request, query, validators, store_as=(key, current))

    def _render(self, request, query, validators, store_as):
        # The page is rendered from its own parameters only, so links on a cached copy
        # (pagination keeps every parameter) never carry someone's utm_ or fbclid. A hit never
        # gets here, so it never parses them twice.
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
        response = self.get_response(request)
        if (
            response.status_code not in CACHEABLE_STATUSES
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or getattr(request, "skip_page_cache", False)
        ):
            return response
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        entry = _entry(response, store_as[1] if store_as else 0)
        if store_as is not None:
            timeout = settings.PAGE_CACHE_SECONDS
            if response.status_code == 404:
                # Junk URLs are endless: keep their 404s briefly so they cannot crowd out pages.
                timeout = min(60, timeout)
            content_cache.cache_set(store_as[0], entry, timeout)
        return _serve(request, entry, validators)


def _entry(response, current):
    body = response.content
    stored_at = int(time.time())
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ("Accept-Encoding",))
    if response.status_code == 200:
        # ConditionalGetMiddleware has hashed the body of a GET already: the same hash, made weak, as
        # the page goes out gzipped or plain. A HEAD's body is hashed here, as that middleware would.
        if not response.has_header("ETag"):
            set_response_etag(response)
        if (etag := response.get("ETag")) and not etag.startswith("W/"):
            response["ETag"] = f"W/{etag}"
        response["Last-Modified"] = http_date(stored_at)
    # Stored as the response keeps them (checked and encoded once, here), so a hit copies them in one step.
    headers = {key: item for key, item in response.headers._store.items() if key not in NOT_STORED_HEADERS}
    etag = response.get("ETag")
    # Only the compressed body is kept: every browser takes it, and a page read from Redis is a
    # sixth of the bytes. mtime=0: the same page always compresses to the same bytes.
    return (current, stored_at, response.status_code, headers, gzip.compress(body, GZIP_LEVEL, mtime=0), etag)


@functools.lru_cache(maxsize=256)
def takes_gzip(accept_encoding):
    """Whether a client's Accept-Encoding takes gzip: named or matched by ``*``, and not refused
    with q=0. Browsers send a handful of distinct headers, so each is read once per process."""
    rated = {}
    for item in accept_encoding.lower().split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        rated[coding] = quality
    return rated.get("gzip", rated.get("*", 0.0)) > 0


def _serve(request, entry, validators):
    _version, stored_at, status, headers, gzipped, etag = entry
    if_none_match, if_modified_since = validators
    if status == 200 and (
        (if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"))
        or (not if_none_match and if_modified_since and (parse_http_date_safe(if_modified_since) or 0) >= stored_at)
    ):
        response = HttpResponse(status=304)
        response.headers._store.update(headers)
        return response
    compressed = takes_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    payload = gzipped if compressed else gzip.decompress(gzipped)
    if status in REDIRECTS:
        # The redirect classes, so that whatever reads response.url (the test client) can.
        response = REDIRECTS[status](headers["location"][1])
        response.content = b"" if request.method == "HEAD" else payload
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else payload, status=status)
    # Straight into the header store, like the stored headers: ASCII, checked once, when stored.
    store = response.headers._store
    store.update(headers)
    store["content-length"] = ("Content-Length", str(len(payload)))
    if compressed:
        store["content-encoding"] = ("Content-Encoding", "gzip")
    return response
