"""Finding points (and everything else) from what a reader typed.

Names are matched against ``Point.search_names``, a space-padded list of every
normalised name and alias the point goes by, so a name lookup is one query.
Typo tolerance works on a cached index of those names (a few thousand short
words), never on page text. Names and page text are matched through the
database's text index (``points.text_index``); site search ranks what it finds
(see below).
"""

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.http import urlencode

from points import cache as content_cache
from points.addresses import page_url
from points.choices import Status
from points.models import Condition, Guide, Point, PointCondition, Precaution
from points.notation import normalise_key, parse_code, strip_accents
from points.text_index import matching_ids, names_contain, points_matching
from points.vocabulary import get_vocabulary


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
    return Resolution(points=list(queryset.filter(names_contain(f" {key} "))))


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
    """Names for typo matching, cached per content version: {(length, end, letter): [(name, point
    id), ...]}, each name filed under its first letter (end 0) and its last (end -1).

    A name one edit away from a word is at most one letter longer or shorter, and one edit changes
    its first letter or its last, never both: a search compares the word with the names of a
    neighbouring length that share its first or its last letter, a tenth of them or fewer."""

    def build():
        index = {}
        for pk, names in queryset.values_list("pk", "search_names"):
            for token in name_tokens(names):
                if len(token) >= 4:
                    for end in (0, -1):
                        index.setdefault((len(token), end, token[end]), []).append((token, pk))
        return index

    return content_cache.per_version("name-index", build)


def typo_matches(text, index):
    key = normalise_key(text)
    if len(key) < 4:
        return set()
    return {
        pk
        for length in (len(key) - 1, len(key), len(key) + 1)
        for end in (0, -1)
        for token, pk in index.get((length, end, key[end]), ())
        if _within_one_edit(key, token)
    }


def point_filter(text, index, typos=None, also=()):
    """The Q used by the point list's ``q`` filter (``typos``: typo_matches, when known; ``also``:
    more page text to look for)."""
    return points_matching(**_wanted_points(text, index, typos, also))


def _wanted_points(text, index, typos, also):
    text = (text or "").strip()
    key = normalise_key(text)
    parsed = parse_code(text)
    return {
        "code": parsed.code if parsed is not None else None,
        "names": [key] if key else [],
        "texts": ([text] if len(text) >= 3 else []) + list(also),
        "ids": typo_matches(text, index) if typos is None else typos,
    }


# Ranking what the reader means ------------------------------------------------------------
#
# Pages with names (conditions, body areas, safety pages, routines, meridians, guides) are
# matched word by word against their names, in Python, from the small per-version indexes;
# their text (a few dozen pages, which do not grow with the points) is searched in Python
# too, from ``text_pages``. Points are found by the database's text index and ranked from
# ``point_ranks``, a per-version index of what they are ranked by.

# The conditions a back-pain site is about: points linked to them come first among equals.
BACK_PAIN_CONDITIONS = ("lower-back-pain", "upper-back-pain", "sciatica")
STOP_WORDS = frozenset(("a", "an", "and", "at", "for", "i", "in", "is", "my", "of", "on", "the", "to", "with"))
# Which group a name match falls in when several match equally: what a reader in pain most
# likely means first (a condition), then where it hurts, then what to watch out for.
# Words so common in names that matching one of them alone says nothing ("back pain" is not "Dental pain").
GENERIC_WORDS = frozenset(("pain", "ache", "sore", "point", "press"))
KIND_ORDER = ("condition", "area", "safety", "routine", "meridian", "guide")
SUFFIXES = ("ancy", "ency", "ant", "ies", "ing", "s")

# Tiers of the whole result list, best first.
TIER_PAGE_NAME = 0  # every word the reader typed is in a page's name
TIER_POINT_NAME = 1  # a point's name or alias matches (rank 0 to 2)
TIER_PAGE_SOME = 2  # some of the words are in a page's name
TIER_POINT_TEXT = 3  # a point that merely mentions it
TIER_PAGE_TEXT = 4  # a page that merely mentions it


def stem(word):
    """A rough common form, so pregnant/pregnancy, labour/labor and flag/flags meet."""
    if len(word) >= 5 and word.endswith("our"):
        word = word[:-3] + "or"
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith(("ss", "is", "us")):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


# Every search matches the query against the same few hundred page names: each is split once per process.
@functools.lru_cache(maxsize=8192)
def words(text):
    """The stemmed words of ``text``, without accents, case or punctuation."""
    text = strip_accents(text or "").casefold().replace("’", "").replace("'", "")
    cleaned = "".join(char if char.isalnum() else " " for char in text)
    return tuple(stem(word) for word in cleaned.split())


