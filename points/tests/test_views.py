import re

import pytest

from points.models import Point, Status
from points.tests.factories import (
    combine,
    link_condition,
    link_condition_precaution,
    link_precaution,
    make_alias,
    make_area,
    make_condition,
    make_guide,
    make_meridian,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bl52(site_pages):
    make_point("BL47", pinyin="Hunmen", english_name="Soul Gate", described=False)
    point = make_point("BL52", pinyin="Zhishi", english_name="Will Chamber", areas=["lower-back"],
                       location="3 cun lateral to L2.", finding="Four finger widths from the spine.")  # fmt: skip
    make_alias(point, "B47", kind="old-bladder", note="Older Bladder numbering of popular books.")
    return point


def test_a_point_page_shows_location_finding_and_names(client, bl52):
    content = client.get("/points/bl52/").content.decode()
    assert "Zhishi" in content and "Will Chamber" in content
    assert "3 cun lateral to L2." in content
    assert "Four finger widths from the spine." in content
    assert '<span class="hanzi" lang="zh-Hant">志室</span>' in content


@pytest.mark.parametrize("written", ["BL52", "BL-52", "bl 52", "UB52", "V52", "Bl52"])
def test_any_notation_redirects_permanently_to_the_canonical_page(client, bl52, written):
    response = client.get(f"/points/{written}/")
    assert response.status_code == 301
    assert response["Location"] == "/points/bl52/"


def test_old_bladder_numbering_lands_on_the_right_point_and_says_so(client, bl52):
    response = client.get("/points/b47/")
    assert response.status_code == 301
    assert response["Location"] == "/points/bl52/?via=b47"
    content = client.get(response["Location"]).content.decode()
    assert "older Bladder numbering <strong>b47</strong>" in content
    assert "BL47 is a different point" in content
    assert 'href="/points/bl47/"' in content


def test_a_misprint_alias_redirects_and_explains(client, site_pages):
    li4 = make_point("LI4", pinyin="Hegu")
    make_alias(li4, "L14", kind="misprint", note="A popular article writes L14 for LI4.")
    response = client.get("/points/l14/")
    assert response["Location"] == "/points/li4/?via=l14"
    assert "A popular article writes L14 for LI4." in client.get(response["Location"]).content.decode()


def test_a_pinyin_name_redirects_to_its_point(client, site_pages):
    make_point("LI4", pinyin="Hegu", pinyin_tones="Hégǔ")
    assert client.get("/points/hegu/")["Location"] == "/points/li4/"
    assert client.get("/points/Hégǔ/")["Location"] == "/points/li4/"


def test_a_name_shared_by_two_points_offers_both(client, site_pages):
    make_point("HT7", pinyin="Shenmen", english_name="Spirit Gate")
    ear = Point.objects.create(
        code="MA-TF1",
        pinyin="Shenmen",
        hanzi_traditional="神門",
        english_name="Spirit Gate (ear)",
        status=Status.PUBLISHED,
    )
    ear.refresh_search_names()
    response = client.get("/points/shenmen/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "more than one point" in content
    assert 'href="/points/ht7/"' in content and 'href="/points/ma-tf1/"' in content


def test_the_page_offering_several_points_shows_their_warnings(client, site_pages):
    ht7 = make_point("HT7", pinyin="Shenmen")
    ear = Point.objects.create(
        code="MA-TF1", pinyin="Shenmen", hanzi_traditional="神門", english_name="x", status=Status.PUBLISHED
    )
    ear.refresh_search_names()
    link_precaution(ear, make_precaution("skin-and-surgery", badge="Not on broken skin"))
    content = client.get("/points/shenmen/").content.decode()
    assert "Not on broken skin" in content
    assert ht7.code in content


def test_an_unknown_point_is_a_helpful_404_with_suggestions(client, bl52):
    response = client.get("/points/zhishy/")
    assert response.status_code == 404
    content = response.content.decode()
    assert 'role="search"' in content
    assert 'href="/points/bl52/"' in content


def test_a_draft_point_is_not_found_by_readers_and_previewed_by_staff(client, admin_client, site_pages):
    make_point("BL23", status=Status.DRAFT)
    assert client.get("/points/bl23/").status_code == 404
    response = admin_client.get("/points/bl23/")
    assert response.status_code == 200
    assert "only editors can see this page" in response.content.decode()


def test_an_undescribed_point_says_so_and_points_to_its_meridian(client, bl52):
    content = client.get("/points/bl47/").content.decode()
    assert "Not yet described in detail" in content
    assert 'href="/meridians/bl/"' in content
    assert "How to press it" not in content
    assert 'href="/points/bl52/"' in content  # a nearby described point


def test_an_undescribed_point_with_a_location_shows_where_it_is_and_says_the_rest_is_not_written(client, bl52):
    make_point("BL22", described=False, location="1.5 cun lateral to L1.", finding="Two finger widths out.",
               figure_view="back", figure_x=95, figure_y=140)  # fmt: skip
    content = client.get("/points/bl22/").content.decode()
    assert "1.5 cun lateral to L1." in content and "Two finger widths out." in content
    assert 'class="figure-marker"' in content
    assert "How to press it and what it is used for have not been written yet" in content


@pytest.mark.parametrize("written", ["EX-B7", "Ex-B7", "exb7", "yaoyan"])
def test_an_extra_point_is_reached_by_its_code_in_any_case_and_by_its_name(client, site_pages, written):
    point = make_point("EX-B7", pinyin="Yaoyan", english_name="Lumbar Eyes")
    make_alias(point, "Yao Yan")
    response = client.get(f"/points/{written}/")
    assert response.status_code == 301
    assert response["Location"] == "/points/ex-b7/"
    content = client.get("/points/ex-b7/").content.decode()
    assert "an extra point of the WHO standard, outside the meridians" in content


def test_a_point_page_shows_conditions_with_their_source_and_combinations(client, bl52):
    source = make_source(slug="popular-post", title="A popular article", authors="")
    condition = make_condition("lower-back-pain", name="Lower back pain")
    link_condition(bl52, condition, note="Eases the low back.", source=source, basis="popular")
    combine(bl52, make_point("BL23", pinyin="Shenshu"), note="Both strengthen the low back.")
    content = client.get("/points/bl52/").content.decode()
    uses = content[content.index('id="uses-heading"') :]
    assert 'href="/conditions/lower-back-pain/">Lower back pain</a>' in uses
    assert "Eases the low back." in uses
    assert "Popular self-help advice, not found in standard texts." in uses
    assert "A classical use (standard texts)." in content[content.index('id="combined-heading"') :]
    assert "Popular self-help advice" in client.get("/conditions/lower-back-pain/").content.decode()
    assert 'href="/sources/#popular-post"' in content
    assert "Both strengthen the low back." in content
    assert 'href="/points/bl23/"' in content


def test_combinations_show_from_both_sides(client, bl52):
    partner = make_point("BL23", pinyin="Shenshu")
    combine(bl52, partner, note="Paired.")
    assert 'href="/points/bl52/"' in client.get("/points/bl23/").content.decode()


def test_meridian_page_lists_all_its_points_in_order_and_marks_described_ones(client, site_pages):
    for number in (3, 1, 2):
        make_point(f"LU{number}", described=number == 2)
    response = client.get("/meridians/lu/")
    assert [point.code for point in response.context["points"]] == ["LU1", "LU2", "LU3"]
    assert response.content.decode().count("tag-described") == 2  # the legend and LU2


def test_meridian_codes_in_upper_case_redirect(client, site_pages):
    make_meridian("GB")
    assert client.get("/meridians/GB/")["Location"] == "/meridians/gb/"
    assert client.get("/meridians/xx/").status_code == 404


def test_condition_page_lists_its_points_with_their_warnings(client, site_pages):
    sciatica = make_condition("sciatica", name="Sciatica")
    gb30 = make_point("GB30", pinyin="Huantiao")
    link_condition(gb30, sciatica, note="Traditionally used for sciatica.")
    link_precaution(gb30, make_precaution("osteoporosis", badge="Gently if bones are weak"))
    link_condition_precaution(
        sciatica, make_precaution("red-flags-2", title="Red flag symptoms"), note="Numbness needs a doctor."
    )
    content = client.get("/conditions/sciatica/").content.decode()
    assert "Traditionally used for sciatica." in content
    assert "Gently if bones are weak" in content
    assert "Numbness needs a doctor." in content


def test_condition_list_counts_points(client, site_pages):
    condition = make_condition("sciatica", name="Sciatica")
    link_condition(make_point("GB30"), condition)
    link_condition(make_point("GB34", status=Status.DRAFT), condition)
    response = client.get("/conditions/")
    assert "1 point<" in response.content.decode()


def test_guides_and_sources_pages_render(client, site_pages):
    source = make_source(slug="cherkin-2009", authors="Cherkin DC, Sherman KJ", title="A randomized trial", year=2009)
    guide = make_guide("evidence-2", title="What the evidence says", body="See [[source:cherkin-2009]].")
    guide.sources.add(source)
    content = client.get("/guides/evidence-2/").content.decode()
    assert "Cherkin DC et al. (2009)" in content
    assert "Page last reviewed" in content or "not been reviewed" in content
    assert 'id="cherkin-2009"' in client.get("/sources/").content.decode()


def test_a_draft_guide_is_hidden(client, site_pages):
    make_guide("secret", status=Status.DRAFT)
    assert client.get("/guides/secret/").status_code == 404


def test_home_page_shows_main_conditions_and_the_safety_notice(client, site_pages):
    link_condition(make_point("BL23"), make_condition("lower-back-pain", name="Lower back pain"))
    make_area("lower-back")
    content = client.get("/").content.decode()
    assert "Lower back pain" in content
    assert "Safety first" in content
    assert 'href="/points/?area=lower-back"' in content


def test_red_flags_are_one_click_from_every_page(client, bl52):
    for url in (
        "/",
        "/points/",
        "/points/bl52/",
        "/meridians/",
        "/conditions/",
        "/safety/",
        "/sources/",
        "/search/?q=x",
        "/points/nothing/",
    ):
        assert 'href="/safety/red-flags/"' in client.get(url).content.decode(), url


def test_every_page_carries_the_medical_notice(client, bl52):
    for url in ("/", "/points/bl52/", "/safety/"):
        assert "does not replace medical care" in client.get(url).content.decode()


def test_a_point_page_carries_json_ld_that_parses_and_escapes_what_editors_wrote(client, site_pages):
    import json
    import re

    make_point("BL52", summary="Lies </script><b>here</b> & there.")
    html = client.get("/points/bl52/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["name"] == "BL52 PinyinBL52"
    assert data["description"] == "Lies </script><b>here</b> & there."
    assert data["url"].endswith("/points/bl52/")
    assert "</script>" not in block


def test_the_guide_to_measuring_in_cun_draws_the_finger_widths_and_other_guides_do_not(client, site_pages):
    cun = client.get("/guides/measuring-in-cun/").content.decode()
    assert 'class="cun-figure-wrap"' in cun
    assert "Finger measurements for cun, using your own hand." in cun
    assert 'class="cun-figure-wrap"' not in client.get("/guides/how-to-press/").content.decode()


@pytest.mark.parametrize(
    ("url", "current"),
    [("/points/bl52/", "/points/"), ("/points/", "/points/"), ("/conditions/", "/conditions/"), ("/", None)],
)
def test_the_header_marks_the_section_the_reader_is_in(client, bl52, url, current):
    header = client.get(url).content.decode().split('<nav aria-label="Main">')[1].split("</nav>")[0]
    marked = re.findall(r'<a href="([^"]+)" aria-current="page">', header)
    assert marked == ([current] if current else [])
    assert header.count("<li>") == 5
