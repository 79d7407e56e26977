from django.urls import path, register_converter

from points import views


class CodeConverter:
    """Any path segment a reader may type for a point or meridian, except a NUL (databases refuse it)."""

    regex = r"[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")

app_name = "points"

urlpatterns = [
    path("", views.home, name="home"),
    path("points/", views.point_list, name="point-list"),
    path("points/<code:code>/", views.point_detail, name="point-detail"),
    path("meridians/", views.meridian_list, name="meridian-list"),
    path("meridians/<code:code>/", views.meridian_detail, name="meridian-detail"),
    path("conditions/", views.condition_list, name="condition-list"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition-detail"),
    path("safety/", views.safety_list, name="safety-list"),
    path("safety/<slug:slug>/", views.safety_detail, name="safety-detail"),
    path("guides/", views.guide_list, name="guide-list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide-detail"),
    path("routines/", views.routine_list, name="routine-list"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine-detail"),
    path("search/", views.search, name="search"),
    path("sources/", views.source_list, name="source-list"),
]
