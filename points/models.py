"""The content of the site: points, meridians, conditions, precautions, guides.

Editor-written text is Markdown; each Markdown field has an ``*_html`` twin
rendered and sanitised once, on save (see ``points.markdown``), so pages never
render Markdown per request.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from points import cache as content_cache
from points.markdown import render_markdown
from points.notation import MERIDIAN_POINT_COUNTS, normalise_key
from points.querysets import (
    ConditionQuerySet,
    ContentQuerySet,
    PointQuerySet,
    PrecautionQuerySet,
)

REVIEW_INTERVAL = datetime.timedelta(days=365)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class InvalidatesCache:
    """Every write to content bumps the content version, so no reader gets a stale page."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        content_cache.bump_now_and_on_commit()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_cache.bump_now_and_on_commit()
        return result


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
        removed = {}
        for name in self.markdown_fields:
            result = render_markdown(getattr(self, name))
            setattr(self, f"{name}_html", result.html)
            if result.removed:
                removed[name] = result.removed
        return removed


class Source(InvalidatesCache, models.Model):
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


class MeridianManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Meridian(InvalidatesCache, MarkdownMixin, models.Model):
    code = models.CharField(max_length=2, help_text="WHO code, upper case: LU, LI, ... GV, CV.")
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
        return MERIDIAN_POINT_COUNTS[self.code]


class BodyArea(InvalidatesCache, models.Model):
    """Where on the body a point lies (not what it treats)."""

    slug = models.SlugField(max_length=30)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="unique_body_area_slug")]

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


class ContentModel(InvalidatesCache, MarkdownMixin, models.Model):
    """What every editorial page shares: workflow status, review dates, sources."""

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
    next_review_due = models.DateField(null=True, blank=True, help_text="Leave empty for a year after the last review.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = self.last_reviewed + REVIEW_INTERVAL
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def natural_key(self):
        return (self.slug,)


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
        meridian_order = self.meridian.order if self.meridian_id else 99
        self.sort_key = meridian_order * 1000 + (self.number or 0)
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
    order = models.PositiveSmallIntegerField(default=100)

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


class ContentVersion(models.Model):
    """One row whose value changes on every content write. Cached pages and fragments carry the
    value they were made from; it lives in the database so every worker and every server, with
    or without Redis, sees a save made by any process on its next request."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)
