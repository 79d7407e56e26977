"""The content of the site: points, meridians, conditions, precautions, guides.

Editor-written text is Markdown; each Markdown field has an ``*_html`` twin
rendered and sanitised once, on save (see ``points.markdown``), so pages never
render Markdown per request.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from points import cache as content_cache
from points.choices import Status
from points.markdown import render_markdown
from points.notation import MERIDIAN_POINT_COUNTS, normalise_key, parse_code, point_sort_key
from points.querysets import (
    ConditionQuerySet,
    ContentQuerySet,
    PointQuerySet,
    PrecautionQuerySet,
    RoutineQuerySet,
)
from points.wording import format_duration

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


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ContentManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ConditionManager(models.Manager.from_queryset(ConditionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PrecautionManager(models.Manager.from_queryset(PrecautionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PointManager(models.Manager.from_queryset(PointQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


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


class Source(InvalidatesCache, Versioned, models.Model):
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

    objects = SlugManager()

    class Meta:
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_source_slug")]
        permissions = [("publish_source", "Can add and publish sources")]

    def __str__(self):
        return self.short_citation

    def natural_key(self):
        return (self.slug,)

    @property
    def short_citation(self):
        lead = self.authors.split(",")[0].strip() if self.authors else self.title
        if self.authors and ("," in self.authors or "et al" in self.authors):
            lead = f"{lead} et al."
        return f"{lead} ({self.year})" if self.year else lead

    def get_absolute_url(self):
        return f"{reverse('points:source-list')}#{self.slug}"

    def clean(self):
        # Readers follow these links from a health site: only encrypted ones, to the work itself.
        if self.url and not self.url.lower().startswith("https://"):
            raise ValidationError({"url": "Give the https:// address of the work; plain http links are not accepted."})
        if self.doi.lower().startswith(("http", "doi.org")):
            raise ValidationError({"doi": "Write the DOI alone, e.g. 10.1002/14651858.CD013814, without the address."})


class MeridianManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Meridian(InvalidatesCache, MarkdownMixin, Versioned, models.Model):
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

    objects = MeridianManager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="unique_meridian_code"),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="meridian_code_upper_case"),
        ]
        permissions = [("publish_meridian", "Can add and publish meridians")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("points:meridian-detail", kwargs={"code": self.code.lower()})

    @property
    def standard_point_count(self):
        # A row that skipped validation (a raw load, a shell) must not break the meridian pages.
        return MERIDIAN_POINT_COUNTS.get(self.code, 0)


class BodyArea(InvalidatesCache, Versioned, models.Model):
    """Where on the body a point lies (not what it treats)."""

    slug = models.SlugField(max_length=30)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_body_area_slug")]
        permissions = [("publish_bodyarea", "Can add and publish body areas")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return f"{reverse('points:point-list')}?area={self.slug}"


class PointCategory(models.TextChoices):
    YUAN_SOURCE = "yuan-source", "Yuan-Source point"
    LUO_CONNECTING = "luo-connecting", "Luo-Connecting point"
    XI_CLEFT = "xi-cleft", "Xi-Cleft point"
    JING_WELL = "jing-well", "Jing-Well point"
    YING_SPRING = "ying-spring", "Ying-Spring point"
    SHU_STREAM = "shu-stream", "Shu-Stream point"
    JING_RIVER = "jing-river", "Jing-River point"
    HE_SEA = "he-sea", "He-Sea point"
    LOWER_HE_SEA = "lower-he-sea", "Lower He-Sea point"
    BACK_SHU = "back-shu", "Back-Shu point"
    FRONT_MU = "front-mu", "Front-Mu point"
    CONFLUENT = "confluent", "Confluent point of an extraordinary vessel"
    INFLUENTIAL = "influential", "Influential (Hui-Meeting) point"
    CROSSING = "crossing", "Crossing point"
    COMMAND = "command", "Command point"
    WINDOW_OF_SKY = "window-of-sky", "Window of the Sky point"
    GHOST_POINT = "ghost-point", "Ghost point"


class Basis(models.TextChoices):
    """What kind of claim a condition link or a combination is; readers see the label."""

    CLASSICAL = "classical", "a classical use (standard texts)"
    TESTED = "tested", "tested in a trial or review"
    POPULAR = "popular", "popular self-help advice, not found in standard texts"


class ContentModel(InvalidatesCache, MarkdownMixin, Versioned, models.Model):
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

    def natural_key(self):
        return (self.slug,)

    def submit_for_review(self):
        if self.status == Status.DRAFT:
            self.status = Status.REVIEW

    def mark_reviewed(self, reviewer, day=None):
        day = day or timezone.localdate()
        self.last_reviewed = day
        self.reviewed_by = reviewer
        # Kept as text so the page still says who reviewed it after the content moves to another database.
        full_name = reviewer.get_full_name() if reviewer else ""
        self.reviewer_name = f"{full_name}, an acusite reviewer" if full_name else "an acusite reviewer"
        self.next_review_due = review_due_after(day)

    def publish(self, reviewer, day=None):
        """Publishing is a review: the page's "last reviewed" then refers to the text it shows."""
        self.status = Status.PUBLISHED
        self.mark_reviewed(reviewer, day)

    def unpublish_blockers(self):
        """Reasons this page may not leave the site now; none by default."""
        return []

    def unpublish(self):
        blockers = self.unpublish_blockers()
        if blockers:
            raise ValidationError(blockers)
        self.status = Status.DRAFT


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
    objects = ConditionManager()

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
        return reverse("points:condition-detail", kwargs={"slug": self.slug})


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
    objects = PrecautionManager()

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
        return reverse("points:safety-detail", kwargs={"slug": self.slug})

    def unpublish_blockers(self):
        # Warnings come from this row: taking it away would silently drop them from every linked point.
        codes = list(self.point_links.filter(point__status=Status.PUBLISHED).values_list("point__code", flat=True)[:12])
        if not codes:
            return []
        return [
            f"Published points carry this warning ({', '.join(codes)}). Remove the warning from those points "
            "first, or correct the text with an edit instead of taking it off the site."
        ]


