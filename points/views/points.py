"""The home page, the point list with its filters, and a point's page."""

from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from acusite.page_cache import cached_page
from points import cache as content_cache
from points.cards import CardList
from points.filters import PointFilter, list_index
from points.glance import at_a_glance
from points.models import Condition, Guide, Point, sees_drafts
from points.notation import normalise_key, parse_code
from points.point_page import point_page_rows
from points.routines import routine_index
from points.search import name_index, resolve, typo_matches
from points.views.paging import paginate, paginate_ids
from points.vocabulary import get_vocabulary, topic_links

# Every parameter of the point list's filters and pagination: the page cache keys on these only.
POINT_LIST_PARAMS = ("q", "area", "meridian", "condition", "without", "show", "page")
# How many conditions the home page's first screen offers; which ones is data (Condition.order).
HOME_CONDITIONS = 6


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
    # A reader's list filtered by area, meridian, condition or precaution is worked out from the
    # per-version list index, with no query; readers' unfiltered lists (every page of them) are counted
    # once per content version. Staff (who see drafts) and text searches read their page's ids with
    # the list's size.
    staff = sees_drafts(request.user)
    listed = None if staff else filterset.listed_ids(list_index())
    count = None if staff or listed is not None else filterset.unfiltered_count(topic_links().listed_points)
    if listed is not None:
        page, page_notice = paginate(request, listed)
        points = CardList.of_ids(filterset.queryset, page.object_list)
    elif count is None:
        page, page_notice, ids = paginate_ids(request, filterset.qs)
        points = CardList.of_ids(filterset.qs, ids)
    else:
        page, page_notice = paginate(request, filterset.qs, count=count)
        points = CardList.of_page(page)
    hidden_undescribed = 0
    if page.paginator.count == 0 and request.GET.get("q"):
        hidden_undescribed = filterset.undescribed_matches()
    active_filters = filterset.active_filters()
    nearest = _nearest_combinations(request, active_filters, vocabulary) if page.paginator.count == 0 else []
    return TemplateResponse(
        request,
        "points/point_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "points": points,
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
        listed = None if request.user.is_staff else filterset.listed_ids(list_index())
        count = len(listed) if listed is not None else filterset.qs.count()
        if count:
            nearest.append({"dropped": active, "url": active["remove_url"], "count": count})
    return nearest


@require_safe
@cached_page(params=("via",))
def point_detail(request, code):
    visible = Point.objects.visible_to(request.user)
    # Codes are unique: no ordering to compile.
    found = visible.for_detail().filter(code=code.upper()).order_by()[:1] if code == code.lower() else ()
    point = next(iter(found), None)
    if point is None:
        return _point_not_canonical(request, code, visible)
    return _render_point(request, point)


def _render_point(request, point):
    rows = point_page_rows(point, get_vocabulary())
    via = request.GET.get("via", "")[:40]
    return TemplateResponse(
        request,
        "points/point_detail.html",
        {
            "point": point,
            **rows,
            "arrival": _arrival_note(point, via, rows["aliases"]),
            "glance": at_a_glance(point) if point.described else {},
        },
    )


def _arrival_note(point, via, aliases):
    """Tell readers who came by an old code or a misprint what they are looking at."""
    if not via:
        return None
    parsed = parse_code(via)
    if parsed and parsed.old_bladder and parsed.code == point.code:
        same_number = f"BL{int(parsed.written_digits)}"
        other = Point.objects.published().filter(code=same_number).only("code", "pinyin").first()
        return {"kind": "old-bladder", "via": via, "same_number": same_number, "other": other}
    key = normalise_key(via)
    for alias in aliases:
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
