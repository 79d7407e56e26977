"""A reader in a real browser: Playwright driving Debian's Chromium against the live test server.

Run alone with ``pytest points/tests/test_browser.py -p no:logging``; skipped
with a reason when ``chromium`` is not on the PATH (``apt-get install -y
chromium``; Playwright's own browser download does not work on our machines).
Screenshots of every page type at phone and desktop widths, and a printed
point page, are written to test-artifacts/ for people to look at.
"""

import re

import pytest

from points.tests import browser as shared
from points.tests.browser import ARTIFACTS, DESKTOP, PHONE, SCREENSHOTS, SMALL_PHONE, screenshot

pytestmark = pytest.mark.browser

# The shared browser fixtures: one Chromium per module, the live server, the small site.
browser, new_page, page, site = shared.browser, shared.new_page, shared.page, shared.site

# One of each page type, as a reader reaches it.
PAGE_TYPES = {
    "home": "/",
    "point-list-filtered": "/points/?area=lower-back&condition=sciatica",
    "point": "/points/bl52/",
    "meridian-list": "/meridians/",
    "meridian": "/meridians/bl/",
    "condition": "/conditions/lower-back-pain/",
    "safety": "/safety/pregnancy/",
    "guide": "/guides/measuring-in-cun/",
    "search": "/search/?q=back",
    "not-found": "/no-such-page/",
    "point-not-found": "/points/zz9/",
}
NOT_FOUND = {"not-found", "point-not-found"}


def card_codes(page):
    # A click that follows a link or submits a form returns once the next page starts loading;
    # its cards are counted only when it has loaded.
    page.wait_for_load_state()
    return sorted(page.locator(".cards .point-card-title .code").all_inner_texts())


def test_clicking_the_lower_back_on_the_body_map_lists_only_lower_back_points(site, page):
    page.goto("/")
    page.locator('svg[aria-label="Body map, back"] a.map-area[href$="area=lower-back"]').click()

    page.wait_for_url(re.compile(r"/points/\?area=lower-back$"))
    assert card_codes(page) == ["BL23", "BL52"]
    assert page.locator(".results-count").inner_text() == "2 points"
    assert page.locator(".active-filters").get_by_text("Area: Lower back").is_visible()
    assert page.locator('a.map-area.is-active[aria-current="true"][href$="area=lower-back"]').count() == 1


def test_filters_combine_and_each_can_be_removed_on_its_own(site, page):
    page.goto("/points/")
    page.get_by_label("Lower back", exact=True).check()
    page.get_by_label("Used for", exact=True).select_option("sciatica")
    page.get_by_role("button", name="Show points").click()

    assert card_codes(page) == ["BL52"]
    page.get_by_role("link", name="Remove filter Area: Lower back").click()

    page.wait_for_url(re.compile(r"condition=sciatica"))
    assert "condition=sciatica" in page.url
    assert "area=" not in page.url
    assert card_codes(page) == ["BL40", "BL52", "GB30"]
    assert page.get_by_label("Used for", exact=True).input_value() == "sciatica"
    page.get_by_role("link", name="Remove filter Used for: Sciatica").click()

    assert card_codes(page) == ["BL23", "BL40", "BL47", "BL52", "GB21", "GB30", "LI4", "SP6"]
    assert page.locator(".active-filters").count() == 0


def test_a_reader_opens_a_point_from_the_list_and_sees_where_it_is(site, page):
    page.goto("/points/?area=lower-back")
    page.get_by_role("link", name="BL52 Zhìshì").click()

    page.wait_for_url("**/points/bl52/")
    assert page.locator("h1").inner_text().startswith("BL52 Zhìshì")
    assert page.locator(".callout-warning").get_by_role("link", name="Pregnancy").is_visible()
    figure = page.get_by_role("img", name="BL52 marked on the body, back, on both sides")
    assert figure.is_visible()
    assert figure.locator("circle.figure-marker").count() == 2, "a point on both sides is marked on both"


def test_an_old_bladder_code_lands_on_the_who_point_with_a_note(site, page):
    response = page.goto("/points/b47/")

    assert response.ok
    assert page.url.endswith("/points/bl52/?via=b47")
    note = page.locator(".notice-arrival")
    assert "older Bladder numbering" in note.inner_text()
    assert "BL52" in note.inner_text()
    note.get_by_role("link", name="BL47 Hunmen").click()
    page.wait_for_url("**/points/bl47/")


def test_the_filter_form_works_by_keyboard_alone(site, page):
    page.goto("/points/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the focused skip link must be on screen"

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("selector => document.activeElement.matches(selector)", selector):
                return
        pytest.fail(f"Tab never reached {selector}")

    tab_to('input[name="area"][value="lower-back"]')
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus must be visible"
    page.keyboard.press("Space")
    assert page.get_by_label("Lower back", exact=True).is_checked()
    tab_to('.filter-form button[type="submit"]')
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"area=lower-back"))
    assert card_codes(page) == ["BL23", "BL52"]


