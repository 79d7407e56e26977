"""The editors' admin: lists to curate from, the review workflow, history, and the rules checked on save.

Roles are the groups made by migration 0002_roles. Editors write and submit
for review; reviewers also publish, mark reviewed and delete. The admin
enforces the difference on the server (a form error, a read-only field, a
missing action, a 403), so hiding a button is never the only guard. The
workflow itself (pending revisions of live pages, preview, comparison, stale
forms, history) lives in ``points.editorial_admin``.
"""

import reversion
from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.forms import CheckboxSelectMultiple, Script
from django.template.loader import render_to_string

from points import forms, models
from points.auth import LockoutAdminAuthenticationForm
from points.editorial_admin import EditorialAdmin, HistoryAdmin, ReviewListFilter, markdown_preview
from points.notation import normalise_key, parse_code

admin.site.login_form = LockoutAdminAuthenticationForm

# History. Registered here, before the admin classes, so each page's revision
# follows the rows its inlines edit (VersionAdmin would otherwise guess).
for part in (
    models.Alias,
    models.PointCondition,
    models.PointPrecaution,
    models.ConditionPrecaution,
    models.Combination,
    models.RoutineStep,
):
    reversion.register(part)
reversion.register(models.Point, follow=("aliases", "condition_links", "precaution_links", "combination_links"))
reversion.register(models.Condition, follow=("point_links", "precaution_links"))
reversion.register(models.Precaution, follow=("point_links", "condition_links"))
reversion.register(models.Routine, follow=("steps",))
for model in (models.Guide, models.Meridian, models.Source, models.BodyArea):
    reversion.register(model)


def precaution_links(link_model):
    return Prefetch("precaution_links", queryset=link_model.objects.select_related("precaution"))


# Inlines: the rows that belong to a page, edited on it.


class AliasInline(admin.TabularInline):
    model = models.Alias
    formset = forms.AliasFormSet
    fields = ("name", "kind", "shared", "note")
    extra = 0


class PointConditionInline(admin.TabularInline):
    model = models.PointCondition
    fk_name = "point"
    fields = ("condition", "note", "basis", "source", "start_here", "order")
    autocomplete_fields = ("condition", "source")
    verbose_name = "condition it is used for"
    verbose_name_plural = "conditions it is used for"
    extra = 0


class PointPrecautionInline(admin.TabularInline):
    model = models.PointPrecaution
    fk_name = "point"
    fields = ("precaution", "note")
    autocomplete_fields = ("precaution",)
    verbose_name = "precaution"
    verbose_name_plural = "precautions"
    extra = 0


class CombinationInline(admin.TabularInline):
    model = models.Combination
    form = forms.CombinationForm
    fk_name = "point"
    fields = ("partner", "note", "basis", "source")
    autocomplete_fields = ("partner", "source")
    verbose_name = "combination"
    verbose_name_plural = "combinations written on this point"
    extra = 0


class PartnerCombinationInline(admin.TabularInline):
    """Pairs written on the other point's page, shown here so the list is complete."""

    model = models.Combination
    fk_name = "partner"
    fields = ("point", "note", "basis", "source")
    readonly_fields = fields
    verbose_name = "combination"
    verbose_name_plural = "combinations written on the other point (edit them there)"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConditionPointInline(admin.TabularInline):
    model = models.PointCondition
    fk_name = "condition"
    fields = ("point", "note", "basis", "source", "start_here", "order")
    autocomplete_fields = ("point", "source")
    verbose_name = "point used for it"
    verbose_name_plural = "points used for it"
    extra = 0


class ConditionPrecautionInline(admin.TabularInline):
    model = models.ConditionPrecaution
    fk_name = "condition"
    fields = ("precaution", "note")
    autocomplete_fields = ("precaution",)
    verbose_name = "precaution"
    verbose_name_plural = "precautions"
    extra = 0


class PrecautionPointInline(admin.TabularInline):
    model = models.PointPrecaution
    fk_name = "precaution"
    fields = ("point", "note")
    autocomplete_fields = ("point",)
    verbose_name = "point it applies to"
    verbose_name_plural = "points it applies to"
    extra = 0


class PrecautionConditionInline(admin.TabularInline):
    model = models.ConditionPrecaution
    fk_name = "precaution"
    fields = ("condition", "note")
    autocomplete_fields = ("condition",)
    verbose_name = "condition it applies to"
    verbose_name_plural = "conditions it applies to"
    extra = 0


