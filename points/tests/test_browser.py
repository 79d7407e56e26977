"""A reader in a real browser: Playwright driving Debian's Chromium against the live test server.

Run alone with ``pytest points/tests/test_browser.py -p no:logging``; skipped
with a reason when ``chromium`` is not on the PATH (``apt-get install -y
chromium``; Playwright's own browser download does not work on our machines).
Screenshots of every page type at phone and desktop widths, and a printed
point page, are written to test-artifacts/ for people to look at.
"""

import os
import re
import shutil

import pytest
from django.conf import settings

from points.models import Alias, Point, Precaution
from points.tests.factories import (
    link_condition,
    link_precaution,
    make_alias,
    make_body_areas,
    make_condition,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
SMALL_PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

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


@pytest.fixture(scope="module")
def browser():
    """One Chromium for all the browser tests.

    Module-scoped rather than session-scoped on purpose: Playwright's sync API
    keeps an asyncio loop running in the main thread while it is started, which
    trips Django's async-safety check (hence DJANGO_ALLOW_ASYNC_UNSAFE, set only
    meanwhile) and would break any later test that calls asyncio.run(). Every
    browser test lives in this module, so it is still one browser per run.
    """
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (one per call, closed after the test) at the live server."""
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


LONG_TEXT = (
    "Sit or lie comfortably. Press straight in with the pad of your thumb, firmly enough to feel a deep ache "
    "but never sharp pain, and hold for one to two minutes while breathing slowly. Then do the other side."
)


@pytest.fixture
def site(transactional_db, site_pages):
    """A small site with every page type: the points a back-pain reader meets, with their real warnings."""
    make_body_areas()
    pregnancy = make_precaution(
        "pregnancy",
        title="Pregnancy",
        badge="Not in pregnancy",
        summary="If you are pregnant, do not press the points tradition says may bring on labor, and ask your "
        "midwife or doctor before using acupressure.",
        body="Studies have not shown harm, but self-pressure in pregnancy is untested.",
    )
    varicose = make_precaution("varicose-veins", title="Varicose veins", badge="Not on varicose veins")
    labour = make_precaution("gb21-labour", title="GB21 and labor", badge="Avoid in pregnancy")
    low_back = make_condition(
        "lower-back-pain", name="Lower back pain", summary="Lower back pain is common and usually settles."
    )
    sciatica = make_condition("sciatica", name="Sciatica", summary="Pain that travels from the lower back down a leg.")
    who = make_source(slug="who-2008", kind="standard", title="WHO standard acupuncture point locations")

    def point(code, pinyin, english, areas, figure, **fields):
        view, x, y = figure
        return make_point(
            code,
            pinyin=pinyin,
            english_name=english,
            areas=areas,
            figure_view=view,
            figure_x=x,
            figure_y=y,
            summary=f"{english}: a point used in acupressure for back pain.",
            location=f"The standard location of {code}, given in cun. *Source: [[source:who-2008]]*",
            finding="Four finger widths from the landmark, in a slight hollow that feels tender when pressed.",
            pressing=LONG_TEXT,
            **fields,
        )

    li4 = point("LI4", "Hegu", "Union Valley", ["hand"], ("hand", 77, 121), pinyin_tones="Hégǔ")
    li4.hanzi_traditional = "合谷"
    li4.save()
    sp6 = point("SP6", "Sanyinjiao", "Three Yin Intersection", ["leg"], ("front", 107, 354))
    gb21 = point("GB21", "Jianjing", "Shoulder Well", ["shoulder"], ("back", 121.5, 76))
    bl23 = point("BL23", "Shenshu", "Kidney Shu", ["lower-back"], ("back", 107.5, 150))
    bl52 = point("BL52", "Zhishi", "Will Chamber", ["lower-back"], ("back", 115, 150), pinyin_tones="Zhìshì")
    bl47 = point("BL47", "Hunmen", "Ethereal Soul Gate", ["upper-back"], ("back", 115, 120))
    bl40 = point("BL40", "Weizhong", "Middle of the Crook", ["knee"], ("back", 116, 289.5))
    gb30 = point("GB30", "Huantiao", "Jumping Round", ["sacrum-buttock"], ("back", 118, 190))
    make_point("BL1", described=False, pinyin="Jingming", english_name="Bright Eyes")
    for each in (li4, sp6, gb21, bl23, bl52, bl47, bl40, gb30):
        each.sources.add(who)
    make_alias(bl52, "Zhishi", kind=Alias.Kind.PINYIN)

    link_precaution(
        li4,
        pregnancy,
        "In the web between your thumb and index finger; nearly every list names it because tradition credits "
        "it with helping labor along. Needling studies have not shown it starts labor, but skip it while pregnant.",
    )
    link_precaution(
        sp6,
        pregnancy,
        "On the inner lower leg, four finger widths above the inner ankle bone, just behind the shinbone; nearly "
        "every list names it, since tradition links it to the womb. It is also popular for period pain, so check "
        "any routine you follow.",
    )
    link_precaution(sp6, varicose, "Close to the path of a large surface vein that often becomes varicose.")
    link_precaution(
        gb21,
        pregnancy,
        "On top of the shoulder; tradition keeps it off-limits in pregnancy in the belief that it can trigger "
        "contractions. Research has not confirmed this, but leave it alone as a precaution, and ask anyone "
        "massaging your shoulders not to press hard here.",
    )
    link_precaution(gb21, labour, "Never use it to try to start your own labor.")
    link_precaution(bl52, pregnancy, "Lower back points are traditionally avoided in pregnancy.")

    for each in (bl23, bl52, bl40):
        link_condition(each, low_back, "Traditionally used for lower back pain.", source=who)
    for each in (bl52, bl40, gb30):
        link_condition(each, sciatica, "Traditionally used for sciatica.", source=who)
    assert Precaution.objects.count() == 5
    return {point.code: point for point in Point.objects.all()}


def card_codes(page):
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
    assert card_codes(page) == ["BL23", "BL52"]

    page.get_by_label("Used for", exact=True).select_option("sciatica")
    page.get_by_role("button", name="Show points").click()
    assert card_codes(page) == ["BL52"]
    page.get_by_role("link", name="Remove filter Area: Lower back").click()
    assert card_codes(page) == ["BL40", "BL52", "GB30"]

    page.get_by_role("link", name="BL52 Zhìshì").click()
    assert page.locator(".callout-warning").is_visible()
    assert page.get_by_role("img", name="BL52 marked on the body, back").is_visible()

    page.get_by_role("search").first.get_by_role("searchbox").fill("b47")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    assert page.url.endswith("/points/bl52/?via=b47")
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "point-where-and-how-phone.png", full_page=True)


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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", {"width": 375, "height": 812}), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        for name, path in PAGE_TYPES.items():
            page.goto(path)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
            assert (SCREENSHOTS / f"{name}-{label}.png").stat().st_size > 0


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
