"""History: every page's versions, a revert that restores content only, and deletion that can be undone."""

import reversion
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.shortcuts import get_object_or_404
from reversion.models import Version

from points import models
from points.admin.workflow import RollBack
from points.models import ContentModel

# Registered on import, before any admin class (each admin module imports this one through the
# base), so each page's revision follows the rows its inlines edit (VersionAdmin would otherwise guess).
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


class HistoryViews:
    """Recovery, revert and delete, on top of django-reversion's ``VersionAdmin``."""

    def recover_view(self, request, version_id, extra_context=None):
        self.workflow(request).recovering = True
        return super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert restores content only, as a new edit: a pending revision when the page is live.

        The old version is shown by reverting this page and its own rows in a
        transaction that is always undone; the status, review dates and any other
        object saved in the same revision are never touched.
        """
        obj = self.get_item(request, object_id)
        version = get_object_or_404(
            Version, pk=version_id, object_id=str(obj.pk), content_type=ContentType.objects.get_for_model(obj)
        )
        self.workflow(request).reverting = True
        context = {"title": f"Revert {version.object_repr}", "revert": True, **(extra_context or {})}
        template = self.revision_form_template or self._reversion_get_template_list("revision_form.html")
        if request.method == "POST":
            with reversion.create_revision():
                reversion.set_user(request.user)
                response = self.changeform_view(request, object_id, request.path, context)
                if response.status_code == 302:
                    reversion.set_comment(
                        f"Reverted to the version saved on {version.revision.date_created:%d %b %Y %H:%M}."
                    )
            if response.status_code != 302 and hasattr(response, "template_name"):
                response.template_name = template
            return response
        try:
            with transaction.atomic():
                self.revert_page_only(request, obj, version)
                response = self.changeform_view(request, object_id, request.path, context)
                response.template_name = template
                response.render()
                raise RollBack(response)
        except RollBack as rollback:
            return rollback.args[0]

    def revert_page_only(self, request, obj, version):
        workflow_state = {}
        if isinstance(obj, ContentModel):
            workflow_state = {
                name: getattr(obj, name)
                for name in (
                    "status",
                    "last_reviewed",
                    "reviewed_by",
                    "reviewer_name",
                    "next_review_due",
                    "edit_version",
                )
            }
        version.revert()
        inline_models = {
            inline.model: inline.model._meta.get_field(fk_name)
            for _, inline, fk_name in self.editable_inlines(request, obj)
        }
        kept = {model: [] for model in inline_models}
        for other in version.revision.version_set.all():
            fk = inline_models.get(other._model)
            if fk and str(other.field_dict.get(fk.attname)) == str(obj.pk):
                other.revert()
                kept[other._model].append(other.object_id)
        for model, fk in inline_models.items():
            model._default_manager.filter(**{fk.name: obj}).exclude(pk__in=kept[model]).delete()
        if workflow_state:
            type(obj)._default_manager.filter(pk=obj.pk).update(**workflow_state)

    # Deleting goes through the delete page, which records a version first so
    # the object can be recovered; a bulk delete would bypass that.

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        # Not one revision for the whole list: bulk actions save one revision per object.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return admin.ModelAdmin.changelist_view(self, request, context)

    def delete_model(self, request, obj):
        # A version of what is about to go, even if it was never saved here.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Deleted. Recover it from the list of deleted items.")
            reversion.add_to_revision(obj)
            for row in self.also_deleted(obj):
                reversion.add_to_revision(row)
        super().delete_model(request, obj)

    def also_deleted(self, obj):
        """Rows the deletion cascades to that the object's versions do not already follow."""
        return []
