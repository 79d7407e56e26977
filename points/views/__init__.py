"""Thin views: each picks its queryset method, filters, paginates and renders."""

from points.views.points import home, point_detail, point_list
from points.views.search import search
from points.views.topics import (
    condition_detail,
    condition_list,
    guide_detail,
    guide_list,
    meridian_detail,
    meridian_list,
    routine_detail,
    routine_list,
    safety_detail,
    safety_list,
    source_list,
)

__all__ = [
    "condition_detail",
    "condition_list",
    "guide_detail",
    "guide_list",
    "home",
    "meridian_detail",
    "meridian_list",
    "point_detail",
    "point_list",
    "routine_detail",
    "routine_list",
    "safety_detail",
    "safety_list",
    "search",
    "source_list",
]