def test_the_key_pages_work_without_javascript(site, new_page):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/")
    page.locator('.map-list a[href$="area=lower-back"]').click()
    page.wait_for_url(re.compile(r"/points/\?area=lower-back$"))
    assert card_codes(page) == ["BL23", "BL52"]

    page.get_by_label("Used for", exact=True).select_option("sciatica")
    page.get_by_role("button", name="Show points").click()
    page.wait_for_url(re.compile(r"area=lower-back.*condition=sciatica"))
    assert card_codes(page) == ["BL52"]
    page.get_by_role("link", name="Remove filter Area: Lower back").click()
    page.wait_for_url(re.compile(r"/points/\?condition=sciatica$"))
    assert card_codes(page) == ["BL40", "BL52", "GB30"]

    page.get_by_role("link", name="BL52 Zhìshì").click()
    page.wait_for_url("**/points/bl52/")
    assert page.locator(".callout-warning").is_visible()
    assert page.get_by_role("img", name="BL52 marked on the body, back").is_visible()

    page.get_by_role("search").first.get_by_role("searchbox").fill("b47")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    page.wait_for_url("**/points/bl52/?via=b47")
    assert "older Bladder numbering" in page.locator(".notice-arrival").inner_text()

    page.goto("/no-such-page/")
    assert page.locator("h1").inner_text() == "We could not find that page"


@pytest.mark.parametrize("code", ["li4", "sp6", "gb21"])
def test_a_pregnant_reader_on_a_phone_sees_the_warning_without_scrolling(site, new_page, code):
    page = new_page(viewport=SMALL_PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"/points/{code}/")

    warning = page.locator(".callout-warning li.warning", has=page.locator('a[href="/safety/pregnancy/"]'))
    assert warning.is_visible()
    box = warning.bounding_box()
    assert box["y"] + box["height"] <= SMALL_PHONE["height"], (
        f"the pregnancy warning on {code} ends at {box['y'] + box['height']:.0f}px, below the first screen"
    )
    assert "⚠" in page.locator(".callout-warning h2").inner_text(), "a warning is never shown by colour alone"
    figure = page.locator(".point-figure").bounding_box()
    assert figure["y"] < 2 * SMALL_PHONE["height"], "the picture of the point comes early on a phone"


def test_a_point_page_says_where_and_how_within_the_first_two_screens_of_a_phone(site, new_page):
    screen = {"width": 375, "height": 800}
    page = new_page(viewport=screen, is_mobile=True, has_touch=True)
    page.goto("/points/bl52/")

    def top(selector):
        return page.locator(selector).first.bounding_box()["y"]

    order = ["#point-warnings", "#glance-heading", ".point-figure", "#where-heading", "#press-heading"]
    tops = [top(selector) for selector in order]
    assert tops[0] < tops[1] < tops[3] < tops[4], dict(zip(order, tops, strict=True))
    assert tops[2] < tops[4], "the picture comes before how to press"
    assert top("#press-heading") < 2 * screen["height"], "How to press it starts within two screens"
    assert top("#press-heading") < top("#location-heading"), "the standard WHO location follows"
    screenshot(page, "point-where-and-how-phone", screen)


def test_no_page_scrolls_sideways_on_a_375_pixel_phone(site, new_page):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    wide = {}
    for name, path in {**PAGE_TYPES, "point-li4": "/points/li4/", "point-list": "/points/"}.items():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
    assert wide == {}, f"pages wider than {PHONE['width']} px: {wide}"


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_passes_axe(site, page, name):
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(PAGE_TYPES[name])
    assert response.status == (404 if name in NOT_FOUND else 200)

    results = Axe().run(page)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, f"axe found {results.violations_count} violation(s) on {name}"


def test_every_page_type_passes_axe_in_dark_mode_on_a_phone(site, new_page):
    from axe_playwright_python.sync_playwright import Axe

    page = new_page(viewport=PHONE, color_scheme="dark", is_mobile=True, has_touch=True)
    failures = {}
    for name, path in PAGE_TYPES.items():
        page.goto(path)
        results = Axe().run(page)
        if results.violations_count:
            failures[name] = results.violations_count
            print(f"--- {name} (dark, phone)\n{results.generate_report()}")
    assert failures == {}, f"axe violations in dark mode: {failures}"


def test_screenshots_of_every_page_type_at_phone_and_desktop_widths(site, new_page):
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        for name, path in PAGE_TYPES.items():
            page.goto(path)
            screenshot(page, f"{name}-{label}", viewport)


def test_a_point_page_prints_as_a_one_page_card(site, page):
    page.goto("/points/gb21/")
    page.emulate_media(media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "point-print.png", full_page=True)

    assert page.locator(".site-header").is_hidden()
    assert page.locator(".callout-warning").is_visible()
    assert page.locator(".point-figure").is_visible()
    pdf = page.pdf(path=ARTIFACTS / "point-print.pdf", format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1, f"the point page printed on {pages} pages"