class Guide(ContentModel):
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. Link points as [[BL23]] and sources as [[source:slug]].")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=100)
    sources = models.ManyToManyField(Source, blank=True, related_name="guides")

    markdown_fields = ("body",)
    objects = ContentManager()

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
        return reverse("points:guide-detail", kwargs={"slug": self.slug})


class Point(ContentModel):
    class FigureView(models.TextChoices):
        FRONT = "front", "Body, front"
        BACK = "back", "Body, back"
        SIDE = "side", "Body, side"
        HEAD = "head", "Head and neck"
        HAND = "hand", "Hand"
        FOOT = "foot", "Foot"
        EAR = "ear", "Ear"
        # Regional views (issue 13): where the whole body is too small to show the way.
        WRIST = "wrist", "Wrist, palm side"
        ANKLE = "ankle", "Inner ankle and shin"
        KNEE = "knee", "Side of the knee"
        NECK = "neck", "Back of the neck"

    code = models.CharField(max_length=12, help_text="WHO code in upper case: LI4, BL52, GV26. Ear points: MA-TF1.")
    meridian = models.ForeignKey(
        Meridian,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text="Empty only for points outside the 14 meridians, such as ear points.",
    )
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    sort_key = models.PositiveIntegerField(default=0, editable=False, db_index=True)
    pinyin = models.CharField(max_length=60, help_text="WHO pinyin without tone marks, e.g. Hegu.")
    pinyin_tones = models.CharField(max_length=60, blank=True, help_text="With tone marks, e.g. Hégǔ.")
    hanzi_traditional = models.CharField("Chinese (traditional)", max_length=20)
    hanzi_simplified = models.CharField("Chinese (simplified)", max_length=20, blank=True)
    english_name = models.CharField(max_length=120, help_text="The main English name; add others as aliases.")
    summary = models.CharField(
        max_length=300, blank=True, help_text="One plain sentence for cards and the meta description."
    )
    described = models.BooleanField(
        default=False,
        help_text="Tick only when every section is written and checked. Points not described are listed in "
        "the index and marked as not yet described.",
    )
    categories = models.JSONField(default=list, blank=True, help_text="Point categories (Yuan-Source, Back-Shu, ...).")
    category_notes = models.CharField(
        max_length=300, blank=True, help_text="Organ-specific detail, e.g. Back-Shu point of the Kidney."
    )
    location = models.TextField(blank=True, help_text="Markdown. The WHO standard location in cun.")
    location_html = models.TextField(blank=True, editable=False)
    finding = models.TextField(
        blank=True, help_text="Markdown. How to find it on yourself: finger widths and landmarks."
    )
    finding_html = models.TextField(blank=True, editable=False)
    pressing = models.TextField(blank=True, help_text="Markdown. Position, pressure, motion, duration.")
    pressing_html = models.TextField(blank=True, editable=False)
    functions = models.TextField(blank=True, help_text="Markdown. Traditional functions, with their source.")
    functions_html = models.TextField(blank=True, editable=False)
    indications = models.TextField(blank=True, help_text="Markdown. Traditional indications, with their source.")
    indications_html = models.TextField(blank=True, editable=False)
    reconciliation = models.TextField(
        blank=True, help_text="Markdown. Where popular sources disagree with the standard and what this site follows."
    )
    reconciliation_html = models.TextField(blank=True, editable=False)
    areas = models.ManyToManyField(BodyArea, blank=True, related_name="points", help_text="Where the point lies.")
    figure_view = models.CharField(max_length=5, choices=FigureView.choices, blank=True)
    figure_x = models.FloatField(null=True, blank=True, help_text="Horizontal position on the figure (0-200).")
    figure_y = models.FloatField(
        null=True, blank=True, help_text="Vertical position on the figure (0-400 for the body, 0-200 for details)."
    )
    search_names = models.TextField(blank=True, editable=False, help_text="Normalised names and aliases, for search.")
    sources = models.ManyToManyField(Source, blank=True, related_name="points")

    # Pictures (issue 13): which side or sides a marker shows.
    MIDLINE_MERIDIANS = ("GV", "CV")
    MIRRORED_VIEWS = ("front", "back", "neck")

    @property
    def is_midline(self):
        """GV and CV points, and any point drawn on the midline of a front or back view, are single points."""
        if self.meridian_id and self.code[:2] in self.MIDLINE_MERIDIANS:
            return True
        return self.figure_view in self.MIRRORED_VIEWS and self.figure_x == 100

    @property
    def figure_full_viewbox(self):
        return "0 0 200 400" if self.figure_view in ("front", "back", "side") else "0 0 200 200"

    @property
    def figure_viewbox(self):
        """The part of the figure shown: the half of a whole-body view that holds the marker, so it is not too small."""
        if self.figure_view not in ("front", "back", "side"):
            return "0 0 200 200"
        if self.figure_y is not None and self.figure_y > 230:
            return "0 180 200 220"
        return "0 20 200 220"

    @property
    def mirrored_x(self):
        """The same point on the other side of the body, for views that show both sides; None otherwise."""
        if self.figure_view not in self.MIRRORED_VIEWS or self.figure_x is None or self.is_midline:
            return None
        return 200 - self.figure_x

    markdown_fields = ("location", "finding", "pressing", "functions", "indications", "reconciliation")
    required_for_described = ("summary", "location", "finding", "pressing", "functions", "indications")

    objects = PointManager()

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="unique_point_code"),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="point_code_upper_case"),
            models.UniqueConstraint(fields=["meridian", "number"], name="unique_point_meridian_number"),
        ]
        permissions = [
            ("publish_point", "Can publish points"),
            ("review_point", "Can mark points reviewed"),
        ]

    def __str__(self):
        return f"{self.code} {self.pinyin}"

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = ["points.meridian"]

    @property
    def slug(self):
        return self.code.lower()

    def get_absolute_url(self):
        return reverse("points:point-detail", kwargs={"code": self.slug})

    @property
    def display_pinyin(self):
        return self.pinyin_tones or self.pinyin

    @property
    def category_labels(self):
        labels = dict(PointCategory.choices)
        return [labels.get(slug, slug) for slug in self.categories]

    def clean(self):
        errors = {}
        if self.meridian_id:
            expected = f"{self.meridian.code}{self.number}" if self.number else None
            if not self.number:
                errors["number"] = "A meridian point needs its number on the meridian."
            elif self.number > MERIDIAN_POINT_COUNTS[self.meridian.code]:
                errors["number"] = (
                    f"The {self.meridian.name} meridian has {MERIDIAN_POINT_COUNTS[self.meridian.code]} points; "
                    f"{self.number} is not one of them."
                )
            elif self.code != expected:
                errors["code"] = f"The code must match the meridian and number: {expected}, not {self.code}."
        elif self.number:
            errors["meridian"] = "A numbered point needs its meridian."
        if self.figure_view and (self.figure_x is None or self.figure_y is None):
            errors["figure_view"] = "A picture needs the marker's position: fill in both coordinates, or no view."
        if self.figure_x is not None and not 0 <= self.figure_x <= 200:
            errors["figure_x"] = "The horizontal position runs from 0 (left edge) to 200 (right edge)."
        height = 400 if self.figure_view in ("front", "back", "side") else 200
        if self.figure_y is not None and not 0 <= self.figure_y <= height:
            errors["figure_y"] = f"On this view the vertical position runs from 0 (top) to {height} (bottom)."
        if self.described:
            missing = [
                self._meta.get_field(name).verbose_name
                for name in self.required_for_described
                if not getattr(self, name).strip()
            ]
            if missing:
                errors["described"] = "A described point needs every section; still empty: " + ", ".join(missing) + "."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        self.sort_key = point_sort_key(self.code, self.meridian.order if self.meridian_id else None, self.number)
        super().save(*args, **kwargs)

    def refresh_search_names(self, aliases=None):
        """Store every name the point goes by, normalised, so search is one indexed query."""
        names = [
            self.code,
            self.pinyin,
            self.pinyin_tones,
            self.english_name,
            self.hanzi_traditional,
            self.hanzi_simplified,
        ]
        aliases = self.aliases.all() if aliases is None else aliases
        names += [alias.name for alias in aliases]
        keys = sorted({normalise_key(name) for name in names if name})
        # Padded with spaces so " key " matches one whole name.
        self.search_names = f" {' '.join(keys)} "
        Point.objects.filter(pk=self.pk).update(search_names=self.search_names)


