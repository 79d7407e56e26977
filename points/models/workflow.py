"""The editorial workflow's own rows: pending changes, open change forms, and the content version."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Revision(models.Model):
    """A change to live content, waiting for a reviewer; readers keep the published version meanwhile.

    ``data`` holds the change form as the editor submitted it (the page's fields
    and its inline rows), so preview, comparison and publishing replay it through
    the same admin forms and validation as any save.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        SENT_BACK = "sent-back", "Sent back to the editor"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    OPEN_STATES = (State.PENDING, State.SENT_BACK)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField(help_text="The live edit_version this change was made against.")
    saves = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="revisions_written"
    )
    last_saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comment = models.TextField(blank=True, help_text="The reviewer's comment when the change is sent back.")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=["pending", "sent-back"]),
                name="one_open_revision_per_item",
            )
        ]

    def __str__(self):
        return f"Change to {self.object_repr} ({self.get_state_display().lower()})"

    @property
    def token(self):
        """What a change form carries to say which state of this revision it was loaded from."""
        return f"{self.pk}:{self.saves}"


class OpenEdit(models.Model):
    """Who has a change form open, so a second editor is told before their work collides."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_open_edit_per_user")
        ]

    def __str__(self):
        return f"{self.user} editing {self.content_type.name} {self.object_id}"


class ContentVersion(models.Model):
    """One row whose value changes on every content write. Cached pages and fragments carry the
    value they were made from; it lives in the database so every worker and every server, with
    or without Redis, sees a save made by any process on its next request."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)
