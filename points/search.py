"""Finding points (and everything else) from what a reader typed.

Names are matched against ``Point.search_names``, a space-padded list of every
normalised name and alias the point goes by, so a name lookup is one query.
Typo tolerance works on a cached index of those names (a few thousand short
words), never on page text.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.http import urlencode

from points import cache as content_cache
from points.notation import normalise_key, parse_code

TEXT_FIELDS = ("summary", "location", "finding", "indications", "functions")


@dataclass
class Resolution:
    """Which point(s) a code or name refers to, and how it was recognised."""

    points: list = field(default_factory=list)
    parsed: object = None  # ParsedCode when the text was a code

    @property
    def point(self):
        return self.points[0] if len(self.points) == 1 else None

    def landing_url(self, written):
        """The point's page; readers who came by an old Bladder number or a known misprint
        get ``?via=`` so the page can tell them what they are looking at."""
        url = self.point.get_absolute_url()
        if self.parsed:
            needs_note = self.parsed.old_bladder
        else:
            key = normalise_key(written)
            needs_note = any(
                alias.key == key and alias.kind in ("misprint", "old-bladder") for alias in self.point.aliases.all()
            )
        return f"{url}?{urlencode({'via': written})}" if needs_note else url


def resolve(text, queryset):
    """Exact matches only: a code in any notation, or a name or alias as a whole."""
    text = (text or "").strip()
    if not text:
        return Resolution()
    parsed = parse_code(text)
    if parsed is not None:
        points = list(queryset.filter(code=parsed.code))
        if points:
            return Resolution(points=points, parsed=parsed)
    key = normalise_key(text)
    if not key:
        return Resolution()
    return Resolution(points=list(queryset.filter(search_names__contains=f" {key} ")))


def name_tokens(point_names):
    return [token for token in (point_names or "").split() if token]


def _within_one_edit(a, b):
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            edits += 1
            if edits > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


def name_index(queryset):
    """(name, point id) pairs for typo matching, cached per content version."""

    def build():
        return [
            (token, pk)
            for pk, names in queryset.values_list("pk", "search_names")
            for token in name_tokens(names)
            if len(token) >= 4
        ]

    return content_cache.per_version("name-index", build)


def typo_matches(text, index):
    key = normalise_key(text)
    if len(key) < 4:
        return set()
    return {pk for token, pk in index if _within_one_edit(key, token)}


def point_filter(text, index):
    """The Q used by the point list's ``q`` filter and by site search."""
    text = (text or "").strip()
    key = normalise_key(text)
    condition = Q(pk__in=[])
    parsed = parse_code(text)
    if parsed is not None:
        condition |= Q(code=parsed.code)
    if key:
        condition |= Q(search_names__contains=key)
    if len(text) >= 3:
        for name in TEXT_FIELDS:
            condition |= Q(**{f"{name}__icontains": text})
    typos = typo_matches(text, index)
    if typos:
        condition |= Q(pk__in=typos)
    return condition


def rank(point, text):
    """0: exact code or name; 1: a name starts with it; 2: a name contains it (or one typo); 3: text."""
    key = normalise_key(text)
    parsed = parse_code(text)
    tokens = name_tokens(point.search_names)
    if (parsed and parsed.code == point.code) or key in tokens:
        return 0
    if any(token.startswith(key) for token in tokens):
        return 1
    if any(key in token or _within_one_edit(key, token) for token in tokens):
        return 2
    return 3
