"""Points, the names they go by, and the queries every page that lists points makes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Upper

from points.addresses import page_url
from points.choices import PointCategory
from points.models.base import ContentModel, ContentQuerySet, InvalidatesCache, NaturalKey, NaturalKeyQuerySet
from points.models.links import published_precaution_links
from points.models.reference import BodyArea, Meridian, Source
from points.notation import MERIDIAN_POINT_COUNTS, normalise_key, point_sort_key

# The columns a point card or a meridian row shows: the long text fields (location,
# pressing, functions...) stay in the database.
CARD_FIELDS = (
    "code",
    "pinyin",
    "pinyin_tones",
    "hanzi_traditional",
    "english_name",
    "summary",
    "described",
    "sort_key",
    "status",
    "meridian",
)


# What a link to a point shows ({% point_link %}), and a source's short citation.
LINK_FIELDS = ("code", "pinyin", "pinyin_tones", "english_name")
CITATION_FIELDS = ("slug", "authors", "title", "year")


class PointQuerySet(ContentQuerySet):
    def described(self):
        return self.filter(described=True)

    def for_list(self):
        """The point list, meridian pages and cards: warnings come with every point."""
        return self.select_related("meridian").prefetch_related(
            Prefetch("precaution_links", queryset=published_precaution_links())
        )

    def for_cards(self, *also):
        """The columns a card shows (and ``also``). Warnings are fetched by the point_cards tag,
        for the cards it has to render, or by with_warnings()."""
        return self.select_related("meridian").only(*CARD_FIELDS, *also, "meridian__code", "meridian__name")

    def with_warnings(self):
        return self.prefetch_related(Prefetch("precaution_links", queryset=published_precaution_links()))

    def for_detail(self):
        """The point page's point; what it links to is read by points.point_page."""
        return self.select_related("meridian")


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

    natural_key_fields = ("code",)
    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key"]
        # Readers' lists are published points in sort_key order: read in that order from the index,
        # a page of them stops after its rows instead of sorting every point first.
        indexes = [models.Index(fields=["status", "sort_key"], name="point_status_sort_key")]
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

    @property
    def slug(self):
        return self.code.lower()

    def get_absolute_url(self):
        return page_url("points:point-detail", code=self.slug)

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
        self.set_sort_key()
        super().save(*args, **kwargs)

    def set_sort_key(self):
        """Meridian order, then number: BL2 before BL10, and the extra points after every meridian."""
        self.sort_key = point_sort_key(self.code, self.meridian.order if self.meridian_id else None, self.number)

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


class Alias(InvalidatesCache, NaturalKey, models.Model):
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

    natural_key_fields = ("point__code", "name")
    objects = NaturalKeyQuerySet.as_manager()

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
