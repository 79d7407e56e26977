"""The admin's shared base classes: history, the review workflow, pending revisions and no lost work.

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
"""

import dataclasses
import datetime
import logging
from urllib.parse import urlsplit

import reversion
from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, OperationalError, models, transaction
from django.db.models import F
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version

from points import cache as content_cache
from points import forms
from points.models import ContentModel, OpenEdit, Revision, Status, review_due_after
from points.revisions import rebase_rows, snapshot, to_querydict, word_diff

logger = logging.getLogger(__name__)

PRESENCE_WINDOW = datetime.timedelta(hours=2)


class RollBack(Exception):
    """Raised to undo a transaction that only served to show something."""


@dataclasses.dataclass
class Workflow:
    """What one admin request knows about the page's workflow state."""

    obj: object = None
    revision: Revision | None = None
    bind_data: QueryDict | None = None
    replaying: bool = False
    reverting: bool = False
    recovering: bool = False
    publishing: bool = False
    database_busy: bool = False
    readded: list = dataclasses.field(default_factory=list)
    formsets: list = dataclasses.field(default_factory=list)
    outcome: str = ""


def display_value(value):
    """A form value as an editor reads it, for comparisons."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(display_value(item) for item in value)
    return str(value)


def is_live(obj):
    return obj is not None and obj.pk is not None and (not isinstance(obj, ContentModel) or obj.is_published)


def open_revision_of(obj):
    return (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            state__in=Revision.OPEN_STATES,
        )
        .select_related("author", "last_saved_by", "reviewer")
        .first()
    )


class HistoryAdmin(VersionAdmin):
    """Versioned admin for every model with a page: history, revisions, revert and recovery."""

    form = forms.EditorialForm
    save_on_top = True
    change_form_template = "admin/points/change_form.html"
    formfield_overrides = {models.TextField: {"form_class": forms.NormalisedTextField}}
    workflow_fields = ("loaded_version", "loaded_revision")

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
        fieldsets = list(super().get_fieldsets(request, obj))
        if not set(self.workflow_fields) & set(flatten_fieldsets(fieldsets)):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": (*options["fields"], *self.workflow_fields)})
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
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

    def workflow_url(self, name, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[obj.pk])

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
            if isinstance(obj, ContentModel) and obj.is_published and not can_publish:
                obj.status = Status.REVIEW
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

    # Revisions.

    def revision_data(self, request, obj, revision):
        data = to_querydict(revision.data, loaded_version=str(obj.edit_version), loaded_revision=revision.token)
        return self.rebase(request, obj, data)[0]

    def save_revision(self, request, obj):
        revision = self.workflow(request).revision
        data = snapshot(request.POST)
        if revision is None:
            revision = Revision.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                data=data,
                base_version=obj.edit_version,
                author=request.user,
                last_saved_by=request.user,
            )
        else:
            revision.data = data
            revision.saves += 1
            revision.state = Revision.State.PENDING
            revision.last_saved_by = request.user
            revision.base_version = obj.edit_version
            revision.save()
        self.workflow(request).revision = revision
        return revision

    def close_revision(self, request, revision, state, comment=None):
        revision.state = state
        revision.reviewer = request.user
        revision.reviewed_at = timezone.now()
        if comment is not None:
            revision.comment = comment
        revision.save()

    def replay(self, request, obj, revision):
        """The change form bound to the revision's data: (form, formsets, valid)."""
        workflow = self.workflow(request)
        workflow.obj, workflow.revision, workflow.replaying = obj, revision, True
        workflow.bind_data = self.revision_data(request, obj, revision)
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=True, fields=flatten_fieldsets(fieldsets))
        form = form_class(workflow.bind_data, instance=obj)
        formsets, _ = self._create_formsets(request, obj, change=True)
        valid = form.is_valid()
        valid = all_valid(formsets) and valid
        return form, formsets, valid

    def changes(self, form, formsets):
        """What the bound forms change against the live page: field by field, and row by row."""
        fields = []
        # Status and review dates are the workflow's, not content: publishing sets them.
        workflow_only = {*self.workflow_fields, "status", "last_reviewed", "reviewed_by", "next_review_due"}
        for name in form.changed_data:
            if name in workflow_only:
                continue
            old, new = display_value(form.initial.get(name)), display_value(form.cleaned_data.get(name))
            if name in form.fields and isinstance(form.fields[name], django_forms.ModelMultipleChoiceField):
                old = display_value(list(form.fields[name].queryset.filter(pk__in=form.initial.get(name) or [])))
            fields.append({"label": form.fields[name].label or name, "diff": word_diff(old, new)})
        rows = []
        for formset in formsets:
            label = formset.model._meta.verbose_name
            for row in formset.forms:
                if not row.has_changed() and not (formset.can_delete and formset._should_delete_form(row)):
                    continue
                if formset.can_delete and formset._should_delete_form(row):
                    rows.append({"label": label, "action": "removed", "diff": word_diff(str(row.instance), "")})
                elif row.instance.pk is None:
                    text = "; ".join(
                        display_value(row.cleaned_data.get(name))
                        for name in row.changed_data
                        if name not in ("id", formset.fk.name, "DELETE")
                    )
                    rows.append({"label": label, "action": "added", "diff": word_diff("", text)})
                else:
                    for name in row.changed_data:
                        old = display_value(row.initial.get(name))
                        new = display_value(row.cleaned_data.get(name))
                        rows.append(
                            {
                                "label": f"{label} “{row.instance}”: {row.fields[name].label or name}",
                                "action": "changed",
                                "diff": word_diff(old, new),
                            }
                        )
        return fields, rows

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/revision/", wrap(self.revision_compare_view), name="{}_{}_pending".format(*info)),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="{}_{}_preview".format(*info)),
            path("<path:object_id>/unpublish/", wrap(self.unpublish_view), name="{}_{}_unpublish".format(*info)),
            *super().get_urls(),
        ]

    def get_item(self, request, object_id, permission="change"):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise PermissionDenied
        allowed = self.has_change_permission(request, obj) if permission == "change" else permission(request)
        if not allowed:
            raise PermissionDenied
        return obj

    def revision_compare_view(self, request, object_id):
        """The reviewer's page: what the pending change does to the live page, and what to do with it."""
        obj = self.get_item(request, object_id)
        revision = open_revision_of(obj)
        can_publish = self.has_publish_permission(request)
        if request.method == "POST" and revision is not None:
            response = self.act_on_revision(request, obj, revision, can_publish)
            if response is not None:
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "revision": revision,
            "can_publish": can_publish,
            "title": f"Pending change to {obj}",
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]),
            "preview_url": self.workflow_url("preview", obj),
        }
        if revision is not None:
            form, formsets, valid = self.replay(request, obj, revision)
            context["fields"], context["rows"] = self.changes(form, formsets) if valid else ([], [])
            context["errors"] = [] if valid else self.replay_errors(form, formsets)
            context["stale"] = revision.base_version != obj.edit_version
        return TemplateResponse(request, "admin/points/revision_compare.html", context)

    def replay_errors(self, form, formsets):
        errors = [
            f"{form.fields[name].label if name in form.fields else 'Page'}: {' '.join(e)}"
            for name, e in form.errors.items()
        ]
        for formset in formsets:
            errors += [" ".join(error) for error in formset.non_form_errors()]
            errors += [
                f"{formset.model._meta.verbose_name}: {' '.join(messages_)}"
                for row_errors in formset.errors
                for messages_ in row_errors.values()
            ]
        return errors

    def act_on_revision(self, request, obj, revision, can_publish):
        action = request.POST.get("action")
        if action == "publish" and can_publish:
            return self.publish_revision(request, obj, revision)
        if action == "send-back" and can_publish:
            comment = request.POST.get("comment", "").strip()
            if not comment:
                messages.error(request, "Say what the editor should change: a change is sent back with a comment.")
                return None
            self.close_revision(request, revision, Revision.State.SENT_BACK, comment)
            self.message_user(request, f"Sent back to {forms.describe_saver(revision.author)} with your comment.")
            return HttpResponseRedirect(reverse("admin:index"))
        if action == "discard" and (can_publish or revision.author_id == request.user.pk):
            self.close_revision(request, revision, Revision.State.DISCARDED)
            self.message_user(request, "The pending change was discarded; the live page is as it was.")
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        raise PermissionDenied

    def publish_revision(self, request, obj, revision):
        if revision.base_version != obj.edit_version:
            messages.error(
                request,
                "The live page was changed after this change was written, so publishing it would undo that newer "
                "edit. Send it back so the editor can bring it up to date.",
            )
            return None
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            form, formsets, valid = self.replay(request, obj, revision)
            if not valid:
                messages.error(
                    request, "This change no longer passes the checks: " + " ".join(self.replay_errors(form, formsets))
                )
                return None
            self.workflow(request).publishing = True
            new_object = self.save_form(request, form, change=True)
            self.save_model(request, new_object, form, change=True)
            self.save_related(request, form, formsets, change=True)
            message = self.construct_change_message(request, form, formsets, False)
            self.log_change(request, new_object, message)
            reversion.set_comment(f"Published the change by {forms.describe_saver(revision.author)}.")
        self.message_user(request, f"Published. Readers see the new “{new_object}” on their next request.")
        return HttpResponseRedirect(reverse("admin:index"))

    def preview_view(self, request, object_id):
        """The page exactly as readers will see it once published, in a transaction that is always undone."""
        obj = self.get_item(request, object_id)
        revision = open_revision_of(obj)
        url = obj.get_absolute_url()
        try:
            with transaction.atomic(), content_cache.previewing():
                if revision is not None:
                    form, formsets, valid = self.replay(request, obj, revision)
                    if not valid:
                        messages.error(
                            request,
                            "The pending change cannot be previewed: " + " ".join(self.replay_errors(form, formsets)),
                        )
                        raise RollBack
                    self.workflow(request).publishing = True
                    new_object = self.save_form(request, form, change=True)
                    self.save_model(request, new_object, form, change=True)
                    self.save_related(request, form, formsets, change=True)
                    obj = new_object
                    url = obj.get_absolute_url()
                elif isinstance(obj, ContentModel) and not obj.is_published:
                    type(obj)._default_manager.filter(pk=obj.pk).update(status=Status.PUBLISHED)
                response = self.render_as_reader(request, url)
                raise RollBack(response)
        except RollBack as rollback:
            if rollback.args:
                return rollback.args[0]
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def render_as_reader(self, request, url):
        parts = urlsplit(url)
        url = parts.path
        match = resolve(url)
        reader = type(request)(request.environ.copy())
        reader.path = reader.path_info = url
        reader.method = "GET"
        reader.user = AnonymousUser()
        reader.resolver_match = match
        reader.session = request.session
        reader.skip_page_cache = True
        reader.preview = True
        reader._csp_nonce = getattr(request, "_csp_nonce", None)
        reader.GET = QueryDict(parts.query)
        with content_cache.previewing():
            response = match.func(reader, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def unpublish_view(self, request, object_id):
        obj = self.get_item(request, object_id, permission=self.has_publish_permission)
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        errors = list(obj.unpublish_blockers()) if isinstance(obj, ContentModel) else []
        if open_revision_of(obj) is not None:
            errors.append("A change to this page is waiting for review: publish it or send it back first.")
        if request.method == "POST" and not errors:
            reason = request.POST.get("reason", "").strip()
            if not reason:
                errors.append("Give the reason the page leaves the site; it is kept in the page's history.")
            else:
                try:
                    obj.unpublish()
                except ValidationError as error:
                    errors += error.messages
                else:
                    with reversion.create_revision():
                        reversion.set_user(request.user)
                        reversion.set_comment(f"Taken off the site: {reason}")
                        type(obj)._default_manager.filter(pk=obj.pk).update(edit_version=F("edit_version") + 1)
                        obj.edit_version += 1
                        obj.save()
                    admin.ModelAdmin.log_change(self, request, obj, f"Taken off the site: {reason}")
                    self.message_user(request, f"“{obj}” is off the public site. Reason recorded: {reason}")
                    return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Take “{obj}” off the site",
            "errors": errors,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/points/unpublish.html", context)

    # History.

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


def markdown_preview(field_name, label):
    """A read-only field showing a Markdown field as readers will see it, as last saved."""

    @admin.display(description=f"{label}: as readers see it")
    def preview(self, obj):
        html = getattr(obj, f"{field_name}_html", "") if obj else ""
        # Sanitised by points.markdown (nh3, short allow-list) when the object was saved.
        return mark_safe(html) if html else "Shown here after saving."

    return preview


class ReviewListFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("soon", "Due in the next 30 days"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "overdue":
                return queryset.overdue(today)
            case "soon":
                return queryset.filter(
                    next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=30)
                )
            case "never":
                return queryset.filter(last_reviewed__isnull=True)
        return queryset


class EditorialAdmin(HistoryAdmin):
    """Points, conditions, precautions, guides and routines: status, review dates and the roles' rules."""

    review_fields = ("last_reviewed", "reviewed_by", "next_review_due")
    list_filter = ("status", ReviewListFilter)
    actions = ["submit_for_review", "publish", "mark_reviewed"]
    readonly_fields = ("updated_at",)

    def has_review_permission(self, request):
        return request.user.has_perm(f"points.review_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.has_review_permission(request):
            readonly += self.review_fields
        return readonly

    def get_fieldsets(self, request, obj=None):
        """Every page ends with the same workflow fieldset, derived here so no admin repeats it."""
        fieldsets = list(super(HistoryAdmin, self).get_fieldsets(request, obj))
        workflow = ["status", *(("described",) if "described" in self.form_field_names() else ())]
        workflow += [self.review_fields, "updated_at", *self.workflow_fields]
        return [*fieldsets, ("Workflow", {"fields": workflow})]

    def form_field_names(self):
        return {field.name for field in self.model._meta.fields}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewed_by":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status == Status.PUBLISHED:
            obj.publish(request.user)
        elif "last_reviewed" in form.changed_data and obj.last_reviewed:
            reviewer = obj.reviewed_by if "reviewed_by" in form.changed_data else request.user
            due = obj.next_review_due if "next_review_due" in form.changed_data else None
            obj.mark_reviewed(reviewer, obj.last_reviewed)
            obj.next_review_due = due or obj.next_review_due
        super().save_model(request, obj, form, change)

    @admin.display(description="next review", ordering="next_review_due")
    def review_due(self, obj):
        if obj.review_overdue:
            return f"{format_date(obj.next_review_due, 'j M Y')} (overdue)"
        return obj.next_review_due or "–"

    # Actions save object by object (not queryset.update) so Markdown, the page
    # cache and history stay right, and each object gets a revision of its own.

    def _save_each(self, request, objects, message, change):
        count = 0
        for obj in objects:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(message)
                change(obj)
                type(obj)._default_manager.filter(pk=obj.pk).update(edit_version=F("edit_version") + 1)
                obj.edit_version += 1
                obj.save()
            admin.ModelAdmin.log_change(self, request, obj, message)
            count += 1
        return count

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(status=Status.DRAFT)
        count = self._save_each(request, drafts, "Submitted for review.", lambda obj: obj.submit_for_review())
        self.message_user(request, f"Submitted {count} for review (only drafts can be submitted).")

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request, queryset):
        unpublished = queryset.exclude(status=Status.PUBLISHED)
        count = self._save_each(request, unpublished, "Published.", lambda obj: obj.publish(request.user))
        self.message_user(
            request,
            f"Published {count}. Changes waiting on pages that are already live are published from the review "
            "queue, one by one.",
        )

    @admin.action(
        description="Mark reviewed today",
        description_plural="Mark selected reviewed today",
        permissions=["review"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def mark_reviewed(self, request, queryset):
        count = self._save_each(request, queryset, "Marked reviewed.", lambda obj: obj.mark_reviewed(request.user))
        due = review_due_after(timezone.localdate())
        self.message_user(request, f"Marked {count} reviewed today; next review due {format_date(due, 'j M Y')}.")
