"""Turning [[BL23]] and [[source:slug]] into links, for the Markdown renderer."""

from django.urls import reverse

from points.notation import parse_code


def resolve_references(point_refs, source_refs):
    """Map each reference to (label, url); references that resolve to nothing are left out."""
    from points.models import Point, Source

    links = {}
    if point_refs:
        wanted = {}
        for ref in point_refs:
            parsed = parse_code(ref)
            wanted[ref] = parsed.code if parsed else ref.upper()
        points = {point.code: point for point in Point.objects.filter(code__in=set(wanted.values()))}
        for ref, code in wanted.items():
            point = points.get(code)
            if point is not None:
                links[("point", ref)] = (f"{point.code} {point.pinyin}", point.get_absolute_url())
    if source_refs:
        for source in Source.objects.filter(slug__in=source_refs):
            links[("source", source.slug)] = (source.short_citation, f"{reverse('points:source-list')}#{source.slug}")
    return links
