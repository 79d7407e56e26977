"""Issue 13: a point page answers where and how first; pictures show both sides, the midline and the
landmarks; condition pages lead somewhere."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from points.glance import at_a_glance
from points.models import BodyArea, Point, PointCondition, Status
from points.tests.factories import (
    combine,
    link_condition,
    link_precaution,
    make_alias,
    make_area,
    make_condition,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.django_db

PRESSING = "Sit down. Press firmly but never painfully for 1 to 2 minutes. Once or twice a day."


def positions(html, *markers):
    found = {marker: html.find(marker) for marker in markers}
    assert all(index >= 0 for index in found.values()), found
    return [found[marker] for marker in markers]


def test_a_point_page_puts_warnings_glance_picture_finding_and_pressing_before_the_standard_location(
    client, site_pages
):
    point = make_point("BL23", figure_view="back", figure_x=107.5, figure_y=150, pressing=PRESSING)
    link_precaution(point, make_precaution("pregnancy"))

    html = client.get("/points/bl23/").content.decode()

    order = positions(
        html,
        'id="point-warnings"',
        'id="glance-heading"',
        'id="where-heading"',
        'class="point-figure',
        'id="press-heading"',
        'id="location-heading"',
        'id="uses-heading"',
    )
    assert order == sorted(order)
    assert ">Finding it on yourself</h2>" in html


def test_at_a_glance_lifts_where_how_hard_how_long_and_how_often_from_what_editors_wrote(site_pages):
    point = make_point("BL23", summary="Beside the spine at waist level; a back-shu point.", pressing=PRESSING)

    assert at_a_glance(point) == {
        "where": "Beside the spine at waist level",
        "pressure": "Firmly but never painfully",
        "duration": "1 to 2 minutes",
        "frequency": "Once or twice a day",
    }


def test_at_a_glance_leaves_out_what_the_pressing_text_does_not_say(site_pages):
    point = make_point("BL23", summary="", pressing="Press it.")

    assert at_a_glance(point) == {}


def test_a_bilateral_point_on_the_back_is_marked_on_both_sides(client, site_pages):
    make_point("BL23", figure_view="back", figure_x=107.5, figure_y=150)

    html = client.get("/points/bl23/").content.decode()

    markers = re.findall(r'<circle class="figure-marker[^"]*" cx="([\d.]+)" cy="([\d.]+)"', html)
    assert markers == [("107.5", "150"), ("92.5", "150")]
    assert "lies on both sides of the body; both are marked" in html
    assert "on the midline" not in html


@pytest.mark.parametrize(("code", "view", "x"), [("GV4", "back", 100), ("CV6", "front", 100), ("GV16", "neck", 100)])
def test_a_midline_point_is_marked_once_with_a_midline_caption(client, site_pages, code, view, x):
    make_point(code, figure_view=view, figure_x=x, figure_y=150)

    html = client.get(f"/points/{code.lower()}/").content.decode()

    assert html.count('class="figure-marker') == 1
    assert 'class="figure-midline"' in html
    assert f"{code} is a single point on the midline of the body" in html
    assert "both sides" not in html


def test_a_one_sided_view_says_the_point_is_on_the_other_side_too(client, site_pages):
    make_point("PC7", figure_view="wrist", figure_x=100, figure_y=112)

    html = client.get("/points/pc7/").content.decode()

    assert html.count('class="figure-marker') == 1
    assert "The same point lies on the other side too." in html
    assert 'id="figure-title-pc7">PC7 marked on the wrist, palm side<' in html


def test_the_figures_draw_the_landmarks_the_finding_texts_use():
    figures = settings.BASE_DIR / "points" / "templates" / "points" / "figures"
    expected = {
        "back.html": ["hip-bone", "L4", "C7", "knee crease"],
        "wrist.html": ["wrist crease", "tendons"],
        "ankle.html": ["inner ankle bone", "Achilles", "shinbone"],
        "knee.html": ["head of", "the fibula", "knee", "kneecap"],
        "neck.html": ["hairline", "C2", "C7", "base of"],
    }
    for name, labels in expected.items():
        text = (figures / name).read_text()
        assert 'class="figure-landmarks"' in text, name
        for label in labels:
            assert f">{label}</text>" in text, (name, label)


def test_the_named_points_are_drawn_on_regional_views():
    rows = json.loads((settings.BASE_DIR / "fixtures" / "points.json").read_text())
    views = {row["fields"]["code"]: row["fields"] for row in rows if row["model"] == "points.point"}

    assert {code: views[code]["figure_view"] for code in ("PC7", "PC6", "KI3", "SP6", "GB34", "GV16", "GB20")} == {
        "PC7": "wrist",
        "PC6": "wrist",
        "KI3": "ankle",
        "SP6": "ankle",
        "GB34": "knee",
        "GV16": "neck",
        "GB20": "neck",
    }
    # PC7 on the wrist crease (y=112 on the wrist view); GB34 in front of (right of) and below the
    # head of the fibula (92, 110 on the knee view).
    assert views["PC7"]["figure_y"] == 112
    assert views["GB34"]["figure_x"] > 92 and views["GB34"]["figure_y"] > 110


def test_the_admin_shows_the_figure_with_its_dot_while_the_editor_sets_its_position(admin_client, site_pages):
    point = make_point("BL23", figure_view="back", figure_x=107.5, figure_y=150)

    html = admin_client.get(reverse("admin:points_point_change", args=[point.pk])).content.decode()

    assert 'class="admin-figure-preview"' in html
    assert 'viewBox="0 0 200 400"' in html, "the editor sees the whole view"
    assert '<circle class="figure-marker" cx="107.5" cy="150"' in html
    assert re.search(r'<script[^>]*src="/static/js/admin-figure[^"]*\.js"[^>]*type="module"', html) or re.search(
        r'<script[^>]*type="module"[^>]*src="/static/js/admin-figure[^"]*\.js"', html
    ), "a static ES module moves the dot"
    assert "<script>" not in html.split('class="admin-figure-preview"')[1].split("</fieldset>")[0]


def test_the_admin_preview_asks_for_a_view_and_coordinates_first(admin_client, site_pages):
    point = make_point("BL23")

    html = admin_client.get(reverse("admin:points_point_change", args=[point.pk])).content.decode()

    assert "Choose a view and both coordinates, then save, to see the picture here." in html


def test_a_condition_page_leads_with_what_it_is_then_start_with_these_then_the_others(client, site_pages):
    condition = make_condition(
        "lower-back-pain",
        name="Lower back pain",
        body="## What it is\n\nAn aching back.\n\n## How acupressure is used\n\nPressing points.\n\n"
        "## When to see a doctor\n\nIf your legs go numb.",
    )
    for code in ("BL52", "BL23", "BL40"):
        link_condition(make_point(code), condition, note=f"Why {code}.")
    PointCondition.objects.filter(point__code="BL40").update(order=1)
    PointCondition.objects.filter(point__code="BL23").update(order=2)
    PointCondition.objects.filter(point__code__in=["BL23", "BL40"]).update(start_here=True)

    html = client.get("/conditions/lower-back-pain/").content.decode()

    order = positions(
        html,
        "An aching back.",
        "If your legs go numb.",
        "Start with these",
        "Why BL40.",
        "Why BL23.",
        "Other points used for lower back pain",
        "Why BL52.",
        "Pressing points.",
    )
    assert order == sorted(order)


def test_a_condition_with_no_published_points_is_not_offered_to_readers(client, site_pages):
    link_condition(make_point("BL23"), make_condition("lower-back-pain", name="Lower back pain"))
    link_condition(make_point("BL52", status="draft"), make_condition("arthritis", name="Arthritis"))
    make_condition("asthma", name="Asthma")

    listed = client.get("/conditions/").content.decode()
    filters = client.get("/points/").content.decode()

    assert "Lower back pain" in listed and 'value="lower-back-pain"' in filters
    for name, slug in (("Arthritis", "arthritis"), ("Asthma", "asthma")):
        assert name not in listed
        assert f'value="{slug}"' not in filters
    assert client.get("/conditions/asthma/").status_code == 200, "its own page still answers"


def test_a_citation_never_doubles_a_full_stop(client, site_pages):
    make_source(slug="avins-2012", authors="Avins AL, et al.", title="Does it work?", publication="Trials", year=2012)
    make_source(slug="doe-2020", authors="Doe J", title="A plain title", year=2020)

    html = client.get("/sources/").content.decode()

    assert "et al.." not in html and "?." not in html
    assert re.search(r"Avins AL, et al\. <a [^>]+>Does it work\?</a></cite> Trials \(2012\)\.", html)
    assert re.search(r"Doe J\. <a [^>]+>A plain title</a>\.</cite> \(2020\)\.", html)


def test_editors_pick_the_points_to_start_with_in_the_condition_admin(admin_client, site_pages):
    condition = make_condition("lower-back-pain")
    link_condition(make_point("BL23"), condition)

    html = admin_client.get(reverse("admin:points_condition_change", args=[condition.pk])).content.decode()

    assert 'name="point_links-0-start_here"' in html
    assert 'name="point_links-0-order"' in html


def nearby_codes(client, url):
    content = client.get(url).content.decode()
    section = content[content.index('id="nearby-heading"') :]
    return re.findall(r'<a href="/points/[^"]+/"><span class="code">([^<]+)</span>', section.split("</section>")[0])


def test_nearby_points_are_the_first_six_described_points_sharing_an_area_and_follow_edits(client, site_pages):
    make_area("lower-back")
    make_area("sacrum-buttock")
    make_point("BL23", areas=["lower-back"])
    for code in ("BL24", "BL25", "BL26", "BL27", "BL28", "BL29", "BL30"):
        make_point(code, areas=["sacrum-buttock" if code >= "BL27" else "lower-back"])
    make_point("BL22", areas=["lower-back"], described=False)
    make_point("BL21", areas=["lower-back"], status=Status.DRAFT)
    make_point("KI1", areas=["foot"])
    bl52 = make_point("BL52", areas=["lower-back", "sacrum-buttock"])
    assert nearby_codes(client, "/points/bl52/") == ["BL23", "BL24", "BL25", "BL26", "BL27", "BL28"]
    bl24 = Point.objects.get(code="BL24")
    bl24.described = False
    bl24.save()
    assert nearby_codes(client, "/points/bl52/") == ["BL23", "BL25", "BL26", "BL27", "BL28", "BL29"]
    # Not itself, nor an undescribed or draft point: BL21, BL22 and now BL24 are left out.
    assert nearby_codes(client, "/points/bl23/") == ["BL25", "BL26", bl52.code]


def test_a_point_page_leaves_out_a_condition_that_is_not_published(client, site_pages):
    point = make_point("BL52")
    link_condition(point, make_condition("sciatica", name="Sciatica"), note="Eases the leg.")
    link_condition(point, make_condition("tinnitus", name="Tinnitus", status=Status.DRAFT), note="Not yet checked.")
    content = client.get("/points/bl52/").content.decode()
    assert "Eases the leg." in content
    assert "Not yet checked." not in content
    assert "/conditions/tinnitus/" not in content


def test_a_point_page_lists_warnings_in_the_order_of_the_safety_pages(client, site_pages):
    point = make_point("BL52")
    link_precaution(point, make_precaution("skin", title="Broken skin", order=30), note="Not on broken skin.")
    link_precaution(point, make_precaution("pregnancy", title="Pregnancy", order=10), note="Not in pregnancy.")
    content = client.get("/points/bl52/").content.decode()
    pregnancy, skin = positions(content, "Not in pregnancy.", "Not on broken skin.")
    assert pregnancy < skin


def test_a_point_pages_areas_and_sources_follow_edits(client, site_pages):
    make_area("lower-back", name="Lower back")
    make_area("hip", name="Hip")
    point = make_point("BL52", areas=["lower-back"])
    point.sources.add(make_source(slug="deadman", title="A Manual of Acupuncture"))
    content = client.get("/points/bl52/").content.decode()
    assert ">Lower back</a>" in content
    assert "A Manual of Acupuncture" in content
    point.areas.add(BodyArea.objects.get(slug="hip"))
    point.sources.clear()
    content = client.get("/points/bl52/").content.decode()
    assert ">Hip</a>" in content
    assert "A Manual of Acupuncture" not in content
    assert "No sources are recorded for this page yet." in content


def test_a_pair_shows_on_both_points_pages_until_the_partner_is_taken_off_the_site(client, site_pages):
    bl23, bl52 = make_point("BL23"), make_point("BL52")
    combine(bl23, bl52, note="Together for a weak lower back.")
    assert "Together for a weak lower back." in client.get("/points/bl23/").content.decode()
    assert "Together for a weak lower back." in client.get("/points/bl52/").content.decode()
    bl23.status = Status.DRAFT
    bl23.save()
    content = client.get("/points/bl52/").content.decode()
    assert "Together for a weak lower back." not in content
    assert "Combined with" not in content


def test_a_point_on_no_body_area_shows_its_nearest_described_neighbours_on_the_meridian(client, site_pages):
    for code in ("BL10", "BL11", "BL12", "BL14", "BL20", "BL40"):
        make_point(code)
    make_point("BL13", described=False)
    make_point("BL15", status=Status.DRAFT)
    make_point("BL16", described=False)
    content = client.get("/points/bl16/").content.decode()
    callout = content[content.index('id="not-described"') :].split("</section>")[0]
    # Nearest first, the lower number first at the same distance; not an undescribed or draft point.
    assert re.findall(r'<span class="code">([^<]+)</span>', callout) == ["BL14", "BL12", "BL20", "BL11"]


def test_a_new_other_name_shows_on_the_point_page_at_once(client, site_pages):
    point = make_point("BL52")
    assert "Also written as" not in client.get("/points/bl52/").content.decode()
    make_alias(point, "Zhishi", kind="pinyin")
    assert "Also written as <span>Zhishi</span>." in client.get("/points/bl52/").content.decode()
