"""Guides: the pages about acupressure itself (the evidence, how to press, measuring in cun), not one point."""

from django.db import models

from points.addresses import page_url
from points.models.base import ContentModel, ContentQuerySet
from points.models.reference import Source


class Guide(ContentModel):
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. Link points as [[BL23]] and sources as [[source:slug]].")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=100)
    sources = models.ManyToManyField(Source, blank=True, related_name="guides")

    markdown_fields = ("body",)
    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_guide_slug")]
        permissions = [
            ("publish_guide", "Can publish guides"),
            ("review_guide", "Can mark guides reviewed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("points:guide-detail", slug=self.slug)
