"""Warnings follow the data: one link makes a warning appear wherever the point does."""

import re

import pytest

from points.models import Status
from points.tests.factories import (
    link_condition,
    link_condition_precaution,
    link_precaution,
    make_condition,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pregnancy_points(site_pages):
    pregnancy = make_precaution("pregnancy", title="Pregnancy", badge="Not in pregnancy", summary="Avoid in pregnancy.")
    neck_pain = make_condition("neck-pain", name="Neck pain")
    gb21 = make_point("GB21", pinyin="Jianjing", areas=["shoulder"])
    li4 = make_point("LI4", pinyin="Hegu", areas=["hand"])
    gb20 = make_point("GB20", pinyin="Fengchi", areas=["neck"])
    link_precaution(gb21, pregnancy, note="Traditionally believed to bring on contractions; studies have not shown it.")
    link_precaution(li4, pregnancy, note="Named on almost every list of points to avoid in pregnancy.")
    for point in (gb21, li4, gb20):
        link_condition(point, neck_pain)
    return pregnancy, {"GB21": gb21, "LI4": li4, "GB20": gb20}


def warning_block(html):
    start = html.index('class="callout callout-warning"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("code", ["GB21", "LI4"])
def test_a_linked_point_shows_the_warning_in_a_callout_before_anything_else(client, pregnancy_points, code):
    html = client.get(f"/points/{code.lower()}/").content.decode()
    block = warning_block(html)
    assert 'href="/safety/pregnancy/"' in block
    assert html.index("callout-warning") < html.index("At a glance") < html.index("How to press it")


def test_the_link_note_explains_the_warning_for_that_point(client, pregnancy_points):
    html = client.get("/points/gb21/").content.decode()
    assert "studies have not shown it" in warning_block(html)


def test_a_point_without_links_shows_no_warning_callout(client, pregnancy_points):
    assert "callout-warning" not in client.get("/points/gb20/").content.decode()


def test_every_linked_point_has_a_badge_on_its_list_card(client, pregnancy_points):
    html = client.get("/points/").content.decode()
    for code in ("GB21", "LI4"):
        card = html[html.index(f'<span class="code">{code}</span>') :]
        card = card[: card.index("</article>")]
        assert "Not in pregnancy" in card, code
    gb20_card = html[html.index('<span class="code">GB20</span>') :]
    assert "Not in pregnancy" not in gb20_card[: gb20_card.index("</article>")]


def test_the_precaution_page_lists_every_linked_point_from_the_data(client, pregnancy_points):
    html = client.get("/safety/pregnancy/").content.decode()
    assert 'href="/points/gb21/"' in html and 'href="/points/li4/"' in html
    assert 'href="/points/gb20/"' not in html


def test_each_linked_point_reads_as_a_sentence_code_pinyin_name_then_why(client, pregnancy_points):
    pregnancy_points[1]["LI4"].english_name = "Union Valley"
    pregnancy_points[1]["LI4"].save()
    html = client.get("/safety/pregnancy/").content.decode()
    expected = (
        '<a href="/points/li4/"><span class="code">LI4</span> Hegu</a> (Union Valley): '
        "Named on almost every list of points to avoid in pregnancy."
    )
    assert expected in html


def test_condition_pages_note_the_warning_beside_each_point(client, pregnancy_points):
    html = client.get("/conditions/neck-pain/").content.decode()
    li4 = html[html.index('href="/points/li4/"') :]
    assert "Not in pregnancy" in li4[: li4.index("</li>")]


def test_without_pregnancy_hides_exactly_the_linked_points(client, pregnancy_points):
    codes = [point.code for point in client.get("/points/?without=pregnancy").context["points"]]
    assert codes == ["GB20"]


def test_adding_a_link_makes_the_warning_appear_everywhere_at_once(client, pregnancy_points):
    pregnancy, points = pregnancy_points
    for url in ("/points/gb20/", "/points/", "/safety/pregnancy/", "/conditions/neck-pain/"):
        client.get(url)  # cache every page first
    link_precaution(points["GB20"], pregnancy, note="Added by an editor.")
    assert "Added by an editor." in warning_block(client.get("/points/gb20/").content.decode())
    assert 'href="/points/gb20/"' in client.get("/safety/pregnancy/").content.decode()
    assert [p.code for p in client.get("/points/?without=pregnancy").context["points"]] == []
    card = client.get("/points/").content.decode()
    card = card[card.index('<span class="code">GB20</span>') :]
    assert "Not in pregnancy" in card[: card.index("</article>")]


def test_a_draft_precaution_is_not_shown_to_readers(client, pregnancy_points):
    draft = make_precaution("draft-warning", status=Status.DRAFT, badge="Half written")
    link_precaution(pregnancy_points[1]["GB20"], draft)
    assert "Half written" not in client.get("/points/gb20/").content.decode()
    assert client.get("/safety/draft-warning/").status_code == 404


def test_related_precautions_are_offered_on_each_other(client, pregnancy_points):
    pregnancy, _ = pregnancy_points
    labour = make_precaution("gb21-labour", title="GB21 and labour")
    pregnancy.related.add(labour)
    assert 'href="/safety/gb21-labour/"' in client.get("/safety/pregnancy/").content.decode()
    assert 'href="/safety/pregnancy/"' in client.get("/safety/gb21-labour/").content.decode()


def test_a_condition_pages_warnings_and_sources_follow_edits_at_once(client, pregnancy_points):
    pregnancy, _ = pregnancy_points
    neck_pain = pregnancy.point_links.first().point.condition_links.first().condition
    assert 'id="condition-warnings"' not in client.get("/conditions/neck-pain/").content.decode()
    link_condition_precaution(neck_pain, pregnancy, note="Ask your midwife first.")
    neck_pain.sources.add(make_source(slug="nice-ng59", title="Low back pain and sciatica in over 16s"))
    content = client.get("/conditions/neck-pain/").content.decode()
    assert "Ask your midwife first." in warning_block(content)
    assert "Low back pain and sciatica in over 16s" in content
    pregnancy.status = Status.DRAFT
    pregnancy.save()
    assert "Ask your midwife first." not in client.get("/conditions/neck-pain/").content.decode()


def test_see_also_leaves_out_a_related_page_taken_off_the_site(client, pregnancy_points):
    pregnancy, _ = pregnancy_points
    labour = make_precaution("gb21-labour", title="GB21 and labour")
    pregnancy.related.add(labour)
    assert 'href="/safety/gb21-labour/"' in client.get("/safety/pregnancy/").content.decode()
    labour.status = Status.DRAFT
    labour.save()
    assert 'href="/safety/gb21-labour/"' not in client.get("/safety/pregnancy/").content.decode()


def test_a_safety_pages_pages_follow_a_newly_linked_point(client, pregnancy_points, monkeypatch):
    monkeypatch.setattr("points.views.topics.LINKED_PAGE_SIZE", 2)
    pregnancy, points = pregnancy_points
    assert "Page 1 of" not in client.get("/safety/pregnancy/").content.decode()
    link_precaution(points["GB20"], pregnancy)
    first, second = (client.get(f"/safety/pregnancy/?page={number}").content.decode() for number in (1, 2))
    assert "Page 1 of 2" in first
    linked = [set(re.findall(r'href="/points/(gb20|gb21|li4)/"', page)) for page in (first, second)]
    assert linked[0] | linked[1] == {"gb20", "gb21", "li4"}
    assert len(linked[1]) == 1
