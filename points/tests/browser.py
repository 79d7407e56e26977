"""What the browser tests share: one Chromium per test module (Playwright driving Debian's
Chromium), pages opened on the live test server, the small site they read, and screenshots
that are checked as well as kept for people to look at in test-artifacts/.

A test module uses the fixtures by importing them: ``from points.tests.browser import browser, new_page, site``.
"""

import os
import shutil
import struct

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


def screenshot(page, name, viewport, full_page=True):
    """Saves what the reader sees as test-artifacts/screenshots/<name>.png, and checks it is a page
    a reader could use: the site's stylesheet applied, a heading on screen, and the picture exactly
    as wide as the screen (a wider one means the page scrolls sideways)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    assert width == viewport["width"], f"{name}: {width} px wide on a {viewport['width']} px screen"
    assert height >= min(viewport["height"], 400), f"{name}: only {height} px tall"
    styled = page.evaluate("getComputedStyle(document.querySelector('.skip-link') || document.body).position")
    assert styled == "absolute", f"{name}: the site's stylesheet is not applied"
    assert page.locator("h1").first.is_visible(), f"{name}: no heading on screen"
    return path
