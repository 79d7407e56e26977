"""Points, conditions, precautions, guides and routines: status, review dates and the roles' rules."""

import datetime

import reversion
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as format_date

from points.admin.base import HistoryAdmin
from points.models import Status, review_due_after


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

    def has_review_permission(self, request):
        return request.user.has_perm(f"points.review_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), "updated_at")
        if not self.has_review_permission(request):
            readonly += self.review_fields
        return readonly

    def with_workflow_fields(self, fieldsets):
        """Every page ends with the same workflow fieldset, derived here so no admin repeats it."""
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
            obj.mark_reviewed(reviewer, obj.last_reviewed, due=due)
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
