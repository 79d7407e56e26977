"""Split a condition page's point rows into "start with these" and the others, inside the cached fragment,
so a fragment hit still costs no query."""

from django import template

register = template.Library()


@register.filter
def starting(links, flag=True):
    """The links whose start_here is ``flag``, in their order."""
    return [link for link in links if link.start_here == flag]
