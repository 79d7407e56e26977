"""Small, slow-changing lists every page needs (areas, meridians, conditions,
precautions, sources), read once per content version instead of once per page."""

from dataclasses import dataclass

from django.db.models import Count, Q

from points import cache as content_cache
from points.choices import Status
from points.models import (
    BodyArea,
    Condition,
    ConditionPrecaution,
    Meridian,
    Point,
    PointCondition,
    PointPrecaution,
    Precaution,
    Source,
)
from points.safety_levels import listing_order


@dataclass(frozen=True)
class Vocabulary:
    areas: list
    meridians: list
    conditions: list
    precautions: list
    # By id: the rows of a point's page name their source, condition and warning from here.
    sources: dict
    # Slugs of the precautions linked to at least one published point: the only ones the
    # point list offers to hide (hiding by any other would hide nothing).
    linked_precautions: frozenset = frozenset()
    # Every published condition, (slug, name): a bookmarked ?condition= keeps working even
    # while a condition has no points, though the form offers only ``conditions``.
    all_conditions: tuple = ()
    published_conditions: dict = None
    published_precautions: dict = None

    def areas_for(self, ids):
        wanted = set(ids)
        return [area for area in self.areas if area.pk in wanted]

    def area_ids(self, slugs):
        wanted = set(slugs)
        return [area.pk for area in self.areas if area.slug in wanted]

    def condition_id(self, slug):
        return next((pk for pk, condition in self.published_conditions.items() if condition.slug == slug), None)

    def precaution_id(self, slug):
        return next((pk for pk, precaution in self.published_precautions.items() if precaution.slug == slug), None)

    def sources_for(self, ids):
        return sorted((self.sources[pk] for pk in ids if pk in self.sources), key=lambda source: source.slug)


def get_vocabulary():
    def build():
        published = list(Condition.objects.published().only("slug", "name"))
        precautions = list(Precaution.objects.published().only("slug", "title", "kind", "badge", "summary", "order"))
        return Vocabulary(
            areas=list(BodyArea.objects.all()),
            meridians=list(Meridian.objects.all()),
            # Only conditions a reader can go somewhere from: at least one published point (issue 13).
            conditions=list(Condition.objects.published().offered().only("slug", "name", "summary", "order")),
            precautions=precautions,
            sources={source.pk: source for source in Source.objects.all()},
            all_conditions=tuple((condition.slug, condition.name) for condition in published),
            published_conditions={condition.pk: condition for condition in published},
            published_precautions={precaution.pk: precaution for precaution in precautions},
            linked_precautions=frozenset(
                PointPrecaution.objects.filter(point__status=Status.PUBLISHED, precaution__status=Status.PUBLISHED)
                .values_list("precaution__slug", flat=True)
                .distinct()
            ),
        )

    return content_cache.per_version("vocabulary", build)


def described_points_by_area():
    """{area slug: [(sort_key, point id), ...]} of the described, published points, in sort order.

    A point page's nearby points come from here, so their cost does not depend on how many points
    share an area: one query per content version, then a lookup by id."""

    def build():
        index = {}
        rows = (
            Point.areas.through.objects.filter(point__status=Status.PUBLISHED, point__described=True)
            .order_by("point__sort_key")
            .values_list("bodyarea__slug", "point__sort_key", "point_id")
        )
        for slug, sort_key, pk in rows:
            index.setdefault(slug, []).append((sort_key, pk))
        return index

    return content_cache.per_version("described-points-by-area", build)


@dataclass(frozen=True)
class TopicLinks:
    """What condition, safety and meridian pages link to, by id, as plain ids and notes, and how
    many points each of those pages and the unfiltered point list has."""

    condition_sources: dict
    # (precaution id, note), in the safety pages' order.
    condition_precautions: dict
    precaution_sources: dict
    related_precautions: dict
    # How many published points each page lists: its pagination needs no count query.
    condition_points: dict
    precaution_points: dict
    meridian_points: dict
    # The unfiltered point list's size: {"all": published points, "described": those described}.
    listed_points: dict


def grouped(rows):
    """{owner: (value, ...)} from (owner, value) rows, or {owner: ((values...), ...)} from wider ones,
    in the rows' order: the shape of every per-version index of links."""
    index = {}
    for owner, *row in rows:
        index.setdefault(owner, []).append(row[0] if len(row) == 1 else tuple(row))
    return {owner: tuple(values) for owner, values in index.items()}


def topic_links():
    """One pass over the link tables of conditions, precautions and meridians per content version,
    so their pages read only the page's own row."""

    def build():
        def counts(rows, owner):
            return dict(rows.order_by().values_list(owner).annotate(count=Count("pk")))

        published = Q(point__status=Status.PUBLISHED)
        return TopicLinks(
            condition_sources=grouped(
                Condition.sources.through.objects.order_by().values_list("condition_id", "source_id")
            ),
            condition_precautions=grouped(
                ConditionPrecaution.objects.order_by("precaution__order", "pk").values_list(
                    "condition_id", "precaution_id", "note"
                )
            ),
            precaution_sources=grouped(
                Precaution.sources.through.objects.order_by().values_list("precaution_id", "source_id")
            ),
            related_precautions=grouped(
                Precaution.related.through.objects.order_by().values_list("from_precaution_id", "to_precaution_id")
            ),
            condition_points=counts(PointCondition.objects.filter(published), "condition_id"),
            precaution_points=counts(PointPrecaution.objects.filter(published), "precaution_id"),
            meridian_points=counts(Point.objects.published(), "meridian_id"),
            listed_points={
                "all": Point.objects.published().count(),
                "described": Point.objects.published().described().count(),
            },
        )

    return content_cache.per_version("topic-links", build)


def condition_page_rows(condition, vocabulary):
    """A condition page's warnings (published ones, in the safety pages' order), its sources and
    how many points it lists, from ``topic_links()``."""
    links = topic_links()
    return {
        "precaution_links": [
            ConditionPrecaution(condition=condition, precaution=vocabulary.published_precautions[pk], note=note)
            for pk, note in links.condition_precautions.get(condition.pk, ())
            if pk in vocabulary.published_precautions
        ],
        "sources": vocabulary.sources_for(links.condition_sources.get(condition.pk, ())),
        "point_count": links.condition_points.get(condition.pk, 0),
    }


def safety_page_rows(precaution, vocabulary):
    """A safety page's see-also pages (published ones, as safety pages are listed), its sources and
    how many points it lists, from ``topic_links()``."""
    links = topic_links()
    return {
        "related": listing_order(
            vocabulary.published_precautions[pk]
            for pk in links.related_precautions.get(precaution.pk, ())
            if pk in vocabulary.published_precautions
        ),
        "sources": vocabulary.sources_for(links.precaution_sources.get(precaution.pk, ())),
        "point_count": links.precaution_points.get(precaution.pk, 0),
    }