# Pages.


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
        "warnings",
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
    location_preview = markdown_preview("location", "Location")
    finding_preview = markdown_preview("finding", "Finding")
    pressing_preview = markdown_preview("pressing", "Pressing")
    functions_preview = markdown_preview("functions", "Functions")
    indications_preview = markdown_preview("indications", "Indications")
    reconciliation_preview = markdown_preview("reconciliation", "Reconciliation")

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

    readonly_fields = (
        "figure_preview",
        "location_preview",
        "finding_preview",
        "pressing_preview",
        "functions_preview",
        "indications_preview",
        "reconciliation_preview",
        "updated_at",
    )
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
            {
                "fields": (
                    "areas",
                    "location",
                    "location_preview",
                    "finding",
                    "finding_preview",
                    ("figure_view", "figure_x", "figure_y"),
                    "figure_preview",
                )
            },
        ),
        ("How to press it", {"fields": ("pressing", "pressing_preview")}),
        (
            "Tradition",
            {
                "fields": (
                    "categories",
                    "category_notes",
                    "functions",
                    "functions_preview",
                    "indications",
                    "indications_preview",
                )
            },
        ),
        ("Notation and sources", {"fields": ("reconciliation", "reconciliation_preview", "sources")}),
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
            extra |= Q(search_names__contains=key)
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

    @admin.display(description="warnings")
    def warnings(self, obj):
        return ", ".join(link.precaution.badge for link in obj.precaution_links.all()) or "–"


@admin.register(models.Condition)
class ConditionAdmin(EditorialAdmin):
    list_display = ("name", "slug", "status", "point_count", "last_reviewed", "review_due", "warnings")
    list_filter = ("status", ReviewListFilter, ("precaution_links__precaution", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    inlines = (ConditionPointInline, ConditionPrecautionInline)
    body_preview = markdown_preview("body", "Body")
    readonly_fields = ("body_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "order")}),
        ("Text", {"fields": ("body", "body_preview", "sources")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(point_count=Count("point_links", distinct=True))
            .prefetch_related(precaution_links(models.ConditionPrecaution))
        )

    @admin.display(description="points", ordering="point_count")
    def point_count(self, obj):
        return obj.point_count

    @admin.display(description="warnings")
    def warnings(self, obj):
        return ", ".join(link.precaution.badge for link in obj.precaution_links.all()) or "–"


@admin.register(models.Precaution)
class PrecautionAdmin(EditorialAdmin):
    list_display = ("title", "kind", "badge", "status", "point_count", "last_reviewed", "review_due")
    list_filter = ("kind", "status", ReviewListFilter)
    search_fields = ("title", "slug", "badge", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("related", "sources")
    inlines = (PrecautionPointInline, PrecautionConditionInline)
    body_preview = markdown_preview("body", "Body")
    readonly_fields = ("body_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "badge", "summary", "order")}),
        ("Text", {"fields": ("body", "body_preview", "related", "sources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("point_links", distinct=True))

    @admin.display(description="points", ordering="point_count")
    def point_count(self, obj):
        return obj.point_count


@admin.register(models.Guide)
class GuideAdmin(EditorialAdmin):
    list_display = ("title", "slug", "status", "order", "last_reviewed", "review_due")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("sources",)
    body_preview = markdown_preview("body", "Body")
    readonly_fields = ("body_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "order")}),
        ("Text", {"fields": ("body", "body_preview", "sources")}),
    )


class RoutineStepInline(admin.TabularInline):
    model = models.RoutineStep
    fields = ("order", "point", "side", "seconds", "repeats", "instruction")
    autocomplete_fields = ("point",)
    verbose_name = "step"
    verbose_name_plural = "steps (total time is added up from these; both sides count twice)"
    extra = 0


@admin.register(models.Routine)
class RoutineAdmin(EditorialAdmin):
    list_display = ("title", "slug", "status", "order", "last_reviewed", "review_due")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("conditions", "sources")
    inlines = (RoutineStepInline,)
    body_preview = markdown_preview("body", "Body")
    readonly_fields = ("body_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "for_whom", "summary", "order", "conditions")}),
        ("Text", {"fields": ("body", "body_preview", "sources")}),
    )


# Reference data.


@admin.register(models.Meridian)
class MeridianAdmin(HistoryAdmin):
    form = forms.MeridianForm
    list_display = ("code", "name", "pinyin", "hanzi", "order", "point_count")
    search_fields = ("code", "name", "pinyin", "other_names")
    autocomplete_fields = ("sources",)
    description_preview = markdown_preview("description", "Description")
    readonly_fields = ("description_preview",)
    fields = (
        ("code", "order"),
        "name",
        ("pinyin", "hanzi"),
        "other_names",
        "description",
        "description_preview",
        "sources",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("points"))

    @admin.display(description="points", ordering="point_count")
    def point_count(self, obj):
        return obj.point_count


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
