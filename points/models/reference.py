"""What the pages refer to: the sources they cite, the meridians and the body areas."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from points.addresses import page_url
from points.escaping import format_html
from points.models.base import InvalidatesCache, MarkdownMixin, NaturalKey, NaturalKeyQuerySet, Versioned
from points.notation import MERIDIAN_POINT_COUNTS


def _full_stop(text):
    return "" if text.endswith((".", "?", "!")) else "."


class Source(InvalidatesCache, NaturalKey, Versioned, models.Model):
    class Kind(models.TextChoices):
        STUDY = "study", "Study"
        REVIEW = "review", "Systematic review"
        GUIDELINE = "guideline", "Clinical guideline"
        STANDARD = "standard", "Standard"
        BOOK = "book", "Book"
        WEBSITE = "website", "Health website"
        DATASET = "dataset", "Data set"
        ARTICLE = "article", "Popular article"

    slug = models.SlugField(max_length=60, help_text="Short name used in links and in [[source:slug]] references.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    authors = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    publication = models.CharField(
        max_length=300, blank=True, help_text="Journal with volume and pages, publisher, or website."
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(blank=True)
    doi = models.CharField(max_length=100, blank=True, help_text="Without the https://doi.org/ prefix.")
    note = models.TextField(blank=True, help_text="What the work found or why the site cites it; shown on /sources/.")

    natural_key_fields = ("slug",)
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_source_slug")]
        permissions = [("publish_source", "Can add and publish sources")]

    def __str__(self):
        return self.short_citation

    @property
    def short_citation(self):
        lead = self.authors.split(",")[0].strip() if self.authors else self.title
        if self.authors and ("," in self.authors or "et al" in self.authors):
            lead = f"{lead} et al."
        return f"{lead} ({self.year})" if self.year else lead

    def get_absolute_url(self):
        return f"{page_url('points:source-list')}#{self.slug}"

    @property
    def citation(self):
        """The one citation used everywhere: Authors. Title. Publication (year). doi. A field that
        already ends in a full stop or question mark gets no second one ("et al.", not "et al..")."""
        authors = format_html("{}{} ", self.authors, _full_stop(self.authors)) if self.authors else ""
        year = f" ({self.year})" if self.year and str(self.year) not in self.publication else ""
        return format_html(
            '<cite>{}<a href="{}">{}</a>{}</cite>{}{}.{}',
            authors,
            self.get_absolute_url(),
            self.title,
            _full_stop(self.title),
            f" {self.publication}" if self.publication else "",
            year,
            f" doi:{self.doi}" if self.doi else "",
        )

    def clean(self):
        # Readers follow these links from a health site: only encrypted ones, to the work itself.
        if self.url and not self.url.lower().startswith("https://"):
            raise ValidationError({"url": "Give the https:// address of the work; plain http links are not accepted."})
        if self.doi.lower().startswith(("http", "doi.org")):
            raise ValidationError({"doi": "Write the DOI alone, e.g. 10.1002/14651858.CD013814, without the address."})


class Meridian(InvalidatesCache, MarkdownMixin, NaturalKey, Versioned, models.Model):
    code = models.CharField(
        max_length=2,
        choices=[(code, code) for code in MERIDIAN_POINT_COUNTS],
        help_text="One of the 14 WHO codes: LU, LI, ... GV, CV.",
    )
    name = models.CharField(max_length=60)
    pinyin = models.CharField(max_length=100, blank=True)
    hanzi = models.CharField(max_length=20, blank=True)
    other_names = models.CharField(max_length=300, blank=True, help_text="Other names, separated by commas.")
    order = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    sources = models.ManyToManyField(Source, blank=True, related_name="meridians")

    markdown_fields = ("description",)

    natural_key_fields = ("code",)
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="unique_meridian_code"),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="meridian_code_upper_case"),
        ]
        permissions = [("publish_meridian", "Can add and publish meridians")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("points:meridian-detail", code=self.code.lower())

    @property
    def standard_point_count(self):
        # A row that skipped validation (a raw load, a shell) must not break the meridian pages.
        return MERIDIAN_POINT_COUNTS.get(self.code, 0)


class BodyArea(InvalidatesCache, NaturalKey, Versioned, models.Model):
    """Where on the body a point lies (not what it treats)."""

    slug = models.SlugField(max_length=30)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()

    natural_key_fields = ("slug",)
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_body_area_slug")]
        permissions = [("publish_bodyarea", "Can add and publish body areas")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{page_url('points:point-list')}?area={self.slug}"