class AliasManager(models.Manager):
    def get_by_natural_key(self, code, name):
        return self.get(point__code=code, name=name)


class Alias(InvalidatesCache, models.Model):
    class Kind(models.TextChoices):
        NOTATION = "notation", "Code in another notation"
        OLD_BLADDER = "old-bladder", "Older Bladder numbering"
        PINYIN = "pinyin", "Pinyin"
        HANZI = "hanzi", "Chinese characters"
        ENGLISH = "english", "English name"
        DESCRIPTIVE = "descriptive", "Descriptive name"
        MISPRINT = "misprint", "Known misprint"

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100, help_text="As readers write it: He Gu, 合谷, Heaven's Pillar, L14.")
    key = models.CharField(max_length=100, editable=False, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Shown to readers, e.g. where the name comes from.")
    shared = models.BooleanField(
        default=False,
        help_text="Tick when this name really belongs to more than one point; readers then choose between them.",
    )

    objects = AliasManager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            # Alias.clean words a clash for the editor, naming the other point;
            # these messages state the rule for anything that skips clean().
            models.UniqueConstraint(
                fields=["point", "key"],
                name="unique_alias_per_point",
                violation_error_message="A point can have each alias only once; names that differ only in case, "
                "tone marks, spaces or punctuation count as the same.",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(shared=False),
                name="unique_unshared_alias",
                violation_error_message="An alias belongs to one point unless it is marked shared on every point "
                "that has it.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.point.code, self.name)

    natural_key.dependencies = ["points.point"]

    def clean(self):
        self.key = normalise_key(self.name)
        if not self.key:
            raise ValidationError({"name": "An alias needs at least one letter, digit or character."})
        clashes = Alias.objects.filter(key=self.key).exclude(pk=self.pk).exclude(point_id=self.point_id)
        if self.shared:
            clashes = clashes.filter(shared=False)
        clash = clashes.select_related("point").first()
        if clash:
            raise ValidationError(
                {
                    "name": f"“{self.name}” is already an alias of {clash.point.code}. Tick “shared” on both "
                    "if the name really belongs to both points."
                }
            )
        code_clash = Point.objects.filter(code__iexact=self.name.strip()).exclude(pk=self.point_id).first()
        if code_clash:
            raise ValidationError(
                {"name": f"“{self.name}” is the code of {code_clash.code}; it cannot be an alias of another point."}
            )

    def save(self, *args, **kwargs):
        self.key = normalise_key(self.name)
        super().save(*args, **kwargs)
        self.point.refresh_search_names()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.point.refresh_search_names()
        return result


class PointConditionManager(models.Manager):
    def get_by_natural_key(self, code, slug):
        return self.get(point__code=code, condition__slug=slug)


class PointCondition(InvalidatesCache, models.Model):
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="condition_links")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="point_links")
    note = models.CharField(max_length=300, help_text="Why the point is used for this condition, in one sentence.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="condition_links",
        help_text="Who says the point is used for this condition.",
    )
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        help_text="Classical: cite a standard text (Deadman, WHO). Tested: cite the study or review. "
        "Popular: cite the popular source, and say in the note that it is popular advice.",
    )
    order = models.PositiveSmallIntegerField(default=100)
    # Condition pages (issue 13): the short list a reader should try first.
    start_here = models.BooleanField(
        "start with this",
        default=False,
        help_text="Tick for the two to four points a reader should try first; the note says why. "
        "They are listed first on the condition page, in the order given.",
    )

    objects = PointConditionManager()

    class Meta:
        ordering = ["order", "point__sort_key"]
        constraints = [models.UniqueConstraint(fields=["point", "condition"], name="unique_point_condition")]

    def __str__(self):
        return f"{self.point.code} for {self.condition.name}"

    def natural_key(self):
        return (self.point.code, self.condition.slug)

    natural_key.dependencies = ["points.point", "points.condition"]


