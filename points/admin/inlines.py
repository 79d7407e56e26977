"""The rows that belong to a page, edited on it."""

from django.contrib import admin

from points import forms, models


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


class RoutineStepInline(admin.TabularInline):
    model = models.RoutineStep
    fields = ("order", "point", "side", "seconds", "repeats", "instruction")
    autocomplete_fields = ("point",)
    verbose_name = "step"
    verbose_name_plural = "steps (total time is added up from these; both sides count twice)"
    extra = 0
