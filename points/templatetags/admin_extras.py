"""What the admin shows beside the forms: the review queue, overdue reviews, and stale-save conflicts."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from points.admin.workflow import display_value
from points.models import Condition, Guide, Point, Precaution, Revision, Routine, Status
from points.revisions import word_diff

register = template.Library()

REVIEWED_MODELS = (Point, Condition, Precaution, Guide, Routine)


def change_url(content_type, object_id):
    return reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[object_id])


@register.inclusion_tag("admin/points/conflict_table.html")
def conflict_table(conflict):
    rows = [
        {"label": label, "diff": word_diff(display_value(saved), display_value(yours))}
        for label, saved, yours in conflict.differences
    ]
    return {"conflict": conflict, "rows": rows}


@register.simple_tag(takes_context=True)
def review_queue(context, limit=25):
    """What awaits the user: for reviewers every pending change and page in review; for editors their own work.

    A fixed number of queries, whatever the number of items.
    """
    user = context["request"].user
    reviewer = any(user.has_perm(f"points.publish_{model._meta.model_name}") for model in REVIEWED_MODELS)
    open_revisions = Revision.objects.filter(state__in=Revision.OPEN_STATES).select_related(
        "content_type", "author", "last_saved_by"
    )
    if not reviewer:
        open_revisions = open_revisions.filter(author=user)
    groups = []
    pending = [r for r in open_revisions[:limit] if r.state == Revision.State.PENDING]
    sent_back = [r for r in open_revisions[:limit] if r.state == Revision.State.SENT_BACK]
    if pending or reviewer:
        groups.append(
            {
                "name": "Changes to live pages awaiting review" if reviewer else "Your changes awaiting review",
                "items": [revision_item(r) for r in pending],
                "empty": "No change is waiting for review.",
            }
        )
    if sent_back:
        groups.append(
            {
                "name": "Sent back to the editor" if reviewer else "Sent back to you",
                "items": [revision_item(r) for r in sent_back],
                "empty": "",
            }
        )
    if reviewer:
        in_review = []
        for model in REVIEWED_MODELS:
            content_type = ContentType.objects.get_for_model(model)
            for obj in model._default_manager.filter(status=Status.REVIEW).order_by("updated_at")[:limit]:
                in_review.append(
                    {
                        "label": f"{model._meta.verbose_name.capitalize()}: {obj}",
                        "url": change_url(content_type, obj.pk),
                        "detail": "new page, submitted for review",
                    }
                )
        groups.append(
            {"name": "New pages submitted for review", "items": in_review, "empty": "No new page is waiting."}
        )
    return groups


def revision_item(revision):
    detail = f"by {revision.author or 'an editor'}, saved {timezone.localtime(revision.updated_at):%d %b %Y %H:%M}"
    if revision.state == Revision.State.SENT_BACK and revision.comment:
        detail += f": “{revision.comment}”"
    url = reverse(
        f"admin:{revision.content_type.app_label}_{revision.content_type.model}_pending", args=[revision.object_id]
    )
    return {"label": f"{revision.content_type.name.capitalize()}: {revision.object_repr}", "url": url, "detail": detail}


@register.simple_tag(takes_context=True)
def overdue_reviews(context, limit=10):
    """Overdue content the user may see, oldest due first; None when they may see no reviewed content at all.

    Two queries per model at most, whatever the number of overdue items.
    """
    user = context["request"].user
    today = timezone.localdate()
    groups, visible = [], False
    for model in REVIEWED_MODELS:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}") and not user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            continue
        visible = True
        overdue = model._default_manager.overdue(today).order_by("next_review_due", "pk")
        items = list(overdue[:limit])
        if not items:
            continue
        total = overdue.count() if len(items) == limit else len(items)
        groups.append(
            {
                "name": opts.verbose_name_plural,
                "list_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?review=overdue",
                "items": [
                    {
                        "label": str(obj),
                        "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                        "due": obj.next_review_due,
                    }
                    for obj in items
                ],
                "more": total - len(items),
            }
        )
    return groups if visible else None
