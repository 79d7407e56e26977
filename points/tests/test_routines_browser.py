"""Guided routines in a real browser: the timer, the keyboard, the CSP, axe, and the page without JavaScript.

Time is Playwright's controllable clock (``page.clock``), so the routine keeps
its real durations and the tests wait for nothing. Screenshots of the routine
page and of guided mode, at phone and desktop widths, go to test-artifacts/.
"""

import re

import pytest

from points.tests import browser as shared
from points.tests.browser import ARTIFACTS, SCREENSHOTS, screenshot
from points.tests.factories import make_routine

pytestmark = pytest.mark.browser

# The shared browser fixtures: one Chromium per module, the live server, the small site.
browser, new_page, site = shared.browser, shared.new_page, shared.site


PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
URL = "/routines/lower-back/"

# Collects CSP violations before any page script runs (init scripts are not subject to the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def routine(site):
    return make_routine(
        "lower-back",
        [(site["BL52"], "both", 45), (site["BL40"], "both", 30), (site["LI4"], "both", 30)],
        title="Five minutes for the lower back",
        summary="Three points in turn, both sides.",
        for_whom="For a stiff lower back.",
    )


@pytest.fixture
def watched(new_page):
    """A page whose console errors, uncaught errors and CSP violations are recorded."""

    def open_watched(**options):
        page = new_page(**options)
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.add_init_script(WATCH_CSP)
        page.problems = problems
        return page

    return open_watched


def pause_clock(page):
    """Fake time that moves only when a test says so: a busy machine must not make the countdown drift."""
    page.clock.install(time=0)
    page.clock.pause_at(1_000)


def start(page):
    pause_clock(page)
    page.goto(URL)
    page.get_by_role("button", name="Start the guided routine").click()
    return page.locator("[data-player]")


def countdown(page):
    return page.locator("[data-countdown]").inner_text()


def test_the_timer_counts_down_switches_sides_half_way_and_reaches_the_finish(routine, watched):
    page = watched(viewport=PHONE)
    player = start(page)

    assert player.is_visible()
    assert countdown(page) == "0:45"
    assert "Step 1 of 3: BL52" in page.locator("[data-progress]").inner_text()
    assert page.locator("[data-side]").inner_text() == "Left side"
    assert page.locator("#step-1").is_visible()
    assert page.locator("#step-2").is_hidden(), "one step at a time"
    assert page.locator("#step-1 .point-figure").is_visible(), "the picture comes with the step"

    page.clock.run_for(10_000)
    assert countdown(page) == "0:35"
    page.clock.run_for(36_000)
    assert page.locator("[data-side]").inner_text() == "Right side"
    cue = page.locator("[data-cue]")
    assert cue.is_visible()
    assert cue.inner_text() == "Switch sides: now the right side"
    page.clock.run_for(1_000)
    assert "Switch sides" in page.locator("[data-live]").inner_text()

    page.clock.run_for(45_000)
    assert "Step 2 of 3: BL40" in page.locator("[data-progress]").inner_text()
    assert page.locator("#step-2").is_visible() and page.locator("#step-1").is_hidden()
    page.clock.run_for(60_000 + 60_000 + 1_000)

    finish = page.locator("[data-finish]")
    assert finish.is_visible()
    assert "whole routine" in finish.get_by_role("heading").inner_text()
    assert player.is_hidden()
    assert page.evaluate("window.__cspViolations") == []
    assert page.problems == []


