"""The one place editor-written Markdown becomes HTML.

Markdown lets editors write raw HTML, and editors' accounts can be stolen, so
every rendering goes through nh3 with a short allow-list. What the sanitiser
drops is reported back, so the admin can tell the editor instead of silently
publishing something other than what they wrote.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "abbr",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

CROSS_REFERENCE = re.compile(r"\[\[(?:(source):)?([^\[\]\n]{1,40})\]\]")


@dataclass
class Rendered:
    html: str
    removed: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def find_references(text):
    """Point codes and source slugs written as [[BL23]] and [[source:slug]]."""
    points, sources = set(), set()
    for kind, target in CROSS_REFERENCE.findall(text or ""):
        (sources if kind else points).add(target.strip())
    return points, sources


def render_markdown(text, resolver):
    """Markdown to sanitised HTML, with [[BL23]] and [[source:slug]] turned into links.

    ``resolver(point_refs, source_refs)`` maps ("point", ref) and ("source", slug)
    to (label, url); it is passed in so this module knows nothing of the models.
    """
    unresolved = []
    links = resolver(*find_references(text))

    def link(match):
        kind, target = match.group(1), match.group(2).strip()
        found = links.get((kind or "point", target))
        if found is None:
            unresolved.append(match.group(0))
            return target
        label, url = found
        return f"[{label}]({url})"

    expanded = CROSS_REFERENCE.sub(link, text or "")
    raw_html = markdown.markdown(expanded, extensions=["sane_lists", "tables"], output_format="html")
    removed = audit(raw_html)
    clean = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Rendered(html=clean, removed=removed, unresolved=unresolved)


class _Auditor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"the <{tag}> element")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name == "rel" and tag == "a":
                continue
            if name not in allowed:
                self.removed.append(f"the {name} attribute on <{tag}>")
            elif name == "href" and value and _scheme(value) not in ALLOWED_SCHEMES | {""}:
                self.removed.append(f"a link to “{value[:40]}”")

    def handle_comment(self, data):
        self.removed.append("an HTML comment")


def _scheme(url):
    url = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else ""


def audit(html):
    """What nh3 will drop from this HTML, in words an editor understands."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return list(dict.fromkeys(auditor.removed))