class CombinationManager(models.Manager):
    def get_by_natural_key(self, code, partner_code):
        return self.get(point__code=code, partner__code=partner_code)


class Combination(InvalidatesCache, models.Model):
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="combination_links")
    partner = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="partner_links")
    note = models.CharField(max_length=300, help_text="What the pair is used for, in one sentence.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="combinations")
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        help_text="Classical: cite a standard text (Deadman, WHO). Tested: cite the study or review. "
        "Popular: cite the popular source, and say in the note that it is popular advice.",
    )

    objects = CombinationManager()

    class Meta:
        ordering = ["point__sort_key", "partner__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["point", "partner"], name="unique_combination"),
            models.CheckConstraint(
                condition=~Q(point=models.F("partner")),
                name="combination_not_with_itself",
                violation_error_message="A point cannot be combined with itself; choose another partner.",
            ),
        ]

    def __str__(self):
        return f"{self.point.code} with {self.partner.code}"

    def natural_key(self):
        return (self.point.code, self.partner.code)

    natural_key.dependencies = ["points.point"]

    def other(self, point):
        return self.partner if point.pk == self.point_id else self.point


class PointPrecautionManager(models.Manager):
    def get_by_natural_key(self, code, slug):
        return self.get(point__code=code, precaution__slug=slug)


