"""The search page: the points that match, ranked, then every other kind of page whose name or text matches."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from acusite.page_cache import cached_page
from points.cards import CardList
from points.models import Point, sees_drafts
from points.notation import normalise_key, parse_code
from points.routines import routine_index
from points.search import (
    TEXT_PAGE_KINDS,
    Group,
    Resolution,
    anchor,
    arrange,
    name_index,
    name_level,
    page_hit,
    pages_containing,
    point_hit,
    query_words,
    rank_points,
    resolve,
    text_variants,
)
from points.vocabulary import get_vocabulary

# A phone's worth of point cards, best first; the point list (``?q=``) has the rest.
SEARCH_POINTS = 20
SEARCH_OTHERS = 20
# Pages found by their text, read before ranking (those found by name come from the vocabulary).
SEARCH_FETCH = 50
# Each kind of search hit and the context name its list keeps.
SEARCH_GROUPS = {
    "point": "points",
    "condition": "conditions",
    "area": "areas",
    "safety": "precautions",
    "routine": "routines",
    "meridian": "meridians",
    "guide": "guides",
}


def _merge(found, published, key):
    """Pages found by their text, and the published ones (from the cached vocabulary) whose names
    match in another word form: each once."""
    seen = {key(item) for item in found}
    return found + [item for item in published if key(item) not in seen]


def _page_hits(request, query):
    """Every page with a name that matches ``query`` by its name or its text, as search hits."""
    vocabulary = get_vocabulary()
    wanted = query_words(query)

    def named(items, attribute):
        return [item for item in items if name_level(getattr(item, attribute), wanted)]

    hits = []
    # Pages found by their text, and the published pages in the vocabulary found by their name in
    # another word form. Staff search drafts too, as everywhere they preview them.
    drafts = sees_drafts(request.user)
    named_in_vocabulary = {"condition": vocabulary.conditions, "safety": vocabulary.precautions, "guide": ()}
    for kind, _model, title in TEXT_PAGE_KINDS:
        found = pages_containing(kind, query, drafts=drafts)[:SEARCH_FETCH]
        for page in _merge(found, named(named_in_vocabulary[kind], title), lambda page: page.slug):
            hits.append(
                page_hit(kind, getattr(page, title), page.summary, page, wanted, order=page.order, text_match=True)
            )
    for area in vocabulary.areas:
        summary = f"Points that lie on the {area.name.lower()}."
        hits.append(page_hit("area", area.name, summary, area, wanted, order=area.order))
    # Published routines from their small cached index, so search costs no extra query.
    variants = text_variants(query)
    for entry in routine_index():
        text_match = any(entry.matches(variant) for variant in variants)
        hits.append(
            page_hit("routine", entry.title, entry.summary, entry, wanted, url=entry.url, text_match=text_match)
        )
    key = normalise_key(query)
    for meridian in vocabulary.meridians:
        text_match = bool(key) and (
            key == meridian.code.lower() or key in normalise_key(f"{meridian.name} {meridian.other_names}")
        )
        hits.append(
            page_hit(
                "meridian", f"{meridian.code} {meridian.name}", "", meridian, wanted,
                order=meridian.order, text_match=text_match,
            )
        )  # fmt: skip
    return [hit for hit in hits if hit is not None]


@require_safe
@cached_page(params=("q",))
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    context = {
        "query": query, "best": None, "groups": [], "ambiguous": [], "best_points": [], "group_points": [],
        "more_points": False,
    }  # fmt: skip
    context.update({group: [] for group in SEARCH_GROUPS.values()})
    if query:
        published_points = Point.objects.visible_to(request.user)
        is_code = parse_code(query) is not None
        if is_code:
            resolution = resolve(query, published_points)
            if resolution.point is not None:
                return redirect(resolution.landing_url(query))
        # Every match is ranked, so the best points are the ones kept whatever the content's size; ids
        # first, since most cards come from the cache. One more than is shown tells whether to link the rest.
        cards = published_points.for_cards()
        found = rank_points(query, name_index(Point.objects.published()), drafts=sees_drafts(request.user))
        found = found[: SEARCH_POINTS + 1]
        if not is_code:
            # A name that is a point's whole name ranks first (0): the same points resolve() finds, without
            # asking the database twice.
            exact = [point.pk for point in found if point.name_rank == 0]
            resolution = Resolution(list(cards.filter(pk__in=exact)) if exact else [])
            if resolution.point is not None:
                return redirect(resolution.landing_url(query))
        context["ambiguous"] = resolution.points
        context["more_points"] = len(found) > SEARCH_POINTS
        hits = [point_hit(point, position) for position, point in enumerate(found[:SEARCH_POINTS])]
        hits += _page_hits(request, query)
        best, groups = arrange(hits)
        context["best"] = best
        # The best match stands for its kind's results when it is the only one of its kind.
        context["best_anchor"] = anchor(best.kind) if best and best.kind not in {g.kind for g in groups} else ""
        context["groups"] = groups = [
            Group(group.kind, group.heading, group.hits[: SEARCH_POINTS if group.kind == "point" else SEARCH_OTHERS])
            for group in groups
        ]
        for group in groups:
            context[SEARCH_GROUPS[group.kind]] = [hit.item for hit in group.hits]
        # The point cards of the best match and of the points group, without repeating the best.
        context["group_points"] = list(context["points"])
        context["best_points"] = [best.item] if best is not None and best.kind == "point" else []
        context["group_cards"] = CardList.of_ids(cards, [point.pk for point in context["group_points"]])
        context["best_cards"] = CardList.of_ids(cards, [point.pk for point in context["best_points"]])
        if best is not None:
            context[SEARCH_GROUPS[best.kind]].insert(0, best.item)
    context["total"] = sum(len(context[group]) for group in SEARCH_GROUPS.values())
    return TemplateResponse(request, "points/search.html", context)
