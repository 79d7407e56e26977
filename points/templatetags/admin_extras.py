"""What the admin index shows beside the model list: content whose review is overdue."""

from django import template
from django.urls import reverse
from django.utils import timezone

from points.models import Condition, Guide, Point, Precaution

register = template.Library()

REVIEWED_MODELS = (Point, Condition, Precaution, Guide)


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
