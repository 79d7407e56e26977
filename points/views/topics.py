"""The meridian, condition, safety, guide, routine and source pages."""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from acusite.page_cache import cached_page
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
from points.navigation import GUIDE_FIGURES
from points.routines import plan_routine, read_without, routines_for_condition
from points.safety_levels import listing_order
from points.sections import split_lead
from points.views.paging import LINKED_PAGE_SIZE, MERIDIAN_PAGE_SIZE, page_context
from points.vocabulary import condition_page_rows, get_vocabulary, safety_page_rows, topic_links


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
    # Staff see drafts too, so only readers' lists are counted in advance.
    count = None if request.user.is_staff else topic_links().meridian_points.get(meridian.pk, 0)
    context = {"meridian": meridian, **page_context(request, points, MERIDIAN_PAGE_SIZE, "points", count=count)}
    return TemplateResponse(request, "points/meridian_detail.html", context)


@require_safe
@cached_page
def condition_list(request):
    conditions = Condition.objects.visible_to(request.user).for_list()
    return TemplateResponse(request, "points/condition_list.html", {"conditions": conditions})


@require_safe
@cached_page(params=("page",))
def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.visible_to(request.user), slug=slug)
    about_first, about_rest = split_lead(condition.body_html)
    rows = condition_page_rows(condition, get_vocabulary())
    count = rows.pop("point_count")
    return TemplateResponse(
        request,
        "points/condition_detail.html",
        {
            "condition": condition,
            "about_first": about_first,
            "about_rest": about_rest,
            **rows,
            **page_context(request, condition_point_links(condition), LINKED_PAGE_SIZE, "point_links", count=count),
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
    precaution = get_object_or_404(Precaution.objects.visible_to(request.user), slug=slug)
    rows = safety_page_rows(precaution, get_vocabulary())
    count = rows.pop("point_count")
    context = {
        "precaution": precaution,
        **rows,
        **page_context(request, precaution_point_links(precaution), LINKED_PAGE_SIZE, "point_links", count=count),
    }
    return TemplateResponse(request, "points/safety_detail.html", context)


@require_safe
@cached_page
def guide_list(request):
    guides = Guide.objects.visible_to(request.user)
    return TemplateResponse(request, "points/guide_list.html", {"guides": guides})


@require_safe
@cached_page
def guide_detail(request, slug):
    guide = get_object_or_404(Guide.objects.visible_to(request.user).prefetch_related("sources"), slug=slug)
    figure, caption = GUIDE_FIGURES.get(guide.slug, ("", ""))
    context = {"guide": guide, "figure": figure, "figure_caption": caption}
    return TemplateResponse(request, "points/guide_detail.html", context)


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
