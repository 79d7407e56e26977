"""What a point's page shows besides the point itself, in a fixed number of small queries.

Each query reads one kind of the point's own link rows and joins nothing: the conditions,
warnings, sources and areas those rows name come from the vocabulary, which is read once per
content version. Only published conditions and warnings are shown, as on every reader page.
"""

import heapq

from django.db.models import F, Q
from django.db.models.functions import Abs

from points.choices import Status
from points.models import Combination, Point, PointCondition, PointPrecaution
from points.models.points import LINK_FIELDS
from points.vocabulary import described_points_by_area, point_areas_and_sources

NEARBY_POINTS = 6


def point_page_rows(point, vocabulary):
    area_ids, source_ids = point_areas_and_sources().get(point.pk, ((), ()))
    areas = vocabulary.areas_for(area_ids)
    return {
        "areas": areas,
        "sources": vocabulary.sources_for(source_ids),
        "aliases": list(point.aliases.all()),
        "precaution_links": precaution_rows(point, vocabulary),
        "condition_links": condition_rows(point, vocabulary),
        "combinations": combination_rows(point, vocabulary),
        "nearby": list(nearby_points(point, [area.slug for area in areas])),
    }


def precaution_rows(point, vocabulary):
    """The point's warnings, in the order of the safety pages."""
    rank = {pk: position for position, pk in enumerate(vocabulary.published_precautions)}
    rows = PointPrecaution.objects.filter(point=point).order_by().values_list("precaution_id", "note")
    links = [
        PointPrecaution(point=point, precaution=vocabulary.published_precautions[precaution_id], note=note)
        for precaution_id, note in rows
        if precaution_id in rank
    ]
    return sorted(links, key=lambda link: rank[link.precaution_id])


def condition_rows(point, vocabulary):
    rows = (
        PointCondition.objects.filter(point=point)
        .order_by("order", "pk")
        .values_list("condition_id", "source_id", "note", "basis")
    )
    return [
        PointCondition(
            point=point,
            condition=vocabulary.published_conditions[condition_id],
            source=vocabulary.sources[source_id],
            note=note,
            basis=basis,
        )
        for condition_id, source_id, note, basis in rows
        if condition_id in vocabulary.published_conditions
    ]


def combination_rows(point, vocabulary):
    """(pair, the other point) for each published pair: pairs are stored once and shown from both sides."""
    sides = ("point", "partner")
    rows = (
        Combination.objects.filter(Q(point=point) | Q(partner=point))
        .filter(point__status=Status.PUBLISHED, partner__status=Status.PUBLISHED)
        .values_list(
            "note", "basis", "source_id", "point_id", "partner_id",
            *(f"{side}__{name}" for side in sides for name in LINK_FIELDS),
        )
    )  # fmt: skip
    width = len(LINK_FIELDS)
    combinations = []
    for note, basis, source_id, point_id, partner_id, *names in rows:
        if point_id == point.pk:
            other_id, other_names = partner_id, names[width:]
        else:
            other_id, other_names = point_id, names[:width]
        other = Point(pk=other_id, **dict(zip(LINK_FIELDS, other_names, strict=True)))
        combinations.append((Combination(note=note, basis=basis, source=vocabulary.sources[source_id]), other))
    return combinations


def nearby_points(point, area_slugs):
    """Described points close by: sharing a body area, or else neighbours on the meridian."""
    # Shown as links (code, pinyin, English name): the rest of each row stays in the database.
    others = Point.objects.published().only(*LINK_FIELDS, "sort_key", "number", "meridian_id")
    if area_slugs:
        by_area = described_points_by_area()
        candidates = heapq.merge(*(by_area.get(slug, ()) for slug in area_slugs))
        ids = list(dict.fromkeys(pk for _sort_key, pk in candidates if pk != point.pk))[:NEARBY_POINTS]
        return others.filter(pk__in=ids).order_by("sort_key")
    if point.meridian_id:
        return (
            others.described()
            .exclude(pk=point.pk)
            .filter(meridian_id=point.meridian_id)
            .annotate(distance=Abs(F("number") - point.number))
            .order_by("distance", "number")[:4]
        )
    return others.none()
