"""Search results that are links to pages (conditions, areas, safety, routines, meridians, guides).

A tag rather than a loop in the template: a results page lists dozens of them, and the template
engine resolves each hit's three attributes one lookup at a time, which cost more than the
rest of the page's ranking.
"""

from django import template
from django.utils.safestring import mark_safe

from points.escaping import escape

register = template.Library()


@register.simple_tag
def hit_links(hits):
    """Each hit as a link with its summary after it, in a list."""
    items = []
    for hit in hits:
        summary = f": {escape(hit.summary)}" if hit.summary else ""
        items.append(f'<li><a href="{escape(hit.url)}">{escape(hit.title)}</a>{summary}</li>')
    # Every value is escaped above.
    return mark_safe(f'<ul class="link-list">{"".join(items)}</ul>')
