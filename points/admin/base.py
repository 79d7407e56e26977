"""The admin's shared base class: the change form of every model with a page, and no lost work.

How a change reaches readers:

- A page that is not live yet (a draft, or in review) is edited directly; a
  reviewer publishes it, which records the review.
- A live page is never changed by saving its form. The save becomes a pending
  ``Revision`` (one open revision per page, which every editor continues), and
  readers keep the published version everywhere until a reviewer compares it,
  previews it and publishes it, or sends it back with a comment. Reviewers may
  also "Save and publish" in one step.
- Every change form carries the version it was loaded from; a save made from
  an older state is refused, naming who saved what and when, with the
  editor's text kept in the form.

The reviewer's pages are in ``workflow``, the preview in ``preview`` and
history (revert, recovery, delete) in ``history``; ``HistoryAdmin`` joins them.
"""

import datetime
import logging

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, OperationalError, models
from django.db.models import F
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from reversion.admin import VersionAdmin

from points import forms
from points.admin.history import HistoryViews
from points.admin.preview import PreviewView
from points.admin.workflow import RevisionViews, Workflow, is_live, open_revision_of
from points.models import ContentModel, OpenEdit, Revision
from points.revisions import rebase_rows, snapshot

logger = logging.getLogger(__name__)

PRESENCE_WINDOW = datetime.timedelta(hours=2)


