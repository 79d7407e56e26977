from django.conf import settings

from points.navigation import layout_links


def site(request):
    match = getattr(request, "resolver_match", None)
    links = layout_links(match.url_name if match else "")
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **links}
