"""Guided routines: steps in order, computed totals, warnings derived from the points, and ``without=``."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given
from hypothesis import strategies as st

from points.models import Point, PointPrecaution, Routine, RoutineStep, Status
from points.tests.factories import (
    admin_form_data,
    link_precaution,
    make_condition,
    make_point,
    make_precaution,
    make_reviewer,
    make_routine,
    make_source,
)
from points.tests.test_fuzz import fuzz, segments, valid_or
from points.wording import format_duration

pytestmark = pytest.mark.django_db


@pytest.fixture
def back(site_pages):
    """A lower-back routine of three points: two carry the pregnancy warning, one the varicose-veins warning."""
    pregnancy = make_precaution("pregnancy", title="Pregnancy", badge="Not in pregnancy", order=1)
    varicose = make_precaution("varicose-veins", title="Varicose veins", badge="Not on varicose veins", order=2)
    bl23 = make_point("BL23", pinyin="Shenshu", figure_view="back", figure_x=107.5, figure_y=150)
    bl52 = make_point("BL52", pinyin="Zhishi", figure_view="back", figure_x=115, figure_y=150)
    bl40 = make_point("BL40", pinyin="Weizhong", figure_view="back", figure_x=116, figure_y=289.5)
    link_precaution(bl23, pregnancy, "Lower back points are avoided in pregnancy.")
    link_precaution(bl52, pregnancy, "Lower back points are avoided in pregnancy.")
    link_precaution(bl40, varicose, "Over a large vein.")
    condition = make_condition("lower-back-pain", name="Lower back pain")
    routine = make_routine(
        "five-minutes",
        [(bl23, "both", 45), (bl52, "both", 45), (bl40, "both", 30)],
        title="Five minutes for the lower back",
        conditions=[condition],
    )
    return routine


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def warnings_text(response):
    html = response.content.decode()
    if 'id="routine-warnings"' not in html:
        return ""
    section = html[html.index('id="routine-warnings"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section[: section.index("</section>")]))


def step_codes(response):
    step = r'<li class="routine-step" id="step-\d+"[^>]*data-point="([A-Z0-9-]+) '
    return re.findall(step, response.content.decode())


# The model


def test_steps_come_in_their_order_whatever_order_they_were_written_in():
    routine = make_routine("backwards")
    for order, code in ((30, "BL40"), (10, "BL23"), (20, "BL52")):
        RoutineStep.objects.create(routine=routine, order=order, point=make_point(code), seconds=30, instruction="x")
    assert [step.point.code for step in routine.steps.all()] == ["BL23", "BL52", "BL40"]


def test_the_total_counts_both_sides_twice_the_midline_once_and_each_repeat():
    routine = make_routine(
        "mixed",
        [
            (make_point("BL23"), "both", 45),
            (make_point("GV16"), "midline", 60),
            (make_point("SI3"), "left", 20),
            (make_point("GB34"), "both", 30, 2),
        ],
    )
    assert [step.total_seconds for step in routine.steps.all()] == [90, 60, 20, 120]
    assert routine.total_seconds == 290


def test_the_duration_of_a_step_is_said_in_plain_words():
    routine = make_routine("words", [(make_point("BL23"), "both", 45), (make_point("GV16"), "midline", 60)])
    both, midline = routine.steps.all()
    assert both.duration_display == "45 seconds each side, left then right (1 min 30 s in all)"
    assert midline.duration_display == "1 minute, on the midline"
    assert [format_duration(value) for value in (1, 30, 60, 300, 270)] == [
        "1 second",
        "30 seconds",
        "1 minute",
        "5 minutes",
        "4 min 30 s",
    ]


def test_a_step_on_a_point_that_is_not_described_is_refused_with_a_message_saying_why():
    routine = make_routine("undescribed")
    step = RoutineStep(routine=routine, order=1, point=make_point("BL60", described=False), seconds=30, instruction="x")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    message = error.value.message_dict["point"][0]
    assert "BL60 is not described yet" in message
    assert "Choose a described point" in message


def test_two_steps_cannot_share_a_number():
    routine = make_routine("twice", [make_point("BL23")])
    step = RoutineStep(routine=routine, order=10, point=make_point("BL52"), seconds=30, instruction="x")
    with pytest.raises(ValidationError, match="cannot share a number"):
        step.full_clean()


# The routine page


def test_the_routine_page_lists_every_step_in_order_with_its_link_picture_and_duration(client, back):
    response = client.get("/routines/five-minutes/")

    assert response.status_code == 200
    assert step_codes(response) == ["BL23", "BL52", "BL40"]
    html = response.content.decode()
    for code in ("bl23", "bl52", "bl40"):
        assert f'href="/points/{code}/"' in html
        assert f'id="figure-title-{code}"' in html
    text = page_text(response)
    assert "3 steps, 4 minutes in all." in text
    assert "45 seconds each side, left then right (1 min 30 s in all)" in text
    assert "Press BL23 firmly, breathing easily." in text
    assert 'data-seconds="45" data-sides="left right" data-repeats="1"' in html


def test_the_routine_page_carries_the_red_flag_notice_and_loads_its_script_as_a_module(client, back):
    html = client.get("/routines/five-minutes/").content.decode()
    assert 'class="medical-notice"' in html
    assert 'href="/safety/red-flags/"' in html
    assert re.search(r'<script type="module" src="/static/js/routine\.[0-9a-f.]*js"></script>', html) or (
        '<script type="module" src="/static/js/routine.js"></script>' in html
    )
    assert "<script>" not in html, "no inline script: the CSP forbids it"


def test_warnings_come_before_the_first_step_one_per_precaution_naming_its_steps(client, back):
    html = client.get("/routines/five-minutes/").content.decode()

    warnings = html[html.index('id="routine-warnings"') : html.index('id="step-1"')]
    assert warnings.count('<li class="warning') == 2
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", warnings))
    assert "Pregnancy" in text
    assert "Steps 1 (BL23) and 2 (BL52)." in text
    assert "Varicose veins" in text
    assert "Step 3 (BL40)." in text
    assert 'href="?without=pregnancy"' in warnings
    assert text.index("Pregnancy") < text.index("Varicose veins"), "in the precautions' own order"


def test_warnings_follow_the_precaution_links_not_typed_text(client, back):
    PointPrecaution.objects.filter(point__code="BL40").delete()
    bleeding = make_precaution("bleeding-disorders", title="Bleeding disorders", kind="doctor")
    link_precaution(back.steps.get(point__code="BL52").point, bleeding)

    text = warnings_text(client.get("/routines/five-minutes/"))
    assert "Varicose veins" not in text
    assert "Bleeding disorders" in text
    assert "Step 2 (BL52)." in text


def test_a_warning_of_an_unpublished_precaution_is_not_shown(client, back):
    draft = make_precaution("draft-warning", title="Drafted warning", status=Status.DRAFT)
    link_precaution(back.steps.first().point, draft)
    assert "Drafted warning" not in page_text(client.get("/routines/five-minutes/"))
    assert "Pregnancy" in warnings_text(client.get("/routines/five-minutes/"))


def test_without_a_precaution_the_page_says_which_steps_are_left_out_and_shows_the_rest(client, back):
    response = client.get("/routines/five-minutes/?without=pregnancy")

    assert response.status_code == 200
    assert step_codes(response) == ["BL40"]
    text = page_text(response)
    assert "Left out for pregnancy" in text
    html = response.content.decode()
    left_out = html[html.index('id="without-heading"') : html.index('id="routine-warnings"')]
    assert 'href="/points/bl23/"' in left_out
    assert 'href="/points/bl52/"' in left_out
    assert "1 step, 1 minute in all." in text
    assert "Step 1 (BL40)." in text, "steps are numbered as the reader will do them"
    assert "Steps 1 (BL23)" not in text
    assert '<option value="pregnancy" selected>' in html


def test_an_unknown_without_value_gives_the_whole_routine_and_a_clear_message(client, back):
    response = client.get("/routines/five-minutes/?without=pregnant%3Cb%3E")

    assert response.status_code == 200
    assert step_codes(response) == ["BL23", "BL52", "BL40"]
    html = response.content.decode()
    assert "There is no precaution “pregnant&lt;b&gt;”, so no steps were left out for it." in html
    assert "Choose one of: pregnancy, varicose-veins" in page_text(response)


def test_without_every_step_the_page_says_there_is_nothing_left_and_offers_no_start(client, site_pages):
    pregnancy = make_precaution("pregnancy")
    gb21 = make_point("GB21")
    link_precaution(gb21, pregnancy)
    make_routine("shoulders", [gb21])

    response = client.get("/routines/shoulders/?without=pregnancy")
    assert response.status_code == 200
    assert step_codes(response) == []
    assert "nothing left to press here" in page_text(response)
    assert "data-start-panel" not in response.content.decode()


def test_a_routine_whose_points_are_all_off_the_site_says_so_without_blaming_the_reader(client, back):
    Point.objects.filter(code__in=["BL23", "BL52", "BL40"]).update(status=Status.REVIEW)

    text = page_text(client.get("/routines/five-minutes/"))
    assert "This routine has no steps to show at the moment." in text
    assert "asked to leave out" not in text
    listing = page_text(client.get("/routines/"))
    assert "Five minutes for the lower back" not in listing
    assert "Not shown" not in listing


def test_an_unknown_routine_is_a_404_and_so_is_a_draft_for_readers(client, back):
    make_routine("drafted", [make_point("SI3")], status=Status.DRAFT)
    assert client.get("/routines/no-such-routine/").status_code == 404
    assert client.get("/routines/drafted/").status_code == 404
    assert client.get("/routines/Five%20Minutes/").status_code == 404


def test_a_step_on_a_point_taken_off_the_site_is_left_out(client, back):
    Point.objects.filter(code="BL52").update(status=Status.REVIEW)
    assert step_codes(client.get("/routines/five-minutes/")) == ["BL23", "BL40"]


# The routine list and the pages that link to routines


def test_the_list_offers_each_routine_with_its_steps_and_total(client, back):
    text = page_text(client.get("/routines/"))
    assert "Five minutes for the lower back" in text
    assert "3 steps, 4 minutes." in text


def test_the_list_without_a_precaution_shortens_some_routines_and_hides_those_with_nothing_left(client, back):
    pregnancy = back.steps.first().point.precaution_links.first().precaution
    gb21 = make_point("GB21")
    link_precaution(gb21, pregnancy)
    make_routine("shoulders", [gb21], title="Shoulders only")

    response = client.get("/routines/?without=pregnancy")
    html = response.content.decode()
    text = page_text(response)
    assert 'href="/routines/five-minutes/?without=pregnancy"' in html
    assert "1 step, 1 minute." in text
    assert "Without 2 steps on BL23, BL52." in text
    assert 'href="/routines/shoulders/' not in html
    assert "Not shown, because every step uses a point to leave out: Shoulders only." in text

    assert 'href="/routines/shoulders/"' in client.get("/routines/").content.decode()


def test_the_list_with_an_unknown_without_value_shows_every_routine_and_says_so(client, back):
    response = client.get("/routines/?without=nonsense&without=")
    assert response.status_code == 200
    assert "There is no precaution “nonsense”" in page_text(response)
    assert 'href="/routines/five-minutes/"' in response.content.decode()


def test_home_condition_pages_search_and_the_sitemap_lead_to_routines(client, back):
    assert 'href="/routines/five-minutes/"' in client.get("/").content.decode()
    assert 'href="/routines/five-minutes/"' in client.get("/conditions/lower-back-pain/").content.decode()
    make_condition("sciatica")
    assert "/routines/five-minutes/" not in client.get("/conditions/sciatica/").content.decode()
    search = client.get("/search/?q=minutes+for+the")
    assert 'href="/routines/five-minutes/"' in search.content.decode()
    assert 'id="routine-results"' in search.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/routines/five-minutes/</loc>" in sitemap
    assert "/routines/</loc>" in sitemap


def test_drafts_stay_off_the_home_page_search_and_the_sitemap(client, back):
    make_routine("drafted", [make_point("SI3")], title="Drafted routine", status=Status.DRAFT)
    assert "Drafted routine" not in client.get("/").content.decode()
    assert "Drafted routine" not in client.get("/search/?q=drafted").content.decode()
    assert "/routines/drafted/" not in client.get("/sitemap.xml").content.decode()
    assert "Drafted routine" not in client.get("/routines/").content.decode()


def test_an_edit_to_a_routine_shows_on_the_next_request(client, back):
    assert "Five minutes" in client.get("/").content.decode()
    back.title = "Four minutes for the lower back"
    back.save()
    assert "Four minutes for the lower back" in client.get("/").content.decode()
    assert "Four minutes for the lower back" in client.get("/routines/five-minutes/").content.decode()


# Queries, pinned as in test_querysets.py


# Each count includes the one read of the content version every page makes (see test_querysets.py).
ROUTINE_PAGES = {"/routines/": 4, "/routines/?without=pregnancy": 4, "/routines/five-minutes/": 6, "/": 2}


@pytest.mark.parametrize("extra_points", [0, 40])
def test_routine_pages_cost_a_fixed_number_of_queries(client, back, settings, extra_points):
    settings.PAGE_CACHE_SECONDS = 0
    pregnancy = back.steps.first().point.precaution_links.first().precaution
    codes = [f"ST{number}" for number in range(1, extra_points + 1)]
    for order, code in enumerate(codes, 100):
        point = make_point(code)
        link_precaution(point, pregnancy)
        RoutineStep.objects.create(routine=back, order=order, point=point, seconds=20, instruction="x")
    for number in range(extra_points // 10):
        make_routine(f"extra-{number}", [make_point(f"GB{number + 1}")])
    counts = {}
    for url in ROUTINE_PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    assert counts == ROUTINE_PAGES


def test_for_detail_fetches_steps_points_warnings_sources_and_conditions_in_five_queries(
    back, django_assert_num_queries
):
    back.sources.add(make_source())
    with django_assert_num_queries(5):
        routine = Routine.objects.for_detail().get(slug="five-minutes")
        assert [step.point.meridian.code for step in routine.steps.all()] == ["BL", "BL", "BL"]
        assert [len(step.point.precaution_links.all()) for step in routine.steps.all()] == [1, 1, 1]
        assert len(routine.sources.all()) == 1
        assert [condition.slug for condition in routine.conditions.all()] == ["lower-back-pain"]


# The admin


def test_the_admin_edits_a_routine_with_its_steps_and_refuses_an_undescribed_point(client, back):
    client.force_login(make_reviewer())
    url = f"/admin/points/routine/{back.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    undescribed = make_point("BL60", described=False)

    data = admin_form_data(response, **{"steps-0-point": str(undescribed.pk)})
    response = client.post(url, data)

    assert response.status_code == 200
    assert "BL60 is not described yet" in response.content.decode()
    assert back.steps.first().point.code == "BL23"

    data = admin_form_data(client.get(url), **{"steps-0-seconds": "60", "_publish": "Save and publish"})
    assert client.post(url, data).status_code == 302
    assert Routine.objects.get(pk=back.pk).total_seconds == 270


def test_routines_keep_their_history_with_their_steps():
    import reversion

    assert reversion.is_registered(Routine)
    assert reversion.is_registered(RoutineStep)
    assert "steps" in reversion.revisions._get_options(Routine).follow


# Bad input, fuzzed as in test_fuzz.py: never a 500


@fuzz
@example(without=["%00"])
@example(without=["x" * 5000])
@example(without=["pregnancy"] * 50)
@given(without=st.lists(valid_or("pregnancy", "varicose-veins", "red-flags"), max_size=4))
def test_routine_pages_never_fail_whatever_is_left_out(client, back, without):
    for url in ("/routines/", "/routines/five-minutes/"):
        assert client.get(url, {"without": without}).status_code == 200, (url, without)


@fuzz
@example(segment="%00")
@example(segment="%FF%FE")
@example(segment="x" * 5000)
@given(segment=segments)
def test_a_routine_address_never_fails(client, back, segment):
    assert client.get(f"/routines/{segment}/").status_code < 500
