"""A queryset method for each page, named for the page; their query counts are pinned in tests."""

from django.db import models
from django.db.models import Prefetch, Q, StringAgg, Value

from points.choices import Status

PUBLISHED = Status.PUBLISHED


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def visible_to(self, user):
        """Staff preview drafts; everyone else sees published content only."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def overdue(self, today):
        return self.filter(next_review_due__lt=today)


def published_precaution_links():
    from points.models import PointPrecaution

    return PointPrecaution.objects.filter(precaution__status=PUBLISHED).select_related("precaution")


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
        """The point page: relations are fetched in a fixed number of queries, whatever the data."""
        from points.models import Alias, PointCondition

        return (
            self.select_related("meridian")
            .annotate(
                area_slugs=StringAgg("areas__slug", delimiter=Value(","), distinct=True, default=Value("")),
                source_slugs=StringAgg("sources__slug", delimiter=Value(","), distinct=True, default=Value("")),
            )
            .prefetch_related(
                Prefetch("aliases", queryset=Alias.objects.order_by("kind", "name")),
                Prefetch(
                    "condition_links",
                    queryset=PointCondition.objects.filter(condition__status=PUBLISHED).select_related(
                        "condition", "source"
                    ),
                ),
                Prefetch("precaution_links", queryset=published_precaution_links()),
            )
        )

    def combinations_of(self, point):
        """Pairs are stored once and shown from both sides."""
        from points.models import Combination

        return (
            Combination.objects.filter(Q(point=point) | Q(partner=point))
            .filter(point__status=PUBLISHED, partner__status=PUBLISHED)
            .select_related("point", "partner", "source")
        )


class ConditionQuerySet(ContentQuerySet):
    def for_list(self):
        """The conditions list: only those with published points, since one with none leads nowhere."""
        # Ordered here: Django leaves Meta.ordering out of a grouped (annotated) query.
        return (
            self.annotate(point_count=models.Count("point_links", filter=Q(point_links__point__status=PUBLISHED)))
            .filter(point_count__gt=0)
            .order_by("order", "name")
        )

    def offered(self):
        """Conditions offered to readers as a destination (home, filters): at least one published point."""
        from points.models import PointCondition

        return self.filter(
            models.Exists(PointCondition.objects.filter(condition=models.OuterRef("pk"), point__status=PUBLISHED))
        )

    def for_home(self):
        """The home page's conditions: editors choose them with each condition's order (lowest
        first); a condition with no published point is not offered."""
        return self.published().for_list().only("slug", "name", "summary", "order")

    def for_detail(self):
        """The condition itself; its points come a page at a time from condition_point_links()."""
        from points.models import ConditionPrecaution

        return self.prefetch_related(
            Prefetch(
                "precaution_links",
                queryset=ConditionPrecaution.objects.filter(precaution__status=PUBLISHED).select_related("precaution"),
            ),
            "sources",
        )


class PrecautionQuerySet(ContentQuerySet):
    def for_detail(self):
        """The precaution itself; its points come a page at a time from precaution_point_links()."""
        return self.prefetch_related(Prefetch("related", queryset=self.model.objects.published()), "sources")


def routine_steps():
    """Steps on published, described points only, each with its point's published warnings."""
    from points.models import RoutineStep

    return (
        RoutineStep.objects.filter(point__status=PUBLISHED, point__described=True)
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
        from points.models import Condition

        return self.prefetch_related(
            Prefetch("steps", queryset=routine_steps()),
            Prefetch("conditions", queryset=Condition.objects.published().only("slug", "name", "order")),
            "sources",
        )


# The columns a point card, a meridian row or a linked-point row shows: the long text
# fields (location, pressing, functions...) stay in the database.
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

LONG_POINT_FIELDS = (
    *(
        f"{name}{suffix}"
        for name in ("location", "finding", "pressing", "functions", "indications", "reconciliation")
        for suffix in ("", "_html")
    ),
    "search_names",
)


def condition_point_links(condition):
    """A condition page's points (paginated by the view), with each point's warnings."""
    from points.models import PointCondition

    return (
        PointCondition.objects.filter(condition=condition, point__status=PUBLISHED)
        .select_related("point", "source")
        .defer(*(f"point__{name}" for name in LONG_POINT_FIELDS))
        .prefetch_related(Prefetch("point__precaution_links", queryset=published_precaution_links()))
        .order_by("-start_here", "order", "point__sort_key", "pk")
    )


def precaution_point_links(precaution):
    """A precaution page's points (paginated by the view)."""
    from points.models import PointPrecaution

    return (
        PointPrecaution.objects.filter(precaution=precaution, point__status=PUBLISHED)
        .select_related("point")
        .defer(*(f"point__{name}" for name in LONG_POINT_FIELDS))
        .order_by("point__sort_key", "pk")
    )