def query_words(text):
    return [word for word in words(text) if word not in STOP_WORDS]


def text_variants(text):
    """What to look for in page text: the text itself and, for one word, its other forms
    (``pregnant`` finds "pregnancy", ``labour`` finds "labor" and the reverse)."""
    text = (text or "").strip()
    variants = [text] if text else []
    found = query_words(text)
    if len(found) == 1 and len(text.split()) == 1:
        word = found[0]
        for variant in (word, word[:-2] + "our" if word.endswith("or") else ""):
            if len(variant) >= 4 and variant != text.casefold():
                variants.append(variant)
    return variants


def _word_matches(wanted, name_word, *, loose=False):
    """The same word, or the start of it: ``sciatic`` is "sciatica", ``low`` is "lower". A longer
    completion (``back``, "background") only counts as loose, a part of the name matching."""
    if name_word == wanted:
        return True
    if len(wanted) < 3 or not name_word.startswith(wanted):
        return False
    return loose or len(name_word) - len(wanted) <= 2


@functools.lru_cache(maxsize=8192)
def _word_starts(name):
    """The first three letters of each of the name's words: a query word matches one of them (the
    same word, or its start) only if it starts with the same three, so most names are passed over
    on that alone (search compares the query with a few hundred names)."""
    return frozenset(word[:3] for word in words(name))


def name_level(name, wanted):
    """(tier, exactness) of a name against the query's words, or None when no word matches.

    Every word in the name: ``TIER_PAGE_NAME``. Some words, or the start of a longer word:
    ``TIER_PAGE_SOME``, except that a generic word alone ("pain") does not make a match."""
    if not wanted or not any(word[:3] in _word_starts(name) for word in wanted):
        return None
    have = words(name)
    whole = [word for word in wanted if any(_word_matches(word, name_word) for name_word in have)]
    if len(whole) == len(wanted):
        exact = [word for word in have if word not in STOP_WORDS] == wanted
        return TIER_PAGE_NAME, 0 if exact else 1
    loose = [word for word in wanted if any(_word_matches(word, name_word, loose=True) for name_word in have)]
    if not [word for word in loose if word not in GENERIC_WORDS]:
        return None
    return TIER_PAGE_SOME, len(wanted) - len(loose)


@dataclass
class Hit:
    """One search result of any kind, with what the results page shows of it. ``link``: its
    address when it is not its item's own (a routine's); the item's is looked up only for the
    hits a page shows, a few of the dozens found."""

    kind: str
    title: str
    link: str
    summary: str = ""
    item: object = None
    key: tuple = ()

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def url(self):
        return self.link or self.item.get_absolute_url()


def page_hit(kind, title, summary, item, wanted, *, url=None, order=0, text_match=False):
    """A hit for a page with a name, or None when neither its name nor (``text_match``) its text
    matches the query's words (``wanted``: its ``query_words``). ``url`` defaults to the item's,
    looked up when the hit is shown."""
    level = name_level(title, wanted)
    if level is None and not text_match:
        return None
    tier, exactness = level or (TIER_PAGE_TEXT, 0)
    key = (tier, KIND_ORDER.index(kind), exactness, order, title.casefold())
    return Hit(kind, title, url or "", summary, item, key)


class RankedPoint(NamedTuple):
    """A point as search ranks it (``rank_points``): enough for its hit; its card comes from the
    cache, or from points.cards when it is not there. A tuple: search makes one for every match."""

    pk: int
    code: str
    name_rank: int

    def get_absolute_url(self):
        return page_url("points:point-detail", code=self.code.lower())


def point_hit(point, position):
    """Points arrive ranked (``rank_points``); ``position`` keeps that order."""
    tier = TIER_POINT_NAME if point.name_rank <= 2 else TIER_POINT_TEXT
    return Hit("point", point.code, "", "", point, (tier, 0, 0, position, ""))


@dataclass(frozen=True)
class PointRanks:
    """What points are ranked by, for every point (staff search drafts too), per content version."""

    points: dict  # id: (code, search_names, described)
    back_pain: frozenset  # ids of the points linked to a published back-pain condition


def point_ranks():
    def build():
        published = get_vocabulary().published_conditions
        back_pain = [pk for pk, condition in published.items() if condition.slug in BACK_PAIN_CONDITIONS]
        linked = PointCondition.objects.filter(condition_id__in=back_pain).values_list("point_id", flat=True)
        rows = Point.objects.order_by().values_list("pk", "code", "search_names", "described")
        points = {pk: (code, names or "", described) for pk, code, names, described in rows}
        return PointRanks(points, frozenset(linked))

    return content_cache.per_version("point-ranks", build)


