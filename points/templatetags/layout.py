"""The site's header and footer, rendered once per process for each set of links they show, and
the addresses of the static files every page links (``{% asset %}``).

Both are pure functions of the layout data (``points.navigation``, the site's name): the
same for every reader and every content version, so this process keeps what it rendered,
keyed by everything it was rendered from. With DEBUG on, templates are edited live, so
they are rendered every time.
"""

import functools

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.safestring import mark_safe

register = template.Library()


@functools.lru_cache(maxsize=64)
def _header(site_name, main_nav, home_url, search_url, red_flags_link):
    context = {"site_name": site_name, "main_nav": main_nav, "home_url": home_url, "search_url": search_url,
               "red_flags_link": red_flags_link}  # fmt: skip
    # The template escapes what it shows; stripped, its comment line and closing newline stay out of the page.
    return mark_safe(get_template("includes/site_header.html").render(context).strip())


@functools.lru_cache(maxsize=8)
def _footer(red_flags_url, footer_links):
    context = {"page_urls": {"red_flags": red_flags_url}, "footer_links": footer_links}
    return mark_safe(get_template("includes/site_footer.html").render(context).strip())


def _tuples(rows):
    return tuple(tuple(row) for row in rows)


@register.simple_tag(takes_context=True)
def site_header(context):
    render = _header.__wrapped__ if settings.DEBUG else _header
    return render(
        context.get("site_name", ""), _tuples(context.get("main_nav", ())), context.get("home_url", ""),
        context.get("search_url", ""), tuple(context.get("red_flags_link", ("", ""))),
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def site_footer(context):
    render = _footer.__wrapped__ if settings.DEBUG else _footer
    return render(context.get("page_urls", {}).get("red_flags", ""), _tuples(context.get("footer_links", ())))


@functools.lru_cache(maxsize=64)
def _asset(path):
    return static(path)


@register.simple_tag
def asset(path):
    """``{% static %}`` for the files every page links: the manifest's hashed name for a path does not
    change while a process runs, and looking it up cost 25 µs a file on every page."""
    return static(path) if settings.DEBUG else _asset(path)
