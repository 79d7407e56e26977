from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from acusite import views
from points.sitemaps import SITEMAPS

admin.site.site_header = "acusite editors"
admin.site.site_title = "acusite editors"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("points.urls")),
]

handler404 = "acusite.views.page_not_found"
handler500 = "acusite.views.server_error"
