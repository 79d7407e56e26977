from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from points.models import Condition, Guide, Meridian, Point, Precaution, Routine


class Sitemap(DjangoSitemap):
    """Every address in the sitemap is on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


class StaticSitemap(Sitemap):
    def items(self):
        return ["points:home", "points:point-list", "points:meridian-list", "points:condition-list",
                "points:safety-list", "points:guide-list", "points:routine-list", "points:source-list"]  # fmt: skip

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    """Published content only: drafts must never be announced to search engines."""

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published()

    def lastmod(self, item):
        return item.updated_at


class MeridianSitemap(Sitemap):
    def items(self):
        return Meridian.objects.all()


SITEMAPS = {
    "pages": StaticSitemap,
    "points": PublishedSitemap(Point),
    "meridians": MeridianSitemap,
    "conditions": PublishedSitemap(Condition),
    "safety": PublishedSitemap(Precaution),
    "guides": PublishedSitemap(Guide),
    "routines": PublishedSitemap(Routine),
}
