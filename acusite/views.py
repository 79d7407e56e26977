"""Site-wide views: robots.txt, the health check for load balancers, and the error pages."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from points import cache as content_cache


@require_safe
def robots_txt(request):
    sitemap = settings.SITE_URL + reverse("sitemap")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_safe
def healthz(request):
    checks = {}
    try:
        # The content version, not SELECT 1: a locked or missing table must fail the check too.
        content_cache.read_version()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {error.__class__.__name__}"
    checks["cache"] = "ok" if content_cache.cache_is_up() else "error: unavailable"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path[:200]}, status=404)


def server_error(request):
    # No database, no context processors: this page must render when everything else is down.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
