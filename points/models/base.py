"""What the content models share: cache invalidation, edit versions, natural keys, Markdown and the workflow."""

import datetime
from operator import attrgetter

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from points import cache as content_cache
from points.choices import Status
from points.markdown import render_markdown
from points.notation import parse_code

REVIEW_INTERVAL = datetime.timedelta(days=365)


def review_due_after(day):
    """The one rule for when content must be looked at again."""
    return day + REVIEW_INTERVAL


class InvalidatesCache:
    """Every write to content bumps the content version, so no reader gets a stale page."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        content_cache.bump_now_and_on_commit()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_cache.bump_now_and_on_commit()
        return result


class Versioned(models.Model):
    """Counts the saves of live content, so a form loaded from an older state can be told apart."""

    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class NaturalKeyQuerySet(models.QuerySet):
    """Finds a row by the key fixtures name it with (see ``NaturalKey``)."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.natural_key_fields, key, strict=True)))


class NaturalKey:
    """Fixtures name a row by its ``natural_key_fields`` (lookups such as ``point__code``), never by its id.

    Django's serialisers write the rows a foreign key points to first whenever that model has a natural key,
    so no model needs to list its dependencies.
    """

    natural_key_fields = ()

    def natural_key(self):
        return tuple(attrgetter(field.replace("__", "."))(self) for field in self.natural_key_fields)


class MarkdownMixin:
    """Renders every field named in ``markdown_fields`` into its ``*_html`` twin."""

    markdown_fields = ()

    def render_markdown_fields(self):
        # The admin's form has rendered the text already to check it; the same text is not rendered twice.
        rendered = getattr(self, "_prerendered", {})
        for name in self.markdown_fields:
            text = getattr(self, name)
            if name in rendered and rendered[name][0] == text:
                html = rendered[name][1]
            else:
                html = render_markdown(text, resolve_references).html
            setattr(self, f"{name}_html", html)


def resolve_references(point_refs, source_refs):
    """The link resolver for Markdown: each [[BL23]] or [[source:slug]] to (label, url); unknown ones are left out."""
    # Points and sources render Markdown themselves: their modules import this one, so the registry finds them.
    Point, Source = apps.get_model("points", "Point"), apps.get_model("points", "Source")
    links = {}
    if point_refs:
        wanted = {}
        for ref in point_refs:
            parsed = parse_code(ref)
            wanted[ref] = parsed.code if parsed else ref.upper()
        points = {point.code: point for point in Point.objects.filter(code__in=set(wanted.values()))}
        for ref, code in wanted.items():
            point = points.get(code)
            if point is not None:
                links[("point", ref)] = (f"{point.code} {point.pinyin}", point.get_absolute_url())
    if source_refs:
        for source in Source.objects.filter(slug__in=source_refs):
            links[("source", source.slug)] = (source.short_citation, f"{reverse('points:source-list')}#{source.slug}")
    return links


def sees_drafts(user):
    """Staff preview drafts; everyone else sees published content only."""
    return user.is_authenticated and user.is_staff


class ContentQuerySet(NaturalKeyQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        return self.all() if sees_drafts(user) else self.published()

    def overdue(self, today):
        return self.filter(next_review_due__lt=today)


class ContentModel(InvalidatesCache, MarkdownMixin, NaturalKey, Versioned, models.Model):
    """What every editorial page shares: workflow status, review dates, sources.

    The workflow's rules live here, as methods the admin's forms and actions call:
    submitting, publishing (which records a review), marking reviewed and taking
    a page off the site. Changes to a page that is already published never reach
    these rows until a reviewer publishes them: they wait as a ``Revision``.
    """

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Readers see only published content. Editors submit for review; reviewers publish.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField(
        max_length=150,
        blank=True,
        editable=False,
        help_text="Who reviewed, as readers see it; empty when only the editorial team has checked the page.",
    )
    next_review_due = models.DateField(null=True, blank=True, help_text="Leave empty for a year after the last review.")
    updated_at = models.DateTimeField(auto_now=True)

    natural_key_fields = ("slug",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = review_due_after(self.last_reviewed)
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def submit_for_review(self):
        if self.status == Status.DRAFT:
            self.status = Status.REVIEW

    def mark_reviewed(self, reviewer, day=None, due=None):
        """Reviewed on ``day`` (today) by ``reviewer``; due again after the review interval, or on ``due``."""
        day = day or timezone.localdate()
        self.last_reviewed = day
        self.reviewed_by = reviewer
        # Kept as text so the page still says who reviewed it after the content moves to another database.
        full_name = reviewer.get_full_name() if reviewer else ""
        self.reviewer_name = f"{full_name}, an acusite reviewer" if full_name else "an acusite reviewer"
        self.next_review_due = due or review_due_after(day)

    def publish(self, reviewer, day=None):
        """Publishing is a review: the page's "last reviewed" then refers to the text it shows."""
        self.status = Status.PUBLISHED
        self.mark_reviewed(reviewer, day)

    def return_to_review(self):
        """A live page brought back by someone who may not publish waits for a reviewer."""
        if self.status == Status.PUBLISHED:
            self.status = Status.REVIEW

    def unpublish_blockers(self):
        """Reasons this page may not leave the site now; none by default."""
        return []

    def unpublish(self):
        blockers = self.unpublish_blockers()
        if blockers:
            raise ValidationError(blockers)
        self.status = Status.DRAFT
