"""Conditions: what readers come with, and the points and precautions their pages list."""

from django.db import models
from django.db.models import Q

from points.addresses import page_url
from points.choices import Status
from points.models.base import ContentModel, ContentQuerySet
from points.models.links import PointCondition
from points.models.reference import Source


class ConditionQuerySet(ContentQuerySet):
    def for_list(self):
        """The conditions list: only those with published points, since one with none leads nowhere."""
        # Ordered here: Django leaves Meta.ordering out of a grouped (annotated) query.
        return (
            self.annotate(
                point_count=models.Count("point_links", filter=Q(point_links__point__status=Status.PUBLISHED))
            )
            .filter(point_count__gt=0)
            .order_by("order", "name")
        )

    def offered(self):
        """Conditions offered to readers as a destination (home, filters): at least one published point."""
        return self.filter(
            models.Exists(
                PointCondition.objects.filter(condition=models.OuterRef("pk"), point__status=Status.PUBLISHED)
            )
        )

    def for_home(self):
        """The home page's conditions: editors choose them with each condition's order (lowest
        first); a condition with no published point is not offered."""
        return self.published().for_list().only("slug", "name", "summary", "order")


class Condition(ContentModel):
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    summary = models.CharField(
        max_length=300, help_text="One plain sentence, shown in lists and as the meta description."
    )
    body = models.TextField(blank=True, help_text="Markdown. Link points as [[BL23]] and sources as [[source:slug]].")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=100)
    sources = models.ManyToManyField(Source, blank=True, related_name="conditions")

    markdown_fields = ("body",)
    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_condition_slug")]
        permissions = [
            ("publish_condition", "Can publish conditions"),
            ("review_condition", "Can mark conditions reviewed"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("points:condition-detail", slug=self.slug)
