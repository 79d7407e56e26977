"""A link to a point, written the same way on every page.

A tag rather than an include: an included template's closing newline would put a space between
the link and the colon or comma that follows it in a sentence.
"""

from django import template

from points.escaping import format_html

register = template.Library()


@register.simple_tag
def point_link(point, named=False):
    """The point's code and pinyin as a link to its page; with ``named``, its English name after it."""
    link = format_html(
        '<a href="{}"><span class="code">{}</span> {}</a>', point.get_absolute_url(), point.code, point.display_pinyin
    )
    if named and point.english_name:
        return format_html("{} ({})", link, point.english_name)
    return link
