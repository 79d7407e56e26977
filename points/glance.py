"""The at-a-glance block at the top of a point page, derived from what editors already wrote.

Nothing here is new content: "where" is the first clause of the summary, and
how hard, how long and how often are phrases lifted from the pressing text, so
the block can never disagree with the sections below it. A phrase that is not
found is left out rather than guessed.
"""

import re

from django.utils.html import strip_tags

PRESSURE = re.compile(
    r"\b(?:(?:very )?(?:light|gentle|gently|moderate|moderately|firm|firmly|strong)"
    r"(?: (?:to|or) (?:light|gentle|gently|moderate|moderately|firm|firmly))?)\b"
    r"(?: pressure)?"
    r"(?:,? (?:but )?(?:never|not) (?:hard|painful(?:ly)?|hurts?)| that (?:never hurts|feels strong but not painful))?",
    re.IGNORECASE,
)
DURATION = re.compile(
    r"\bfor (?:about |up to )?(\d+(?: seconds?)?(?: (?:to|or) \d+)? (?:seconds?|minutes?))", re.IGNORECASE
)
FREQUENCY = re.compile(
    r"\b((?:once|twice|(?:one|two|three|a few|several) (?:or|to) (?:two|three|four|more) times|once or twice"
    r"|(?:two|three|a few|several) times) a day)\b",
    re.IGNORECASE,
)


def _first(pattern, text):
    match = pattern.search(text)
    if not match:
        return ""
    found = match.group(1) if pattern.groups else match.group(0)
    return found[0].upper() + found[1:]


def at_a_glance(point):
    """Where, how hard, how long, how often: a dict of short phrases, empty ones left out."""
    pressing = strip_tags(point.pressing_html or "")
    where = point.summary.split(";")[0].strip().rstrip(".") if point.summary else ""
    rows = {
        "where": where,
        "pressure": _first(PRESSURE, pressing),
        "duration": _first(DURATION, pressing),
        "frequency": _first(FREQUENCY, pressing),
    }
    return {key: value for key, value in rows.items() if value}
