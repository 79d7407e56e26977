"""Thin views: each picks its queryset method, filters, paginates and renders."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, Q
from django.db.models.functions import Abs
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from points import cache as content_cache
from points.cache import cached_page
from points.filters import PointFilter
from points.glance import at_a_glance
from points.models import (
    Condition,
    Guide,
    Meridian,
    Point,
    Precaution,
    Routine,
    Source,
    condition_point_links,
    precaution_point_links,
)
from points.notation import normalise_key, parse_code
from points.routines import plan_routine, read_without, routine_index, routines_for_condition
from points.safety_levels import listing_order
from points.search import (
    Group,
    anchor,
    arrange,
    name_index,
    name_level,
    page_hit,
    point_hit,
    query_words,
    rank_points,
    resolve,
    text_variants,
    typo_matches,
)
from points.sections import split_lead
from points.vocabulary import get_vocabulary

PAGE_SIZE = 24
# The longest meridian (BL) has 67 points: one page for every standard meridian.
MERIDIAN_PAGE_SIZE = 70
LINKED_PAGE_SIZE = 50
SEARCH_POINTS = 60
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
# Every parameter of the point list's filters and pagination: the page cache keys on these only.
POINT_LIST_PARAMS = ("q", "area", "meridian", "condition", "without", "show", "page")
# How many conditions the home page's first screen offers; which ones is data (Condition.order).
HOME_CONDITIONS = 6


def paginate(request, queryset, size=PAGE_SIZE):
    """A page of results; a bad page number gets page 1 or the last page and a note, never an error."""
    paginator = Paginator(queryset, size)
    raw = request.GET.get("page", "1")
    notice = ""
    try:
        page = paginator.page(raw)
    except PageNotAnInteger:
        page = paginator.page(1)
        notice = f"“{raw[:20]}” is not a page number, so here is the first page."
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        notice = f"There is no page {raw[:20]}; here is the last page."
    return page, notice


@require_safe
@cached_page
def home(request):
    vocabulary = get_vocabulary()
    conditions = content_cache.per_version(
        "home-conditions", lambda: list(Condition.objects.for_home()[:HOME_CONDITIONS])
    )
    return TemplateResponse(
        request,
        "points/home.html",
        {
            "vocabulary": vocabulary,
            "main_conditions": conditions,
            "guides": Guide.objects.published().only("slug", "title", "summary"),
            "routines": routine_index(),
        },
    )


@require_safe
@cached_page(params=POINT_LIST_PARAMS, drop_empty=True)
def point_list(request):
    vocabulary = get_vocabulary()
    filterset = PointFilter(
        request.GET, queryset=Point.objects.visible_to(request.user).for_cards(), vocabulary=vocabulary
    )
    queryset = filterset.qs if filterset.shows_all else filterset.qs.described()
    page, page_notice = paginate(request, queryset)
    hidden_undescribed = 0
    if not filterset.shows_all and page.paginator.count == 0 and request.GET.get("q"):
        hidden_undescribed = filterset.qs.count()
    active_filters = filterset.active_filters()
    nearest = _nearest_combinations(request, active_filters, vocabulary) if page.paginator.count == 0 else []
    return TemplateResponse(
        request,
        "points/point_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "points": page.object_list,
            "notices": filterset.notices + ([page_notice] if page_notice else []),
            "errors": [error for errors in filterset.form.errors.values() for error in errors],
            "active_filters": active_filters,
            "active_areas": request.GET.getlist("area"),
            "hidden_undescribed": hidden_undescribed,
            "nearest": nearest,
            "vocabulary": vocabulary,
        },
    )


def _nearest_combinations(request, active_filters, vocabulary):
    """For an empty list: each filter dropped in turn, with how many points are left, the
    combinations that have points only. Only when two or more filters are in use."""
    droppable = [active for active in active_filters if active["parameter"] != "show"]
    if len(droppable) < 2:
        return []
    nearest = []
    for active in droppable:
        filterset = PointFilter(
            QueryDict(active["remove_url"].lstrip("?")),
            queryset=Point.objects.visible_to(request.user),
            vocabulary=vocabulary,
        )
        count = (filterset.qs if filterset.shows_all else filterset.qs.described()).count()
        if count:
            nearest.append({"dropped": active, "url": active["remove_url"], "count": count})
    return nearest


def _nearby(point):
    """Described points close by: sharing a body area, or else neighbours on the meridian."""
    others = Point.objects.published().described().exclude(pk=point.pk).select_related("meridian")
    area_slugs = [slug for slug in (point.area_slugs or "").split(",") if slug]
    if area_slugs:
        return others.filter(areas__slug__in=area_slugs).distinct().order_by("sort_key")[:6]
    if point.meridian_id:
        return (
            others.filter(meridian_id=point.meridian_id)
            .annotate(distance=Abs(F("number") - point.number))
            .order_by("distance", "number")[:4]
        )
    return others.none()


@require_safe
@cached_page(params=("via",))
def point_detail(request, code):
    visible = Point.objects.visible_to(request.user)
    point = visible.for_detail().filter(code=code.upper()).first() if code == code.lower() else None
    if point is None:
        return _point_not_canonical(request, code, visible)
    return _render_point(request, point)


def _render_point(request, point):
    vocabulary = get_vocabulary()
    via = request.GET.get("via", "")[:40]
    return TemplateResponse(
        request,
        "points/point_detail.html",
        {
            "point": point,
            "areas": vocabulary.areas_for(point.area_slugs),
            "sources": vocabulary.sources_for(point.source_slugs),
            "aliases": list(point.aliases.all()),
            "precaution_links": list(point.precaution_links.all()),
            "condition_links": list(point.condition_links.all()),
            "combinations": [(combo, combo.other(point)) for combo in Point.objects.combinations_of(point)],
            "nearby": list(_nearby(point)),
            "arrival": _arrival_note(point, via),
            "glance": at_a_glance(point) if point.described else {},
        },
    )


def _arrival_note(point, via):
    """Tell readers who came by an old code or a misprint what they are looking at."""
    if not via:
        return None
    parsed = parse_code(via)
    if parsed and parsed.old_bladder and parsed.code == point.code:
        same_number = f"BL{int(parsed.written_digits)}"
        other = Point.objects.published().filter(code=same_number).only("code", "pinyin").first()
        return {"kind": "old-bladder", "via": via, "same_number": same_number, "other": other}
    key = normalise_key(via)
    for alias in point.aliases.all():
        if alias.key == key and alias.kind in ("misprint", "old-bladder"):
            return {"kind": alias.kind, "via": via, "note": alias.note}
    return None


def _point_not_canonical(request, code, visible):
    # for_list: the page that offers several points shows their warnings too.
    resolution = resolve(code, visible.for_list())
    if resolution.point is not None:
        return HttpResponsePermanentRedirect(resolution.landing_url(code))
    if len(resolution.points) > 1:
        return render(
            request,
            "points/point_choose.html",
            {"name": code, "points": sorted(resolution.points, key=lambda point: point.sort_key)},
        )
    suggestions = (
        Point.objects.published()
        .filter(pk__in=typo_matches(code, name_index(Point.objects.published())))
        .select_related("meridian")[:8]
    )
    return render(
        request,
        "points/point_not_found.html",
        {"name": code, "suggestions": suggestions},
        status=404,
    )


@require_safe
@cached_page
def meridian_list(request):
    return TemplateResponse(request, "points/meridian_list.html", {"meridians": get_vocabulary().meridians})


@require_safe
@cached_page(params=("page",))
def meridian_detail(request, code):
    meridian = get_object_or_404(Meridian, code=code.upper()) if code == code.lower() else None
    if meridian is None:
        return redirect("points:meridian-detail", code=code.lower(), permanent=True)
    points = Point.objects.visible_to(request.user).for_cards().with_warnings().filter(meridian=meridian)
    page, page_notice = paginate(request, points, MERIDIAN_PAGE_SIZE)
    return TemplateResponse(
        request,
        "points/meridian_detail.html",
        {"meridian": meridian, "points": page.object_list, "page_obj": page, "page_notice": page_notice},
    )


@require_safe
@cached_page
def condition_list(request):
    conditions = Condition.objects.visible_to(request.user).for_list()
    return TemplateResponse(request, "points/condition_list.html", {"conditions": conditions})


@require_safe
@cached_page(params=("page",))
def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.visible_to(request.user).for_detail(), slug=slug)
    page, page_notice = paginate(request, condition_point_links(condition), LINKED_PAGE_SIZE)
    about_first, about_rest = split_lead(condition.body_html)
    return TemplateResponse(
        request,
        "points/condition_detail.html",
        {
            "condition": condition,
            "about_first": about_first,
            "about_rest": about_rest,
            "point_links": page.object_list,
            "page_obj": page,
            "page_notice": page_notice,
            "routines": routines_for_condition(condition.slug),
        },
    )


@require_safe
@cached_page
def safety_list(request):
    precautions = listing_order(Precaution.objects.visible_to(request.user))
    return TemplateResponse(request, "points/safety_list.html", {"precautions": precautions})


@require_safe
@cached_page(params=("page",))
def safety_detail(request, slug):
    precaution = get_object_or_404(Precaution.objects.visible_to(request.user).for_detail(), slug=slug)
    page, page_notice = paginate(request, precaution_point_links(precaution), LINKED_PAGE_SIZE)
    return TemplateResponse(
        request,
        "points/safety_detail.html",
        {"precaution": precaution, "point_links": page.object_list, "page_obj": page, "page_notice": page_notice},
    )


@require_safe
@cached_page
def guide_list(request):
    guides = Guide.objects.visible_to(request.user)
    return TemplateResponse(request, "points/guide_list.html", {"guides": guides})


@require_safe
@cached_page
def guide_detail(request, slug):
    guide = get_object_or_404(Guide.objects.visible_to(request.user).prefetch_related("sources"), slug=slug)
    return TemplateResponse(request, "points/guide_detail.html", {"guide": guide})


def _without_notice(unknown, precautions):
    if not unknown:
        return ""
    names = ", ".join(f"“{slug}”" for slug in unknown)
    return (
        f"There is no precaution {names}, so no steps were left out for it. "
        f"Choose one of: {', '.join(precaution.slug for precaution in precautions)}."
    )


@require_safe
@cached_page(params=("without",))
def routine_list(request):
    precautions = get_vocabulary().precautions
    without, unknown = read_without(request.GET.getlist("without"), precautions)
    plans = [
        (routine, plan_routine(routine, without)) for routine in Routine.objects.visible_to(request.user).for_list()
    ]
    return TemplateResponse(
        request,
        "points/routine_list.html",
        {
            # A routine with no step left is hidden, as the point list hides the points themselves.
            "plans": [(routine, plan) for routine, plan in plans if plan.steps],
            "hidden": [routine for routine, plan in plans if plan.skipped and not plan.steps],
            "without": without,
            "precautions": precautions,
            "notice": _without_notice(unknown, precautions),
        },
    )


@require_safe
@cached_page(params=("without",))
def routine_detail(request, slug):
    routine = get_object_or_404(Routine.objects.visible_to(request.user).for_detail(), slug=slug)
    precautions = get_vocabulary().precautions
    without, unknown = read_without(request.GET.getlist("without"), precautions)
    return TemplateResponse(
        request,
        "points/routine_detail.html",
        {
            "routine": routine,
            "plan": plan_routine(routine, without),
            "precautions": precautions,
            "notice": _without_notice(unknown, precautions),
        },
    )


@require_safe
@cached_page
def source_list(request):
    return TemplateResponse(request, "points/source_list.html", {"sources": Source.objects.all()})


def contains(query, *fields):
    condition = Q()
    for variant in text_variants(query):
        for field in fields:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


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
    conditions = Condition.objects.visible_to(request.user).filter(contains(query, "name", "summary", "body"))
    conditions = list(conditions.only("slug", "name", "summary", "order")[:SEARCH_FETCH])
    for condition in _merge(conditions, named(vocabulary.conditions, "name"), lambda c: c.slug):
        hits.append(
            page_hit(
                "condition", condition.name, condition.get_absolute_url(), condition.summary, condition, query,
                order=condition.order, text_match=True,
            )
        )  # fmt: skip
    titled = contains(query, "title", "summary", "body")
    precautions = Precaution.objects.visible_to(request.user).filter(titled)
    precautions = list(precautions.only("slug", "title", "summary", "order")[:SEARCH_FETCH])
    for precaution in _merge(precautions, named(vocabulary.precautions, "title"), lambda p: p.slug):
        hits.append(
            page_hit(
                "safety", precaution.title, precaution.get_absolute_url(), precaution.summary, precaution, query,
                order=precaution.order, text_match=True,
            )
        )  # fmt: skip
    for guide in Guide.objects.visible_to(request.user).filter(titled).only("slug", "title", "summary")[:SEARCH_FETCH]:
        hits.append(
            page_hit("guide", guide.title, guide.get_absolute_url(), guide.summary, guide, query, text_match=True)
        )
    for area in vocabulary.areas:
        summary = f"Points that lie on the {area.name.lower()}."
        hits.append(page_hit("area", area.name, area.get_absolute_url(), summary, area, query, order=area.order))
    # Published routines from their small cached index, so search costs no extra query.
    for entry in routine_index():
        text_match = any(entry.matches(variant) for variant in text_variants(query))
        hits.append(page_hit("routine", entry.title, entry.url, entry.summary, entry, query, text_match=text_match))
    key = normalise_key(query)
    for meridian in vocabulary.meridians:
        text_match = bool(key) and (
            key == meridian.code.lower() or key in normalise_key(f"{meridian.name} {meridian.other_names}")
        )
        hits.append(
            page_hit(
                "meridian", f"{meridian.code} {meridian.name}", meridian.get_absolute_url(), "", meridian, query,
                order=meridian.order, text_match=text_match,
            )
        )  # fmt: skip
    return [hit for hit in hits if hit is not None]


@require_safe
@cached_page(params=("q",))
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    context = {"query": query, "best": None, "groups": [], "ambiguous": [], "best_points": [], "group_points": []}
    context.update({group: [] for group in SEARCH_GROUPS.values()})
    if query:
        published_points = Point.objects.visible_to(request.user)
        resolution = resolve(query, published_points)
        if resolution.point is not None:
            return redirect(resolution.landing_url(query))
        context["ambiguous"] = resolution.points
        # Ranked in the database, so the best points are the ones kept whatever the content's size.
        points = rank_points(published_points.for_cards(), query, name_index(Point.objects.published()))
        hits = [point_hit(point, position) for position, point in enumerate(points[:SEARCH_POINTS])]
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
        if best is not None:
            context[SEARCH_GROUPS[best.kind]].insert(0, best.item)
    context["total"] = sum(len(context[group]) for group in SEARCH_GROUPS.values())
    return TemplateResponse(request, "points/search.html", context)
