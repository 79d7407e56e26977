"""What a point's page shows besides the point itself, from one index of every point's links.

The index is built once per content version (one query per link table) and shared by every
point page: a point's warnings, conditions, pairs, names and nearby points cost no query of
their own, so a point page seen for the first time (or with a new ``?via=``) is as cheap as
any other. The conditions, warnings, sources and areas the rows name come from the
vocabulary. Only published conditions, warnings and points are shown, as on every reader page.
"""

import heapq
from dataclasses import dataclass

from points import cache as content_cache
from points.addresses import page_url
from points.choices import Status
from points.models import Alias, Combination, Point, PointCondition, PointPrecaution
from points.models.links import SourcedNote
from points.models.points import LINK_FIELDS
from points.vocabulary import described_points_by_area, grouped

NEARBY_POINTS = 6
# A point with no body area shows this many neighbours on its meridian instead.
MERIDIAN_NEIGHBOURS = 4


@dataclass(frozen=True)
class PointLinks:
    """Every point's link rows as plain tuples, by point id (pickled into the shared cache)."""

    areas: dict
    sources: dict
    aliases: dict  # (name, key, kind, note), in the admin's order
    precautions: dict  # (precaution id, note)
    conditions: dict  # (condition id, source id, note, basis), in the point's order
    combinations: dict  # (note, basis, source id, other point id), published pairs only, seen from both sides
    names: dict  # published point id: its LINK_FIELDS
    # Published, described points by meridian id: (number, point id), for points on no body area.
    described_by_meridian: dict


def point_links():
    return content_cache.per_version("point-links", _build_point_links)


def _build_point_links():
    published = Point.objects.published()
    names = {pk: tuple(fields) for pk, *fields in published.values_list("pk", *LINK_FIELDS)}
    described_by_meridian = {}
    on_meridians = published.described().filter(meridian__isnull=False).order_by("number")
    for meridian_id, number, pk in on_meridians.values_list("meridian_id", "number", "pk"):
        described_by_meridian.setdefault(meridian_id, []).append((number, pk))
    combinations = {}
    pairs = (
        Combination.objects.filter(point__status=Status.PUBLISHED, partner__status=Status.PUBLISHED)
        .order_by("point__sort_key", "partner__sort_key")
        .values_list("point_id", "partner_id", "note", "basis", "source_id")
    )
    for point_id, partner_id, note, basis, source_id in pairs:
        combinations.setdefault(point_id, []).append((note, basis, source_id, partner_id))
        combinations.setdefault(partner_id, []).append((note, basis, source_id, point_id))
    return PointLinks(
        areas=grouped(Point.areas.through.objects.order_by().values_list("point_id", "bodyarea_id")),
        sources=grouped(Point.sources.through.objects.order_by().values_list("point_id", "source_id")),
        aliases=grouped(Alias.objects.values_list("point_id", "name", "key", "kind", "note")),
        precautions=grouped(PointPrecaution.objects.order_by().values_list("point_id", "precaution_id", "note")),
        conditions=grouped(
            PointCondition.objects.order_by("order", "pk").values_list(
                "point_id", "condition_id", "source_id", "note", "basis"
            )
        ),
        combinations={point_id: tuple(rows) for point_id, rows in combinations.items()},
        names=names,
        described_by_meridian={meridian_id: tuple(rows) for meridian_id, rows in described_by_meridian.items()},
    )


def point_page_rows(point, vocabulary):
    links = point_links()
    areas = vocabulary.areas_for(links.areas.get(point.pk, ()))
    return {
        "areas": areas,
        "sources": vocabulary.sources_for(links.sources.get(point.pk, ())),
        "aliases": [AliasRow(*row) for row in links.aliases.get(point.pk, ())],
        "precaution_links": precaution_rows(point, links, vocabulary),
        "condition_links": condition_rows(point, links, vocabulary),
        "combinations": combination_rows(point, links, vocabulary),
        "nearby": nearby_points(point, links, [area.slug for area in areas]),
    }


def precaution_rows(point, links, vocabulary):
    """The point's warnings, in the order of the safety pages."""
    rank = {pk: position for position, pk in enumerate(vocabulary.published_precautions)}
    rows = [
        PointPrecaution(point=point, precaution=vocabulary.published_precautions[precaution_id], note=note)
        for precaution_id, note in links.precautions.get(point.pk, ())
        if precaution_id in rank
    ]
    return sorted(rows, key=lambda link: rank[link.precaution_id])


# A page's links are rows, not models: a model sets and checks every field and foreign key when
# made, which for a point's dozen links cost more than the rest of its page's rows.


@dataclass(frozen=True)
class AliasRow:
    """Another name of the point: ``name``, its notation ``key``, its ``kind`` and the editor's ``note``."""

    name: str
    key: str
    kind: str
    note: str

    def get_kind_display(self):
        return ALIAS_KINDS.get(self.kind, self.kind)


ALIAS_KINDS = dict(Alias.Kind.choices)


@dataclass(frozen=True)
class ConditionRow(SourcedNote):
    """What the point is used for, with the note's basis and source."""

    condition: object
    source: object
    note: str
    basis: str


@dataclass(frozen=True)
class PairRow(SourcedNote):
    """Why the point is pressed with another one, with the note's basis and source."""

    source: object
    note: str
    basis: str


def condition_rows(point, links, vocabulary):
    return [
        ConditionRow(vocabulary.published_conditions[condition_id], vocabulary.sources[source_id], note, basis)
        for condition_id, source_id, note, basis in links.conditions.get(point.pk, ())
        if condition_id in vocabulary.published_conditions
    ]


@dataclass(frozen=True)
class LinkedPoint:
    """Another point as a link on this page shows it ({% point_link %}), not a Point with its
    forty-odd fields (see the rows above)."""

    pk: int
    code: str
    pinyin: str
    pinyin_tones: str
    english_name: str

    @property
    def display_pinyin(self):
        return self.pinyin_tones or self.pinyin

    def get_absolute_url(self):
        return page_url("points:point-detail", code=self.code.lower())


def _linked_point(links, pk):
    return LinkedPoint(pk, *links.names[pk])


def combination_rows(point, links, vocabulary):
    """(pair, the other point) for each published pair: pairs are stored once and shown from both sides."""
    if point.status != Status.PUBLISHED:
        return []
    return [
        (PairRow(vocabulary.sources[source_id], note, basis), _linked_point(links, other_id))
        for note, basis, source_id, other_id in links.combinations.get(point.pk, ())
    ]


def nearby_points(point, links, area_slugs):
    """Described points close by: sharing a body area, or else neighbours on the meridian."""
    if area_slugs:
        by_area = described_points_by_area()
        candidates = heapq.merge(*(by_area.get(slug, ()) for slug in area_slugs))
        # Read only as far as the first few: an area may hold thousands of points.
        found = {}
        for _sort_key, pk in candidates:
            if pk != point.pk:
                found[pk] = None
                if len(found) == NEARBY_POINTS:
                    break
        ids = list(found)
    elif point.meridian_id:
        here = point.number or 0
        neighbours = [
            (abs((number or 0) - here), number or 0, pk)
            for number, pk in links.described_by_meridian.get(point.meridian_id, ())
            if pk != point.pk
        ]
        ids = [pk for _distance, _number, pk in heapq.nsmallest(MERIDIAN_NEIGHBOURS, neighbours)]
    else:
        ids = []
    return [_linked_point(links, pk) for pk in ids]