class PointPrecaution(InvalidatesCache, models.Model):
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="precaution_links")
    precaution = models.ForeignKey(Precaution, on_delete=models.CASCADE, related_name="point_links")
    note = models.CharField(max_length=300, help_text="Why this precaution applies to this point, in one sentence.")

    objects = PointPrecautionManager()

    class Meta:
        ordering = ["precaution__order", "point__sort_key"]
        constraints = [models.UniqueConstraint(fields=["point", "precaution"], name="unique_point_precaution")]

    def __str__(self):
        return f"{self.precaution.title}: {self.point.code}"

    def natural_key(self):
        return (self.point.code, self.precaution.slug)

    natural_key.dependencies = ["points.point", "points.precaution"]


class ConditionPrecautionManager(models.Manager):
    def get_by_natural_key(self, condition_slug, precaution_slug):
        return self.get(condition__slug=condition_slug, precaution__slug=precaution_slug)


class ConditionPrecaution(InvalidatesCache, models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="precaution_links")
    precaution = models.ForeignKey(Precaution, on_delete=models.CASCADE, related_name="condition_links")
    note = models.CharField(max_length=300, help_text="Why this precaution matters for this condition.")

    objects = ConditionPrecautionManager()

    class Meta:
        ordering = ["precaution__order", "condition__order"]
        constraints = [models.UniqueConstraint(fields=["condition", "precaution"], name="unique_condition_precaution")]

    def __str__(self):
        return f"{self.precaution.title}: {self.condition.name}"

    def natural_key(self):
        return (self.condition.slug, self.precaution.slug)

    natural_key.dependencies = ["points.condition", "points.precaution"]


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


