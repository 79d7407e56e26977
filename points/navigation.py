"""The content pages the layout and the templates link to, as data: the header's red-flag strip,
the footer, and the pages sentences on other pages point to (``page_urls.evidence``...).

Each entry names a page by its kind and slug; a content test checks that every one of them
exists and is published in fixtures/, so a renamed page cannot leave a dead link on every page.
"""

from points.addresses import page_url as address

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
# Pages templates link to by name, as {{ page_urls.<name> }}: (kind, slug).
LINKED_PAGES = {
    "red_flags": ("safety", "red-flags"),
    "pregnancy": ("safety", "pregnancy"),
    "how_to_press": ("guide", "how-to-press"),
    "measuring_in_cun": ("guide", "measuring-in-cun"),
    "evidence": ("guide", "evidence"),
}
# Guides drawn with a figure above their text: slug -> (figure template, caption).
GUIDE_FIGURES = {
    "measuring-in-cun": ("points/figures/cun.html", "Finger measurements for cun, using your own hand."),
}
# The header's sections: (section, link text); a section's list and detail pages mark it as current.
MAIN_NAV = (("point", "Points"), ("condition", "Conditions"), ("meridian", "Meridians"), ("safety", "Safety"),
            ("guide", "Guides"))  # fmt: skip
# Site sections, not content pages: (URL name, link text).
FOOTER_SECTIONS = (("points:source-list", "Sources"), ("points:search", "Search"))

URL_NAMES = {"safety": "points:safety-detail", "guide": "points:guide-detail"}


def page_url(kind, slug):
    return address(URL_NAMES[kind], slug=slug)


def every_linked_page():
    """Every (kind, slug) some layout or template links to: each must exist and be published."""
    linked = {(kind, slug) for kind, slug, _text in (RED_FLAGS, *FOOTER_PAGES)} | set(LINKED_PAGES.values())
    return linked | {("guide", slug) for slug in GUIDE_FIGURES}


def layout_links(current_url_name=""):
    """What templates need: the header's sections as (url, text, whether the page is in it), the
    red-flag strip's link and the footer's links as (url, text), the search form's and the point
    list's addresses, and page_urls."""
    kind, slug, text = RED_FLAGS
    return {
        "main_nav": [
            (address(f"points:{section}-list"), text, current_url_name in (f"{section}-list", f"{section}-detail"))
            for section, text in MAIN_NAV
        ],
        "home_url": address("points:home"),
        "point_list_url": address("points:point-list"),
        "search_url": address("points:search"),
        "red_flags_link": (page_url(kind, slug), text),
        "footer_links": [(page_url(kind, slug), text) for kind, slug, text in FOOTER_PAGES]
        + [(address(name), text) for name, text in FOOTER_SECTIONS],
        "page_urls": {name: page_url(kind, slug) for name, (kind, slug) in LINKED_PAGES.items()},
    }
