from django.conf import settings

from points.navigation import layout_links


def site(request):
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **layout_links()}
