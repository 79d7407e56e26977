"""The way in, in a real browser: the home page's first screen on a phone, tap-target sizes,
the filters' tab order on a desktop, clean filter URLs, axe, and screenshots to look at."""

import pytest

from points.tests import browser as shared
from points.tests.browser import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser

# The shared browser fixtures: one Chromium per module, the live server, the small site.
browser, new_page, site = shared.browser, shared.new_page, shared.site


PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
MIN_TARGET = 44
PAGES = {"home": "/", "safety": "/safety/", "point-warnings": "/points/gb21/", "lower-back": "/points/?area=lower-back"}
# Where the tap targets are checked: the whole page, except on the point page (its body is the
# point page's own work), where the header, the footer and the warning badges are.
TARGET_SCOPES = {"point-warnings": "body > header,body > footer,.badges"}

# Every link and control on screen, except the body map's regions (each has a full-size chip in
# the list of areas beside the map), the skip link (off screen until focused), and links inside a
# sentence (WCAG 2.5.5's inline exception).
TARGET_SELECTOR = (
    ":is(a[href], button, input:not([type=hidden]):not([type=checkbox]), select, summary, .checkbox-list label)"
)
TARGETS = """
([scope, selector]) => [...document.querySelectorAll(scope.split(",").map((s) => `${s} ${selector}`).join(","))]
  .filter((el) => !el.closest(".map-area") && !el.classList.contains("skip-link"))
  .filter((el) => !(el.tagName === "A" && el.parentElement.closest("p:not(.red-flag-strip):not(.filter-jump), dd, td")))
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .map((el) => { const r = el.getBoundingClientRect();
    return {text: (el.innerText || el.value || el.name || "").trim().slice(0, 40), tag: el.tagName,
            width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10}; })
"""


def phone_page(new_page, **options):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, **options)


def test_the_first_screen_of_home_on_a_phone_offers_what_hurts_where_and_the_search(site, new_page):
    page = phone_page(new_page)
    page.goto("/")
    for locator in (
        page.get_by_role("link", name="Lower back pain", exact=True),
        page.get_by_role("link", name="Sciatica", exact=True),
        page.locator(".home-start").get_by_role("link", name="Lower back", exact=True),
        page.locator(".home-start").get_by_role("link", name="Upper back", exact=True),
        page.get_by_role("searchbox", name="Search points, conditions and safety pages"),
    ):
        box = locator.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= PHONE["height"], f"{locator} ends at {box['y'] + box['height']} px"


def test_two_taps_from_home_reach_a_lower_back_point(site, new_page):
    page = phone_page(new_page)
    page.goto("/")
    page.locator(".home-start").get_by_role("link", name="Lower back", exact=True).click()
    page.wait_for_url("**/points/?area=lower-back")
    page.locator(".cards a").first.click()
    page.wait_for_url("**/points/bl*/")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_tap_target_is_at_least_44_by_44_pixels_on_a_phone(site, new_page, name):
    page = phone_page(new_page)
    page.goto(PAGES[name])
    targets = page.evaluate(TARGETS, [TARGET_SCOPES.get(name, "body"), TARGET_SELECTOR])
    assert targets
    small = [t for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
    assert small == []


def test_each_body_map_region_has_a_full_size_chip_beside_the_map(site, new_page):
    page = phone_page(new_page)
    page.goto("/")
    slugs = {
        href.split("area=")[1]
        for href in page.locator(".map-area").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    }
    for slug in slugs:
        chip = page.locator(f'.map-list a[href$="area={slug}"]')
        box = chip.bounding_box()
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, slug


def test_on_a_desktop_the_first_tab_into_the_list_reaches_the_filters(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto("/points/?area=lower-back")
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Change the filters"
    assert page.locator(".filter-jump a").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q"
    # The filters are on the left, the results on the right.
    filters, results = page.locator(".list-filters").bounding_box(), page.locator(".list-results").bounding_box()
    assert filters["x"] < results["x"]


@pytest.mark.parametrize("javascript", [True, False])
def test_submitting_the_filters_gives_a_url_with_only_the_parameters_in_use(site, new_page, javascript):
    page = new_page(viewport=DESKTOP, java_script_enabled=javascript)
    requested = []
    page.on("request", lambda request: requested.append(request.url) if "/points/?" in request.url else None)
    page.goto("/points/")
    page.locator(".filter-form").get_by_label("Lower back").check()
    page.locator(".filter-form").get_by_role("button", name="Show points").click()
    page.wait_for_url("**/points/?area=lower-back")
    assert page.url.endswith("/points/?area=lower-back")
    if javascript:  # the module drops the empty fields before the form is sent: no redirect needed
        assert all(url.endswith("/points/?area=lower-back") for url in requested), requested
    else:  # the server redirects the form's ?q=&area=lower-back&meridian=... to the clean URL
        assert any("q=" in url for url in requested), requested


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_way_in_passes_axe(site, new_page, scheme):
    from axe_playwright_python.sync_playwright import Axe

    failures = {}
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport, color_scheme=scheme)
        for name, path in PAGES.items():
            page.goto(path)
            results = Axe().run(page)
            if results.violations_count:
                failures[f"{name} {viewport['width']}"] = results.violations_count
                print(results.generate_report())
    assert failures == {}


def test_screenshots_of_the_way_in_at_phone_and_desktop_widths(site, new_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        for name, path in PAGES.items():
            page.goto(path)
            screenshot(page, f"ux-home-{name}-{label}", viewport, full_page=False)
            screenshot(page, f"ux-home-{name}-{label}-full", viewport)
