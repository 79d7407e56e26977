"""The links between pages: which points a condition uses, which pairs work together, where a warning applies.

Each link names its point, condition or precaution as a string: those models' querysets
fetch these links, so they import this module, not the other way round.
"""

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.text import capfirst

from points.choices import Basis, Status
from points.escaping import format_html
from points.models.base import InvalidatesCache, NaturalKey, NaturalKeyQuerySet
from points.models.reference import Source

# What a linked-point row leaves in the database: the long text fields (location, pressing, functions...).
LONG_POINT_FIELDS = (
    *(
        f"{name}{suffix}"
        for name in ("location", "finding", "pressing", "functions", "indications", "reconciliation")
        for suffix in ("", "_html")
    ),
    "search_names",
)


# get_basis_display() rebuilds the choices' dict on every call; a page writes a dozen notes.
BASIS_LABELS = {value: capfirst(label) for value, label in Basis.choices}


class SourcedNote:
    """A link whose note is a claim: it says what kind of claim it is and where it comes from."""

    @property
    def attributed_note(self):
        """The note, its basis (classical, tested, popular) and its source, written the same way on every page."""
        return format_html(
            '{} <span class="basis basis-{}">{}.</span> <span class="source-ref">(Source: <a href="{}">{}</a>)</span>',
            self.note,
            self.basis,
            BASIS_LABELS.get(self.basis, self.basis),
            self.source.get_absolute_url(),
            self.source.short_citation,
        )


class PointCondition(SourcedNote, InvalidatesCache, NaturalKey, models.Model):
    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="condition_links")
    condition = models.ForeignKey("Condition", on_delete=models.CASCADE, related_name="point_links")
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

    natural_key_fields = ("point__code", "condition__slug")
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "point__sort_key"]
        constraints = [models.UniqueConstraint(fields=["point", "condition"], name="unique_point_condition")]

    def __str__(self):
        return f"{self.point.code} for {self.condition.name}"


def condition_point_links(condition):
    """A condition page's points (paginated by the view), with each point's warnings."""
    return (
        PointCondition.objects.filter(condition=condition, point__status=Status.PUBLISHED)
        .select_related("point", "source")
        .defer(*(f"point__{name}" for name in LONG_POINT_FIELDS))
        .prefetch_related(Prefetch("point__precaution_links", queryset=published_precaution_links()))
        .order_by("-start_here", "order", "point__sort_key", "pk")
    )


class Combination(SourcedNote, InvalidatesCache, NaturalKey, models.Model):
    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="combination_links")
    partner = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="partner_links")
    note = models.CharField(max_length=300, help_text="What the pair is used for, in one sentence.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="combinations")
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        help_text="Classical: cite a standard text (Deadman, WHO). Tested: cite the study or review. "
        "Popular: cite the popular source, and say in the note that it is popular advice.",
    )

    natural_key_fields = ("point__code", "partner__code")
    objects = NaturalKeyQuerySet.as_manager()

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

    def other(self, point):
        return self.partner if point.pk == self.point_id else self.point


def published_precaution_links():
    return PointPrecaution.objects.filter(precaution__status=Status.PUBLISHED).select_related("precaution")


class PointPrecaution(InvalidatesCache, NaturalKey, models.Model):
    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="precaution_links")
    precaution = models.ForeignKey("Precaution", on_delete=models.CASCADE, related_name="point_links")
    note = models.CharField(max_length=300, help_text="Why this precaution applies to this point, in one sentence.")

    natural_key_fields = ("point__code", "precaution__slug")
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["precaution__order", "point__sort_key"]
        constraints = [models.UniqueConstraint(fields=["point", "precaution"], name="unique_point_precaution")]

    def __str__(self):
        return f"{self.precaution.title}: {self.point.code}"


def precaution_point_links(precaution):
    """A precaution page's points (paginated by the view)."""
    return (
        PointPrecaution.objects.filter(precaution=precaution, point__status=Status.PUBLISHED)
        .select_related("point")
        .defer(*(f"point__{name}" for name in LONG_POINT_FIELDS))
        .order_by("point__sort_key", "pk")
    )


class ConditionPrecaution(InvalidatesCache, NaturalKey, models.Model):
    condition = models.ForeignKey("Condition", on_delete=models.CASCADE, related_name="precaution_links")
    precaution = models.ForeignKey("Precaution", on_delete=models.CASCADE, related_name="condition_links")
    note = models.CharField(max_length=300, help_text="Why this precaution matters for this condition.")

    natural_key_fields = ("condition__slug", "precaution__slug")
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["precaution__order", "condition__order"]
        constraints = [models.UniqueConstraint(fields=["condition", "precaution"], name="unique_condition_precaution")]

    def __str__(self):
        return f"{self.precaution.title}: {self.condition.name}"
