"""The content pages every layout links to, as data: the header's red-flag strip and the footer.

Each entry names a page by its kind and slug; a content test checks that every one of them
exists and is published in fixtures/, so a renamed page cannot leave a dead link on every page.
"""

from django.urls import reverse

# (kind, slug, link text). Kinds: "safety" (a precaution), "guide".
RED_FLAGS = (
    "safety",
    "red-flags",
    "Back pain with numbness, bladder or bowel changes or fever? See a doctor now: red flags",
)
FOOTER_PAGES = (
    ("safety", "red-flags", "Red flags: when to see a doctor"),
    ("safety", "general-precautions", "Before you press: general precautions"),
    ("guide", "how-to-press", "How to press a point"),
    ("guide", "evidence", "What the evidence says"),
)
# Site sections, not content pages: (URL name, link text).
FOOTER_SECTIONS = (("points:source-list", "Sources"), ("points:search", "Search"))

URL_NAMES = {"safety": "points:safety-detail", "guide": "points:guide-detail"}


def page_url(kind, slug):
    return reverse(URL_NAMES[kind], kwargs={"slug": slug})


def layout_links():
    """What base.html needs: the red-flag strip's link and the footer's links, as (url, text)."""
    kind, slug, text = RED_FLAGS
    return {
        "red_flags_link": (page_url(kind, slug), text),
        "footer_links": [(page_url(kind, slug), text) for kind, slug, text in FOOTER_PAGES]
        + [(reverse(name), text) for name, text in FOOTER_SECTIONS],
    }
