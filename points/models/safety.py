"""Precautions: when not to press, or to press gently, or to see a doctor instead."""

from django.db import models

from points.addresses import page_url
from points.choices import Status
from points.models.base import ContentModel, ContentQuerySet
from points.models.reference import Source


class PrecautionQuerySet(ContentQuerySet):
    """A safety page reads what it links to from points.vocabulary.topic_links()."""


class Precaution(ContentModel):
    class Kind(models.TextChoices):
        AVOID = "avoid", "Avoid completely"
        GENTLE = "gentle", "Press gently only"
        DOCTOR = "doctor", "See a doctor instead"

    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    badge = models.CharField(
        max_length=24, help_text="A few words shown as a badge on point cards, e.g. 'Not in pregnancy'."
    )
    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown in warnings on point and condition pages."
    )
    body = models.TextField(blank=True, help_text="Markdown. Link points as [[BL23]] and sources as [[source:slug]].")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=100)
    related = models.ManyToManyField("self", blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="precautions")

    markdown_fields = ("body",)
    objects = PrecautionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_precaution_slug")]
        permissions = [
            ("publish_precaution", "Can publish precautions"),
            ("review_precaution", "Can mark precautions reviewed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("points:safety-detail", slug=self.slug)

    def unpublish_blockers(self):
        # Warnings come from this row: taking it away would silently drop them from every linked point.
        codes = list(self.point_links.filter(point__status=Status.PUBLISHED).values_list("point__code", flat=True)[:12])
        if not codes:
            return []
        return [
            f"Published points carry this warning ({', '.join(codes)}). Remove the warning from those points "
            "first, or correct the text with an edit instead of taking it off the site."
        ]
