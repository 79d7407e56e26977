"""Small, slow-changing lists every page needs (areas, meridians, conditions,
precautions, sources), read once per content version instead of once per page."""

from dataclasses import dataclass

from points import cache as content_cache


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

    def areas_for(self, slugs):
        wanted = set(filter(None, (slugs or "").split(",")))
        return [area for area in self.areas if area.slug in wanted]

    def sources_for(self, slugs):
        return [self.sources[slug] for slug in sorted(filter(None, (slugs or "").split(","))) if slug in self.sources]


def get_vocabulary():
    from points.models import BodyArea, Condition, Meridian, PointPrecaution, Precaution, Source
    from points.querysets import PUBLISHED

    def build():
        return Vocabulary(
            areas=list(BodyArea.objects.all()),
            meridians=list(Meridian.objects.all()),
            conditions=list(Condition.objects.published().only("slug", "name", "summary", "order")),
            precautions=list(Precaution.objects.published().only("slug", "title", "kind", "badge", "summary", "order")),
            sources={source.slug: source for source in Source.objects.all()},
            linked_precautions=frozenset(
                PointPrecaution.objects.filter(point__status=PUBLISHED, precaution__status=PUBLISHED)
                .values_list("precaution__slug", flat=True)
                .distinct()
            ),
        )

    return content_cache.per_version("vocabulary", build)