def name_rank(pk, code, names, *, wanted_code, key, typos):
    """How well a point's names match, for ordering: 0 its code is the one typed or ``key`` is one
    of its names, 1 a name starts with ``key``, 2 ``key`` is inside a name or the name is one typo
    away (``typos``), else 3 (only its text matches). ``names`` is its ``search_names``, " name
    name ... ", normalised as ``key`` is, so a whole name is " key "."""
    if wanted_code is not None and code == wanted_code:
        return 0
    # Most matches only mention it in their text: one test tells them apart.
    if key and key in names:
        return 0 if f" {key} " in names else 1 if f" {key}" in names else 2
    return 2 if pk in typos else 3


def rank_points(text, index, *, drafts=False):
    """The points that match ``text`` (published ones, or every point for staff: ``drafts``), best
    first: how well a name matches, then whether the point is used for back pain, then whether it
    is described, then code; never meridian order. The database finds them, through its text index,
    and answers their ids only; they are ranked here, from ``point_ranks``: as one ranking query,
    building and planning it cost more than finding the points, and it read every match's row again."""
    key = normalise_key(text)
    parsed = parse_code(text)
    wanted_code = parsed.code if parsed is not None else None
    typos = typo_matches(text, index)
    ranks = point_ranks()
    ranked = []
    for pk in matching_ids(**_wanted_points(text, index, typos, text_variants(text)[1:]), drafts=drafts):
        known = ranks.points.get(pk)
        if known is None:
            # Added since this request read the content version: the page is of that version.
            continue
        code, names, described = known
        rank = name_rank(pk, code, names, wanted_code=wanted_code, key=key, typos=typos)
        # Codes are unique, so the id that ends the tuple never decides.
        ranked.append((rank, pk not in ranks.back_pain, not described, code, pk))
    ranked.sort()
    return [RankedPoint(pk, code, rank) for rank, _back_pain, _described, code, pk in ranked]


KIND_LABELS = {
    "condition": "Condition",
    "area": "Body area",
    "safety": "Safety",
    "routine": "Routine",
    "point": "Point",
    "meridian": "Meridian",
    "guide": "Guide",
}
GROUPS = {
    "condition": "Conditions",
    "area": "Body areas",
    "safety": "Safety",
    "routine": "Routines",
    "point": "Points",
    "meridian": "Meridians",
    "guide": "Guides",
}


@dataclass
class Group:
    kind: str
    heading: str
    hits: list

    @property
    def anchor(self):
        """The id of the group's heading (the same ids as before the groups were ranked)."""
        return anchor(self.kind)


def anchor(kind):
    return "points-results" if kind == "point" else f"{kind}-results"


def arrange(hits):
    """The best hit, then the groups in the order of their best remaining hit, each ranked."""
    hits = sorted(hits, key=lambda hit: hit.key)
    if not hits:
        return None, []
    best, rest = hits[0], hits[1:]
    groups = {}
    for hit in rest:
        groups.setdefault(hit.kind, Group(hit.kind, GROUPS[hit.kind], [])).hits.append(hit)
    return best, list(groups.values())


# The pages found by their text besides points: each kind, its model and the field that names it.
TEXT_PAGE_KINDS = (("condition", Condition, "name"), ("safety", Precaution, "title"), ("guide", Guide, "title"))


@dataclass(frozen=True)
class TextPage:
    page: object  # the model, with what a hit shows: slug, name or title, summary, order
    published: bool
    text: str  # name or title, summary and body, casefolded


def text_pages():
    """{kind: [TextPage, ...]} in each model's order, drafts included (staff search them too),
    cached per content version."""

    def build():
        index = {}
        for kind, model, title in TEXT_PAGE_KINDS:
            rows = model.objects.values_list("pk", "slug", title, "summary", "order", "status", "body")
            index[kind] = [
                TextPage(
                    model(pk=pk, slug=slug, summary=summary, order=order, status=status, **{title: name}),
                    status == Status.PUBLISHED,
                    "\x1f".join((name, summary, body)).casefold(),
                )
                for pk, slug, name, summary, order, status, body in rows
            ]
        return index

    return content_cache.per_version("text-pages", build)


def pages_containing(kind, text, *, drafts=False):
    """The pages of ``kind`` whose name, summary or body contains ``text`` or one of its other
    word forms, ignoring case, as ``icontains`` would."""
    variants = [variant.casefold() for variant in text_variants(text)]
    return [
        entry.page
        for entry in text_pages()[kind]
        if (drafts or entry.published) and any(variant in entry.text for variant in variants)
    ]
