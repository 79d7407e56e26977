"""Routines: a guided sequence of described points, pressed one after another with a timer."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch

from points.addresses import page_url
from points.choices import Status
from points.models.base import ContentModel, ContentQuerySet, InvalidatesCache, NaturalKey, NaturalKeyQuerySet
from points.models.conditions import Condition
from points.models.links import published_precaution_links
from points.models.points import Point
from points.models.reference import Source
from points.wording import format_duration


def routine_steps():
    """Steps on published, described points only, each with its point's published warnings."""
    return (
        RoutineStep.objects.filter(point__status=Status.PUBLISHED, point__described=True)
        .select_related("point__meridian")
        .prefetch_related(Prefetch("point__precaution_links", queryset=published_precaution_links()))
        .order_by("order")
    )


class RoutineQuerySet(ContentQuerySet):
    def for_list(self):
        """The routine list: steps and their warnings come along, for totals and the without= filter."""
        return self.prefetch_related(Prefetch("steps", queryset=routine_steps()))

    def for_detail(self):
        """The routine page: steps, their points and warnings, sources and conditions in five queries."""
        return self.prefetch_related(
            Prefetch("steps", queryset=routine_steps()),
            Prefetch("conditions", queryset=Condition.objects.published().only("slug", "name", "order")),
            "sources",
        )


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
    objects = RoutineQuerySet.as_manager()

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
        return page_url("points:routine-detail", slug=self.slug)

    @property
    def total_seconds(self):
        return sum(step.total_seconds for step in self.steps.all())


class RoutineStep(InvalidatesCache, NaturalKey, models.Model):
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

    natural_key_fields = ("routine__slug", "order")
    objects = NaturalKeyQuerySet.as_manager()

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