class RoutineManager(models.Manager.from_queryset(RoutineQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Routine(ContentModel):
    """A guided sequence of described points, pressed one after another with a timer."""

    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    for_whom = models.CharField(
        "who it is for",
        max_length=300,
        help_text="One plain sentence: who the routine suits and when, e.g. 'For a stiff lower back after sitting'.",
    )
    summary = models.CharField(max_length=300, help_text="One plain sentence, shown in lists and as the description.")
    body = models.TextField(
        blank=True,
        help_text="Markdown, shown before the steps: why these points, and where the advice comes from. "
        "Link points as [[BL23]] and sources as [[source:slug]].",
    )
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=100)
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="routines", help_text="The condition pages that offer this routine."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="routines")

    markdown_fields = ("body",)
    objects = RoutineManager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_routine_slug")]
        permissions = [
            ("publish_routine", "Can publish routines"),
            ("review_routine", "Can mark routines reviewed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("points:routine-detail", kwargs={"slug": self.slug})

    @property
    def total_seconds(self):
        return sum(step.total_seconds for step in self.steps.all())


class RoutineStepManager(models.Manager):
    def get_by_natural_key(self, routine_slug, order):
        return self.get(routine__slug=routine_slug, order=order)


class RoutineStep(InvalidatesCache, models.Model):
    class Side(models.TextChoices):
        BOTH = "both", "Both sides, one after the other"
        LEFT = "left", "Left side only"
        RIGHT = "right", "Right side only"
        MIDLINE = "midline", "Midline (one point in the middle)"

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(help_text="Steps run from the lowest number up.")
    point = models.ForeignKey(
        Point, on_delete=models.PROTECT, related_name="routine_steps", help_text="Only described points can be used."
    )
    side = models.CharField(max_length=7, choices=Side.choices, default=Side.BOTH)
    seconds = models.PositiveSmallIntegerField(
        "seconds per side",
        validators=[MinValueValidator(5), MaxValueValidator(600)],
        help_text="How long to hold each side. Both sides count twice in the routine's total.",
    )
    repeats = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many times to do this step; 1 unless the step should be done again straight away.",
    )
    instruction = models.TextField(
        max_length=600,
        help_text="What to do in this step, in plain words: where to put which finger, how hard, how to breathe.",
    )

    objects = RoutineStepManager()

    class Meta:
        ordering = ["routine", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "order"],
                name="unique_routine_step_order",
                violation_error_message="Two steps of a routine cannot share a number; give each step its own.",
            )
        ]

    def __str__(self):
        return f"{self.routine.title}, step {self.order}: {self.point.code}"

    def natural_key(self):
        return (self.routine.slug, self.order)

    natural_key.dependencies = ["points.routine", "points.point"]

    @property
    def sides(self):
        """The sides pressed in turn: two for a bilateral point, else one."""
        if self.side == self.Side.BOTH:
            return [self.Side.LEFT, self.Side.RIGHT]
        return [self.side]

    @property
    def total_seconds(self):
        return self.seconds * len(self.sides) * self.repeats

    @property
    def duration_display(self):
        """How long, in the words a reader follows: '45 seconds each side, left then right (1 min 30 s)'."""
        each = format_duration(self.seconds)
        text = {
            self.Side.BOTH: f"{each} each side, left then right",
            self.Side.LEFT: f"{each}, left side only",
            self.Side.RIGHT: f"{each}, right side only",
            self.Side.MIDLINE: f"{each}, on the midline",
        }[self.side]
        if self.repeats > 1:
            text += f", {self.repeats} times"
        if self.total_seconds != self.seconds:
            text += f" ({format_duration(self.total_seconds)} in all)"
        return text

    def clean(self):
        if self.point_id and not self.point.described:
            raise ValidationError(
                {
                    "point": f"{self.point.code} is not described yet, so a routine cannot use it: readers would "
                    "have no page telling them where it is, how to press it and when not to. Choose a described "
                    f"point, or describe {self.point.code} first."
                }
            )


class ContentVersion(models.Model):
    """One row whose value changes on every content write. Cached pages and fragments carry the
    value they were made from; it lives in the database so every worker and every server, with
    or without Redis, sees a save made by any process on its next request."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)


def resolve_references(point_refs, source_refs):
    """The link resolver for Markdown: each [[BL23]] or [[source:slug]] to (label, url); unknown ones are left out."""
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