def test_space_pauses_and_resumes_and_the_arrow_keys_skip_and_go_back(routine, watched):
    page = watched(viewport=DESKTOP)
    start(page)
    page.clock.run_for(5_000)
    assert countdown(page) == "0:40"

    page.keyboard.press("Space")
    pause = page.locator('[data-action="pause"]')
    assert pause.inner_text() == "Resume"
    assert pause.get_attribute("aria-pressed") == "true"
    page.clock.run_for(20_000)
    assert countdown(page) == "0:40", "a paused timer stands still"
    page.keyboard.press("Space")
    assert pause.inner_text() == "Pause"
    page.clock.run_for(5_000)
    assert countdown(page) == "0:35"

    page.keyboard.press("ArrowRight")
    assert "Step 2 of 3: BL40" in page.locator("[data-progress]").inner_text()
    assert countdown(page) == "0:30"
    page.keyboard.press("ArrowRight")
    assert "Step 3 of 3: LI4" in page.locator("[data-progress]").inner_text()
    page.keyboard.press("ArrowLeft")
    assert "Step 2 of 3: BL40" in page.locator("[data-progress]").inner_text()
    page.clock.run_for(1_000)
    assert "Step 2 of 3" in page.locator("[data-live]").inner_text(), "step changes are announced"

    page.get_by_role("button", name="Skip").click()
    page.get_by_role("button", name="Skip").click()
    assert page.locator("[data-finish]").is_visible()
    page.get_by_role("button", name="Start again").click()
    assert "Step 1 of 3" in page.locator("[data-progress]").inner_text()
    page.get_by_role("button", name="Stop").click()
    assert page.locator("#step-1").is_visible() and page.locator("#step-3").is_visible()
    assert page.evaluate("document.activeElement.dataset.action") == "start"
    assert page.problems == []
    assert page.evaluate("window.__cspViolations") == []


def test_without_a_precaution_guided_mode_skips_those_steps_too(routine, watched):
    page = watched(viewport=PHONE)
    pause_clock(page)
    page.goto(f"{URL}?without=pregnancy")
    assert "Left out for pregnancy" in page.locator(".notice-without").inner_text()
    page.get_by_role("button", name="Start the guided routine").click()

    assert "Step 1 of 1: BL40" in page.locator("[data-progress]").inner_text()
    page.keyboard.press("ArrowRight")
    assert page.locator("[data-finish]").is_visible()


def test_with_reduced_motion_the_switch_cue_does_not_move(routine, watched):
    page = watched(viewport=PHONE, reduced_motion="reduce")
    start(page)
    page.clock.run_for(46_000)
    assert page.locator("[data-cue]").is_visible()
    assert page.locator("[data-cue]").evaluate("element => getComputedStyle(element).animationName") == "none"


def test_axe_finds_nothing_on_the_routine_page_in_guided_mode_and_at_the_finish(routine, watched):
    from axe_playwright_python.sync_playwright import Axe

    failures = {}
    for label, options in (("light", {}), ("dark", {"color_scheme": "dark"})):
        page = watched(viewport=PHONE, **options)
        # Time flows here (axe waits on its own timers); no countdown value is checked.
        page.clock.install()
        for state in ("page", "guided", "finish"):
            if state == "page":
                page.goto(URL)
            elif state == "guided":
                page.get_by_role("button", name="Start the guided routine").click()
                page.clock.run_for(46_000)
            else:
                for _ in range(3):
                    page.keyboard.press("ArrowRight")
            results = Axe().run(page)
            if results.violations_count:
                failures[f"{label} {state}"] = results.violations_count
                print(f"--- {label} {state}\n{results.generate_report()}")
        assert page.problems == []
    page = watched(viewport=DESKTOP)
    page.goto("/routines/")
    results = Axe().run(page)
    if results.violations_count:
        failures["list"] = results.violations_count
        print(results.generate_report())
    assert failures == {}


def test_with_javascript_off_every_step_is_on_the_page_and_there_is_no_start_button(routine, new_page):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(URL)

    steps = page.locator(".routine-step")
    assert steps.count() == 3
    for number, code in enumerate(("BL52", "BL40", "LI4"), 1):
        step = page.locator(f"#step-{number}")
        assert step.is_visible()
        assert step.get_by_role("link", name=re.compile(code)).is_visible()
        assert step.locator(".point-figure").is_visible()
        assert "each side" in step.locator(".routine-step-time").inner_text()
    assert page.get_by_role("button", name="Start the guided routine").count() == 0 or (
        page.get_by_role("button", name="Start the guided routine").is_hidden()
    )
    assert page.locator("[data-player]").is_hidden()
    warnings = page.locator(".callout-warning")
    assert warnings.is_visible()
    assert warnings.bounding_box()["y"] < page.locator("#step-1").bounding_box()["y"]
    assert page.locator(".medical-notice").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Leave out points to avoid with").select_option("pregnancy")
    page.get_by_role("button", name="Show the routine").click()
    page.wait_for_load_state()
    assert page.locator(".routine-step").count() == 1