class HistoryAdmin(RevisionViews, PreviewView, HistoryViews, VersionAdmin):
    """Versioned admin for every model with a page: history, revisions, revert and recovery."""

    form = forms.EditorialForm
    save_on_top = True
    change_form_template = "admin/points/change_form.html"
    formfield_overrides = {models.TextField: {"form_class": forms.NormalisedTextField}}
    workflow_fields = ("loaded_version", "loaded_revision")

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # The model names its Markdown fields; each gets its preview, so no admin declares one.
        for name, preview in self.markdown_previews().items():
            setattr(self, preview, markdown_preview(model, name))

    def markdown_previews(self):
        """Each Markdown field of the model, with the name of its read-only preview."""
        return {name: f"{name}_preview" for name in getattr(self.model, "markdown_fields", ())}

    # Permissions beyond Django's four, named in each model's Meta.

    def has_publish_permission(self, request):
        return request.user.has_perm(f"points.publish_{self.opts.model_name}")

    def has_add_permission(self, request):
        # A new source, meridian or area is live at once, so only reviewers add them.
        if not issubclass(self.model, ContentModel) and not self.has_publish_permission(request):
            return False
        return super().has_add_permission(request)

    def workflow(self, request):
        if not hasattr(request, "workflow"):
            request.workflow = Workflow()
        return request.workflow

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        form.workflow = self.workflow(request)
        bind_data = form.workflow.bind_data
        if bind_data is None or (request.method == "POST" and not form.workflow.replaying):
            return form

        class BoundToRevision(form):
            """Shows the pending revision in the form instead of the live page."""

            def __init__(self, *args, **kwargs):
                if not args and "data" not in kwargs:
                    kwargs["data"] = bind_data
                super().__init__(*args, **kwargs)

        return BoundToRevision

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": self.with_previews(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return self.with_workflow_fields(fieldsets)

    def with_previews(self, fields):
        """Each Markdown field followed by its preview, so that no admin lists the previews itself."""
        previews = self.markdown_previews()
        placed = []
        for entry in fields:
            if entry in previews.values():
                continue  # Django lists read-only fields last when an admin names no fields
            placed.append(entry)
            row = entry if isinstance(entry, list | tuple) else (entry,)
            placed += [previews[name] for name in row if name in previews]
        return tuple(placed)

    def with_workflow_fields(self, fieldsets):
        # The form's hidden versions join the first fieldset, unless the admin lists every form field already.
        if not set(self.workflow_fields) & set(flatten_fieldsets(fieldsets)):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": (*options["fields"], *self.workflow_fields)})
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), *self.markdown_previews().values())
        if is_live(obj) and isinstance(obj, ContentModel):
            # Taking a page off the site is its own action, with a reason.
            readonly += ("status",)
        return readonly

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        bind_data = self.workflow(request).bind_data
        if bind_data is not None and (request.method != "POST" or self.workflow(request).replaying):
            kwargs["data"] = bind_data
        return kwargs

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        self.workflow(request).formsets = formsets
        return formsets, inline_instances

    # Inline rows: matched to the live rows by id before any form sees them.

    def editable_inlines(self, request, obj):
        for inline in self.get_inline_instances(request, obj):
            if inline.has_change_permission(request, obj) or inline.has_add_permission(request, obj):
                formset = inline.get_formset(request, obj)
                yield formset.get_default_prefix(), inline, formset.fk.name

    def rebase(self, request, obj, data):
        readded = []
        reverting = self.workflow(request).reverting
        for prefix, inline, fk_name in self.editable_inlines(request, obj):
            live_pks = inline.model._default_manager.filter(**{fk_name: obj}).values_list("pk", flat=True)
            unlisted = {fk_name: str(obj.pk)} if reverting else None
            data, rows = rebase_rows(data, prefix, live_pks, delete_unlisted=unlisted)
            for row in rows:
                values = [" ".join(v) for name, v in row.items() if name not in ("id", fk_name, "DELETE") and any(v)]
                readded.append(values[0] if values else str(inline.model._meta.verbose_name))
        return data, readded

    # The change form.

    def add_view(self, request, form_url="", extra_context=None):
        return self.without_losing_text(super().add_view, request, None, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.without_losing_text(super().change_view, request, object_id, form_url, extra_context)

    def without_losing_text(self, view, request, object_id, form_url, extra_context):
        """A busy or locked database gets the form back with the editor's text, never a 500."""
        args = (request, object_id, form_url, extra_context) if object_id else (request, form_url, extra_context)
        try:
            return view(*args)
        except OperationalError as error:
            if request.method != "POST":
                raise
            logger.warning("database busy while saving %s: %s", self.opts.label, error)
            self.workflow(request).database_busy = True
        try:
            # Outside any transaction: the form only reads, adds the busy error and shows the text again.
            return self._changeform_view(request, object_id, form_url, extra_context)
        except DatabaseError:
            fields = [(key, values) for key, values in request.POST.lists() if not key.startswith(("csrf", "_"))]
            return TemplateResponse(
                request,
                "admin/points/database_busy.html",
                {**self.admin_site.each_context(request), "fields": fields, "opts": self.opts},
                status=503,
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        workflow = self.workflow(request)
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        workflow.obj = obj
        workflow.revision = open_revision_of(obj)
        if request.method == "POST":
            request.POST, workflow.readded = self.rebase(request, obj, request.POST.copy())
            if workflow.reverting:
                workflow.readded = []  # a revert brings deleted rows back on purpose
        elif workflow.revision is not None and not workflow.reverting:
            workflow.bind_data = self.revision_data(request, obj, workflow.revision)
        context = {**(extra_context or {}), **self.workflow_context(request, obj)}
        response = super().changeform_view(request, object_id, form_url, context)
        if request.method == "POST" and response.status_code == 302:
            OpenEdit.objects.filter(user=request.user, **self.item_filter(obj)).delete()
        return response

    def item_filter(self, obj):
        return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}

    def workflow_context(self, request, obj):
        now = timezone.now()
        if request.method == "GET" and request.user.has_perm(f"points.change_{self.opts.model_name}"):
            OpenEdit.objects.update_or_create(user=request.user, **self.item_filter(obj), defaults={"opened_at": now})
        others = (
            OpenEdit.objects.filter(**self.item_filter(obj), opened_at__gte=now - PRESENCE_WINDOW)
            .exclude(user=request.user)
            .select_related("user")
        )
        return {
            "workflow": self.workflow(request),
            "live": is_live(obj),
            "can_publish": self.has_publish_permission(request),
            "others_editing": [(forms.describe_saver(edit.user), edit.opened_at) for edit in others],
            "revision_url": self.workflow_url("pending", obj),
            "preview_url": self.workflow_url("preview", obj),
            "unpublish_url": self.workflow_url("unpublish", obj) if isinstance(obj, ContentModel) else None,
        }

    def save_model(self, request, obj, form, change):
        workflow = self.workflow(request)
        if change and not workflow.recovering and self.unchanged(request, form):
            workflow.outcome = "unchanged"
            return
        for label, removed in getattr(form, "removed_html", {}).items():
            messages.warning(
                request,
                f"Saved, but “{label}” had HTML that is not allowed, so readers will not see "
                f"{', '.join(removed)}. Remove it from the text or rewrite it in Markdown.",
            )
        can_publish = self.has_publish_permission(request)
        publishing_now = workflow.publishing or ("_publish" in request.POST and can_publish)
        if workflow.recovering:
            # A deleted page comes back as it was, but only a reviewer may put it straight back on the site.
            publishing_now = True
            if isinstance(obj, ContentModel) and not can_publish:
                obj.return_to_review()
        if change and is_live(workflow.obj) and not publishing_now:
            workflow.outcome = "pending"
            self.save_revision(request, workflow.obj)
            return
        if change:
            # Counted in the database, so two workers saving at once cannot both claim the next version.
            type(obj)._default_manager.filter(pk=obj.pk).update(edit_version=F("edit_version") + 1)
            obj.edit_version = type(obj)._default_manager.values_list("edit_version", flat=True).get(pk=obj.pk)
        if publishing_now and isinstance(obj, ContentModel) and obj.is_published:
            # A review date the reviewer typed in the form wins over today's; a replayed
            # revision carries none (editors cannot set them), so publishing it is a review today.
            typed = set() if workflow.replaying else set(form.changed_data)
            day = obj.last_reviewed if "last_reviewed" in typed and obj.last_reviewed else None
            reviewer = obj.reviewed_by if "reviewed_by" in typed and obj.reviewed_by else request.user
            obj.publish(reviewer, day)
        super().save_model(request, obj, form, change)
        if workflow.revision is not None and (publishing_now or not is_live(workflow.obj)):
            self.close_revision(request, workflow.revision, Revision.State.PUBLISHED)
        workflow.outcome = "published" if publishing_now else "saved"

    def unchanged(self, request, form):
        workflow = self.workflow(request)
        if workflow.revision is not None and not workflow.replaying:
            return snapshot(request.POST) == workflow.revision.data and "_publish" not in request.POST
        return not form.has_changed() and not any(formset.has_changed() for formset in workflow.formsets)

    def save_related(self, request, form, formsets, change):
        if self.workflow(request).outcome in ("pending", "unchanged"):
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if self.workflow(request).outcome in ("pending", "unchanged"):
            return ""
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        outcome = self.workflow(request).outcome
        if outcome == "unchanged":
            return None
        if outcome == "pending":
            return admin.ModelAdmin.log_change(self, request, obj, "Saved a change for review.")
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        outcome = self.workflow(request).outcome
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if outcome == "unchanged":
            self.message_user(request, "Nothing was changed, so nothing was saved.", messages.INFO)
            return HttpResponseRedirect(change_url)
        if outcome == "pending":
            self.message_user(
                request,
                f"Your change to “{obj}” is saved and waits for a reviewer. Readers still see the published page "
                "until a reviewer publishes the change.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        return super().response_change(request, obj)

    def get_item(self, request, object_id, permission="change"):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise PermissionDenied
        allowed = self.has_change_permission(request, obj) if permission == "change" else permission(request)
        if not allowed:
            raise PermissionDenied
        return obj

    def workflow_url(self, name, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[obj.pk])


def markdown_preview(model, field_name):
    """A read-only field showing a Markdown field as readers will see it, as last saved."""

    @admin.display(description=f"{capfirst(model._meta.get_field(field_name).verbose_name)}: as readers see it")
    def preview(obj):
        html = getattr(obj, f"{field_name}_html", "") if obj else ""
        # Sanitised by points.markdown (nh3, short allow-list) when the object was saved.
        return mark_safe(html) if html else "Shown here after saving."

    return preview
