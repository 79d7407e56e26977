"""Reference data: meridians, sources and body areas, live as soon as a reviewer saves them."""

from django.contrib import admin
from django.db.models import Count

from points import forms, models
from points.admin.base import HistoryAdmin
from points.admin.columns import point_count


@admin.register(models.Meridian)
class MeridianAdmin(HistoryAdmin):
    form = forms.MeridianForm
    list_display = ("code", "name", "pinyin", "hanzi", "order", point_count)
    search_fields = ("code", "name", "pinyin", "other_names")
    autocomplete_fields = ("sources",)
    fields = (
        ("code", "order"),
        "name",
        ("pinyin", "hanzi"),
        "other_names",
        "description",
        "sources",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("points"))


@admin.register(models.Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("slug", "short_citation", "kind", "year")
    list_filter = ("kind",)
    search_fields = ("slug", "title", "authors", "publication", "doi")
    fields = ("slug", "kind", "authors", "title", "publication", "year", "url", "doi", "note")


@admin.register(models.BodyArea)
class BodyAreaAdmin(HistoryAdmin):
    list_display = ("name", "slug", "order")
    search_fields = ("name", "slug")
