"""The editorial pages' admins: points, conditions, precautions, guides and routines."""

from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.forms import CheckboxSelectMultiple, Script
from django.template.loader import render_to_string

from points import forms, models
from points.admin.columns import point_count, warnings
from points.admin.editorial import EditorialAdmin, ReviewListFilter
from points.admin.inlines import (
    AliasInline,
    CombinationInline,
    ConditionPointInline,
    ConditionPrecautionInline,
    PartnerCombinationInline,
    PointConditionInline,
    PointPrecautionInline,
    PrecautionConditionInline,
    PrecautionPointInline,
    RoutineStepInline,
)
from points.notation import normalise_key, parse_code
from points.text_index import names_contain


def precaution_links(link_model):
    return Prefetch("precaution_links", queryset=link_model.objects.select_related("precaution"))


@admin.register(models.Point)
class PointAdmin(EditorialAdmin):
    form = forms.PointForm
    list_display = (
        "code",
        "pinyin",
        "english_name",
        "meridian",
        "status",
        "described",
        "last_reviewed",
        "review_due",
        warnings,
    )
    list_display_links = ("code", "pinyin")
    list_select_related = ("meridian",)
    list_filter = (
        "meridian",
        ("areas", admin.RelatedOnlyFieldListFilter),
        ("condition_links__condition", admin.RelatedOnlyFieldListFilter),
        ("precaution_links__precaution", admin.RelatedOnlyFieldListFilter),
        "status",
        ReviewListFilter,
        "described",
    )
    search_fields = ("code", "pinyin", "english_name", "hanzi_traditional", "hanzi_simplified", "search_names")
    search_help_text = "A code in any notation (B47, LI-4, du16), a name, an alias or Chinese characters."
    autocomplete_fields = ("sources",)
    inlines = (AliasInline, PointConditionInline, PointPrecautionInline, CombinationInline, PartnerCombinationInline)

    @admin.display(description="Picture: as readers see it")
    def figure_preview(self, obj):
        """The reader's figure with its dot, drawn by the same include; static/js/admin-figure.js moves the dot as
        the coordinates are typed, and a new view shows after saving."""
        if obj is None or not obj.figure_view or obj.figure_x is None or obj.figure_y is None:
            return "Choose a view and both coordinates, then save, to see the picture here."
        return render_to_string("points/includes/admin_figure_preview.html", {"point": obj})

    class Media:
        css = {"all": ("css/figures.css",)}
        js = (Script("js/admin-figure.js", type="module"),)

    readonly_fields = ("figure_preview",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("code", "meridian", "number"),
                    ("pinyin", "pinyin_tones"),
                    ("hanzi_traditional", "hanzi_simplified"),
                    "english_name",
                    "summary",
                )
            },
        ),
        (
            "Where it lies",
            {"fields": ("areas", "location", "finding", ("figure_view", "figure_x", "figure_y"), "figure_preview")},
        ),
        ("How to press it", {"fields": ("pressing",)}),
        ("Tradition", {"fields": ("categories", "category_notes", "functions", "indications")}),
        ("Notation and sources", {"fields": ("reconciliation", "sources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(precaution_links(models.PointPrecaution))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas":
            kwargs["widget"] = CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Codes in any notation (B47 is BL52) and names written any way (He Gu, hegu, Hégǔ) find the point."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        extra = Q()
        parsed = parse_code(search_term)
        if parsed:
            extra |= Q(code=parsed.code)
        key = normalise_key(search_term)
        if key:
            extra |= names_contain(key)
        if extra:
            results |= queryset.filter(extra)
        return results, may_have_duplicates

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Names may have changed on the point itself, not only in its aliases.
        form.instance.refresh_search_names()

    def also_deleted(self, obj):
        # Pairs written on the other point's page go with this point, and come back with it.
        return obj.partner_links.all()


@admin.register(models.Condition)
class ConditionAdmin(EditorialAdmin):
    list_display = ("name", "slug", "status", point_count, "last_reviewed", "review_due", warnings)
    list_filter = ("status", ReviewListFilter, ("precaution_links__precaution", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    inlines = (ConditionPointInline, ConditionPrecautionInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "order")}),
        ("Text", {"fields": ("body", "sources")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(point_count=Count("point_links", distinct=True))
            .prefetch_related(precaution_links(models.ConditionPrecaution))
        )


@admin.register(models.Precaution)
class PrecautionAdmin(EditorialAdmin):
    list_display = ("title", "kind", "badge", "status", point_count, "last_reviewed", "review_due")
    list_filter = ("kind", "status", ReviewListFilter)
    search_fields = ("title", "slug", "badge", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("related", "sources")
    inlines = (PrecautionPointInline, PrecautionConditionInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "badge", "summary", "order")}),
        ("Text", {"fields": ("body", "related", "sources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("point_links", distinct=True))


@admin.register(models.Guide)
class GuideAdmin(EditorialAdmin):
    list_display = ("title", "slug", "status", "order", "last_reviewed", "review_due")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("sources",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "order")}),
        ("Text", {"fields": ("body", "sources")}),
    )


@admin.register(models.Routine)
class RoutineAdmin(EditorialAdmin):
    list_display = ("title", "slug", "status", "order", "last_reviewed", "review_due")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("conditions", "sources")
    inlines = (RoutineStepInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "for_whom", "summary", "order", "conditions")}),
        ("Text", {"fields": ("body", "sources")}),
    )