def test_the_routine_prints_as_one_card(routine, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(URL)
    page.emulate_media(media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "routine-print.png", full_page=True)

    assert page.locator(".site-header").is_hidden()
    assert page.locator(".callout-warning").is_visible()
    assert page.locator(".routine-step").count() == 3
    assert page.locator(".guided-start").is_hidden()
    pdf = page.pdf(path=ARTIFACTS / "routine-print.pdf", format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1, f"the routine printed on {pages} pages"


def test_screenshots_of_the_routine_page_and_guided_mode_at_phone_and_desktop_widths(routine, new_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        pause_clock(page)
        page.goto(URL)
        screenshot(page, f"routine-{label}", viewport)
        page.get_by_role("button", name="Start the guided routine").click()
        page.clock.run_for(46_000)
        screenshot(page, f"routine-guided-{label}", viewport, full_page=False)
        page.goto("/routines/?without=pregnancy")
        screenshot(page, f"routine-list-{label}", viewport)


@pytest.fixture
def real_content(transactional_db):
    from django.core.management import call_command

    call_command("load_content", verbosity=0)


def test_a_new_reader_on_a_phone_follows_the_lower_back_routine_from_the_home_page_to_the_end(real_content, watched):
    page = watched(viewport=PHONE, is_mobile=True, has_touch=True)
    pause_clock(page)
    page.goto("/")
    page.get_by_role("link", name="Five minutes for the lower back").click()
    page.wait_for_url("**/routines/lower-back-five-minutes/")

    warnings = page.locator("#routine-warnings").locator("xpath=..")
    assert warnings.get_by_role("link", name="Pregnancy").is_visible()
    assert "Steps 1 (BL23) and 2 (BL52)." in warnings.inner_text()
    page.get_by_role("button", name="Start the guided routine").click()

    seen = []
    for _ in range(8):
        progress = page.locator("[data-progress]").inner_text()
        side = page.locator("[data-side]").inner_text()
        seen.append((progress.split(":")[0], side, countdown(page)))
        seconds = int(countdown(page).split(":")[1]) + 60 * int(countdown(page).split(":")[0])
        page.clock.run_for(seconds * 1000 + 100)
    assert seen == [
        ("Step 1 of 4", "Left side", "0:45"),
        ("Step 1 of 4", "Right side", "0:45"),
        ("Step 2 of 4", "Left side", "0:45"),
        ("Step 2 of 4", "Right side", "0:45"),
        ("Step 3 of 4", "Left side", "0:30"),
        ("Step 3 of 4", "Right side", "0:30"),
        ("Step 4 of 4", "Left side", "0:30"),
        ("Step 4 of 4", "Right side", "0:30"),
    ]
    assert page.locator("[data-finish]").is_visible()
    assert page.problems == []
    assert page.evaluate("window.__cspViolations") == []


def test_the_real_lower_back_routine_without_javascript_lists_every_step_and_prints_on_one_page(real_content, new_page):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/conditions/lower-back-pain/")
    page.get_by_role("link", name="Five minutes for the lower back").click()
    page.wait_for_load_state()
    assert page.locator(".routine-step").count() == 4
    for code in ("BL23", "BL52", "BL40", "SI3"):
        assert page.locator(".routine-step", has=page.get_by_role("link", name=re.compile(code))).is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "routine-real-nojs-phone.png", full_page=True)

    page.goto("/routines/lower-back-five-minutes/?without=pregnancy")
    assert page.locator(".routine-step").count() == 2

    page = new_page(viewport=DESKTOP)
    page.goto("/routines/lower-back-five-minutes/")
    page.screenshot(path=SCREENSHOTS / "routine-real-desktop.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "routine-real-print.png", full_page=True)
    pdf = page.pdf(path=ARTIFACTS / "routine-real-print.pdf", format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1, f"the lower-back routine printed on {pages} pages"
