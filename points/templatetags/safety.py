"""The safety language in templates: {{ kind|safety_level }} and {{ links|one_per_reason }}."""

from django import template

from points import safety_levels

register = template.Library()


@register.filter
def safety_level(kind):
    return safety_levels.level_of(kind)


@register.filter
def one_per_reason(links):
    return safety_levels.one_per_reason(links)


@register.filter
def safety_order(precautions):
    """Safety pages in the order readers see them listed: red flags first, most urgent next."""
    return safety_levels.listing_order(precautions)
