"""What one request knows of a page's workflow, and the reviewer's pages for a pending revision.

A live page is never changed by saving its form: the save becomes a pending
``Revision``. Here a reviewer compares it with the live page and publishes it,
sends it back with a comment, or discards it; a reviewer also takes a page
off the site, with a reason kept in its history.
"""

import dataclasses

import reversion
from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from points import forms
from points.models import ContentModel, Revision
from points.revisions import snapshot, to_querydict, word_diff


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


class RevisionViews:
    """The pending revision of a live page: stored, replayed into the change form, compared and acted on."""

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
