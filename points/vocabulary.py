"""Small, slow-changing lists every page needs (areas, meridians, conditions,
precautions, sources), read once per content version instead of once per page."""

from dataclasses import dataclass

from points import cache as content_cache
from points.choices import Status
from points.models import BodyArea, Condition, Meridian, Point, PointPrecaution, Precaution, Source


@dataclass(frozen=True)
class Vocabulary:
    areas: list
    meridians: list
    conditions: list
    precautions: list
    sources: dict
    # Slugs of the precautions linked to at least one published point: the only ones the
    # point list offers to hide (hiding by any other would hide nothing).
    linked_precautions: frozenset = frozenset()
    # Every published condition, (slug, name): a bookmarked ?condition= keeps working even
    # while a condition has no points, though the form offers only ``conditions``.
    all_conditions: tuple = ()

    def areas_for(self, slugs):
        wanted = set(filter(None, (slugs or "").split(",")))
        return [area for area in self.areas if area.slug in wanted]

    def sources_for(self, slugs):
        return [self.sources[slug] for slug in sorted(filter(None, (slugs or "").split(","))) if slug in self.sources]


def get_vocabulary():
    def build():
        return Vocabulary(
            areas=list(BodyArea.objects.all()),
            meridians=list(Meridian.objects.all()),
            # Only conditions a reader can go somewhere from: at least one published point (issue 13).
            conditions=list(Condition.objects.published().offered().only("slug", "name", "summary", "order")),
            precautions=list(Precaution.objects.published().only("slug", "title", "kind", "badge", "summary", "order")),
            sources={source.slug: source for source in Source.objects.all()},
            all_conditions=tuple(Condition.objects.published().values_list("slug", "name")),
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
