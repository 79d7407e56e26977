"""The rows that belong to a page, edited on it as a table."""

from django.contrib import admin

from points import forms, models


class PageRowsInline(admin.TabularInline):
    """Rows a page owns: no empty rows are offered, and every other page a row links to is found by search.

    The search fields are the row's links in ``fields``, derived here so that no inline repeats its fields;
    an inline declares only what is its own: the model, the columns and what editors call the rows.
    """

    extra = 0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "autocomplete_fields" not in cls.__dict__:
            cls.autocomplete_fields = tuple(
                name
                for name in cls.fields
                if name not in cls.readonly_fields and cls.model._meta.get_field(name).is_relation
            )


class AliasInline(PageRowsInline):
    model = models.Alias
    formset = forms.AliasFormSet
    fields = ("name", "kind", "shared", "note")


class PointConditionInline(PageRowsInline):
    model = models.PointCondition
    fields = ("condition", "note", "basis", "source", "start_here", "order")
    verbose_name = "condition it is used for"
    verbose_name_plural = "conditions it is used for"


class PointPrecautionInline(PageRowsInline):
    model = models.PointPrecaution
    fields = ("precaution", "note")
    verbose_name = "precaution"
    verbose_name_plural = "precautions"


class CombinationInline(PageRowsInline):
    model = models.Combination
    form = forms.CombinationForm
    fk_name = "point"  # a pair has two points
    fields = ("partner", "note", "basis", "source")
    verbose_name = "combination"
    verbose_name_plural = "combinations written on this point"


class PartnerCombinationInline(PageRowsInline):
    """Pairs written on the other point's page, shown here so the list is complete."""

    model = models.Combination
    fk_name = "partner"
    fields = ("point", "note", "basis", "source")
    readonly_fields = fields
    verbose_name = "combination"
    verbose_name_plural = "combinations written on the other point (edit them there)"
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConditionPointInline(PageRowsInline):
    model = models.PointCondition
    fields = ("point", "note", "basis", "source", "start_here", "order")
    verbose_name = "point used for it"
    verbose_name_plural = "points used for it"


class ConditionPrecautionInline(PageRowsInline):
    model = models.ConditionPrecaution
    fields = ("precaution", "note")
    verbose_name = "precaution"
    verbose_name_plural = "precautions"


class PrecautionPointInline(PageRowsInline):
    model = models.PointPrecaution
    fields = ("point", "note")
    verbose_name = "point it applies to"
    verbose_name_plural = "points it applies to"


class PrecautionConditionInline(PageRowsInline):
    model = models.ConditionPrecaution
    fields = ("condition", "note")
    verbose_name = "condition it applies to"
    verbose_name_plural = "conditions it applies to"


class RoutineStepInline(PageRowsInline):
    model = models.RoutineStep
    fields = ("order", "point", "side", "seconds", "repeats", "instruction")
    verbose_name = "step"
    verbose_name_plural = "steps (total time is added up from these; both sides count twice)"
