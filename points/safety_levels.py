"""The site's one safety language: a small, fixed set of levels, each in plain words with its
own colour and icon (static/css/site.css, "Safety levels"), used the same way on badges,
callouts and the safety pages. A precaution's stored kind maps onto one level.

Also what "one warning per reason" means: precautions that are about the same thing in the
reader's life (GB21's labour warning is about pregnancy) are said once on a point.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    key: str  # the CSS class suffix: level-<key>
    label: str  # what a reader sees
    rank: int  # lower is more urgent; safety pages are listed most urgent first


HELP = Level("help", "Get medical help first", 0)
AVOID = Level("avoid", "Do not press here", 1)
CARE = Level("care", "Take care", 2)
INFO = Level("info", "Good to know", 3)
LEVELS = (HELP, AVOID, CARE, INFO)

# Precaution.Kind values (stored) onto levels.
BY_KIND = {"doctor": HELP, "avoid": AVOID, "gentle": CARE}

# The red flags page leads every list of safety pages, whatever its order number.
FIRST = "red-flags"

# A precaution about the same reason as another, by slug: said together with it, once.
SAME_REASON_AS = {"gb21-labour": "pregnancy"}


def level_of(kind):
    return BY_KIND.get(kind, INFO)


def listing_order(precautions):
    """Safety pages as readers see them listed: red flags first, then the most urgent level, then order."""
    return sorted(precautions, key=lambda each: (each.slug != FIRST, level_of(each.kind).rank, each.order, each.title))


@dataclass
class Warning:
    """One reason's warning on a point: the first link of that reason, and the others said with it."""

    link: object
    also: list

    def __getattr__(self, name):  # the template reads note, concerns, steps... from the first link
        if name.startswith("_") or name in ("link", "also"):
            raise AttributeError(name)
        return getattr(self.link, name)

    @property
    def precautions(self):
        return [self.link.precaution, *(other.precaution for other in self.also)]

    @property
    def level(self):
        return min((level_of(each.kind) for each in self.precautions), key=lambda level: level.rank)


def one_per_reason(links):
    """Precaution links grouped so that each reason is said once, in the order they came."""
    grouped = {}
    for link in links:
        slug = link.precaution.slug
        reason = SAME_REASON_AS.get(slug, slug)
        if reason in grouped:
            grouped[reason].also.append(link)
        else:
            grouped[reason] = Warning(link, [])
    return list(grouped.values())
