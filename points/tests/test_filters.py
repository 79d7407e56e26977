import pytest
from django.http import QueryDict

from points.filters import PointFilter, list_index
from points.models import Condition, Point, Status
from points.tests.factories import (
    link_condition,
    link_precaution,
    make_alias,
    make_area,
    make_condition,
    make_point,
    make_precaution,
)
from points.vocabulary import get_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(site_pages):
    for slug in ("lower-back", "knee", "hand", "neck"):
        make_area(slug)
    sciatica, neck_pain = make_condition("sciatica"), make_condition("neck-pain")
    pregnancy = make_precaution("pregnancy", badge="Not in pregnancy")
    bl52 = make_point("BL52", pinyin="Zhishi", english_name="Will Chamber", areas=["lower-back"])
    bl40 = make_point("BL40", pinyin="Weizhong", english_name="Bend Middle", areas=["knee"])
    gb30 = make_point("GB30", pinyin="Huantiao", english_name="Jumping Circle", areas=["lower-back"])
    gb20 = make_point("GB20", pinyin="Fengchi", english_name="Wind Pool", areas=["neck"])
    li4 = make_point("LI4", pinyin="Hegu", english_name="Union Valley", areas=["hand"])
    ki1 = make_point("KI1", pinyin="Yongquan", english_name="Gushing Spring", described=False)
    link_condition(bl40, sciatica)
    link_condition(gb30, sciatica)
    link_condition(gb20, neck_pain)
    link_condition(li4, neck_pain)
    link_precaution(li4, pregnancy)
    make_alias(li4, "合谷", kind="hanzi")
    return {"BL52": bl52, "BL40": bl40, "GB30": gb30, "GB20": gb20, "LI4": li4, "KI1": ki1}


def codes(response):
    return [point.code for point in response.context["points"]]


def test_area_shows_only_points_that_lie_there(client, points):
    assert codes(client.get("/points/?area=lower-back")) == ["BL52", "GB30"]


def test_several_areas_mean_any_of_them(client, points):
    assert sorted(codes(client.get("/points/?area=lower-back&area=knee"))) == ["BL40", "BL52", "GB30"]


def test_meridian_filter_uses_the_lower_case_code(client, points):
    assert codes(client.get("/points/?meridian=gb")) == ["GB20", "GB30"]


def test_condition_filter_shows_points_used_for_it(client, points):
    assert codes(client.get("/points/?condition=sciatica")) == ["BL40", "GB30"]


def test_filters_combine(client, points):
    assert codes(client.get("/points/?condition=sciatica&meridian=gb")) == ["GB30"]
    assert codes(client.get("/points/?area=lower-back&condition=sciatica")) == ["GB30"]


def test_without_hides_points_carrying_that_precaution(client, points):
    shown = codes(client.get("/points/?without=pregnancy"))
    assert "LI4" not in shown
    assert sorted(shown) == ["BL40", "BL52", "GB20", "GB30"]


@pytest.mark.parametrize("q", ["zhishi", "Zhishi", "BL52", "bl-52", "B47", "Will Chamber", "zhishy"])
def test_text_finds_a_point_by_code_notation_name_or_one_typo(client, points, q):
    assert "BL52" in codes(client.get("/points/", {"q": q}))


def test_text_finds_chinese_characters(client, points):
    assert codes(client.get("/points/", {"q": "合谷"})) == ["LI4"]


def test_only_described_points_are_listed_unless_the_reader_asks_for_all(client, points):
    assert "KI1" not in codes(client.get("/points/"))
    assert "KI1" in codes(client.get("/points/?show=all"))


def test_an_undescribed_match_is_offered_when_nothing_else_matches(client, points):
    response = client.get("/points/?q=yongquan")
    assert codes(response) == []
    assert "not described in detail yet" in response.content.decode()
    assert "show=all" in response.content.decode()


def test_a_draft_point_is_absent_from_the_list(client, points):
    make_point("BL23", pinyin="Shenshu", status=Status.DRAFT, areas=["lower-back"])
    assert "BL23" not in codes(client.get("/points/?area=lower-back"))


def test_an_unknown_meridian_gives_the_page_with_a_clear_message(client, points):
    response = client.get("/points/?meridian=zz&area=knee")
    assert response.status_code == 200
    assert "There is no meridian “zz”" in response.content.decode()
    assert codes(response) == ["BL40"]  # the valid filter still applies


def test_each_list_offers_the_conditions_there_are_when_it_is_asked_for(client, points, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get("/points/?condition=zz").content.decode()
    assert "There is no condition “zz”" in first
    assert '<option value="sciatica">' in first
    make_condition("hip-pain", name="Hip pain")
    link_condition(points["GB30"], Condition.objects.get(slug="hip-pain"))
    second = client.get("/points/").content.decode()
    assert '<option value="hip-pain">Hip pain</option>' in second
    assert '<option value="sciatica">' in second
    assert "There is no condition" not in second


def test_an_unknown_area_is_left_out_and_the_known_ones_kept(client, points):
    response = client.get("/points/?area=elbow&area=knee")
    assert response.status_code == 200
    assert "know the body area “elbow”" in response.content.decode()
    assert codes(response) == ["BL40"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("condition=nope", "There is no condition “nope”, so that filter was not applied."),
        ("without=nope", "There is no precaution “nope”, so we cannot tell which points to hide"),
        ("show=everything", "There is no option “everything”, so that filter was not applied."),
        ("page=abc", "“abc” is not a page number, so here is the first page."),
        ("page=999", "There is no page 999; here is the last page."),
        ("page=-1", "There is no page -1; here is the last page."),
    ],
)
def test_bad_values_get_a_clear_message_and_a_working_page(client, points, query, message):
    response = client.get(f"/points/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")


def test_an_unknown_precaution_hides_every_point_rather_than_none(client, points):
    assert codes(client.get("/points/?without=nope")) == []
    assert codes(client.get("/points/?without=nope&area=lower-back")) == []


def test_each_active_filter_can_be_removed_alone(client, points):
    response = client.get("/points/?area=lower-back&area=knee&meridian=gb")
    removals = {(item["title"], item["label"]): item["remove_url"] for item in response.context["active_filters"]}
    assert removals[("Area", "Knee")] == "?area=lower-back&meridian=gb"
    assert removals[("Meridian", "GB Gallbladder")] == "?area=lower-back&area=knee"


def test_pagination_keeps_every_other_filter(client, points):
    for number in range(1, 30):
        make_point(f"ST{number}", areas=["knee"])
    response = client.get("/points/?area=knee&meridian=st")
    content = response.content.decode()
    assert response.context["page_obj"].paginator.count == 29
    assert 'href="?area=knee&amp;meridian=st&amp;page=2"' in content
    second = client.get("/points/?area=knee&meridian=st&page=2")
    assert len(codes(second)) == 5


def test_results_count_is_shown(client, points):
    assert "2 points" in client.get("/points/?area=lower-back").content.decode()


def test_an_empty_result_helps_the_reader(client, points):
    content = client.get("/points/?area=hand&meridian=bl").content.decode()
    assert "No points match these filters" in content
    assert "Clear all filters" in content


def test_the_filter_itself_leaves_out_undescribed_points_unless_all_are_asked_for(points):
    def filtered(data):
        filterset = PointFilter(QueryDict(data), queryset=Point.objects.published(), vocabulary=get_vocabulary())
        return {point.code for point in filterset.qs}, filterset.undescribed_matches()

    assert filtered("") == ({"BL52", "BL40", "GB30", "GB20", "LI4"}, 1)
    assert filtered("show=all") == ({"BL52", "BL40", "GB30", "GB20", "LI4", "KI1"}, 0)
    assert filtered("q=yongquan") == (set(), 1)


def results_count(response):
    return response.content.decode().split('id="results-heading"')[1].split("</h2>")[0].split(">")[1].strip()


def test_the_unfiltered_lists_count_follows_a_point_published_or_described(client, points):
    assert results_count(client.get("/points/")) == "5 points"
    assert results_count(client.get("/points/?show=all")) == "6 points"
    ki1 = points["KI1"]
    ki1.described = True
    ki1.save()
    make_point("BL23", status=Status.DRAFT)
    assert results_count(client.get("/points/")) == "6 points"
    assert results_count(client.get("/points/?show=all")) == "6 points"


def test_staff_count_the_drafts_they_see_in_the_list(client, points, django_user_model):
    make_point("BL23", status=Status.DRAFT)
    editor = django_user_model.objects.create_user("editor", password="a long editor password", is_staff=True)
    client.force_login(editor)
    assert results_count(client.get("/points/")) == "6 points"
    assert "BL23" in codes(client.get("/points/"))


@pytest.mark.parametrize(
    ("page", "message", "shown"),
    [
        ("999", "There is no page 999; here is the last page.", 5),
        ("-1", "There is no page -1; here is the last page.", 5),
        ("0", "There is no page 0; here is the last page.", 5),
        ("99999999999999999999999", "There is no page 99999999999999999999; here is the last page.", 5),
        ("abc", "“abc” is not a page number, so here is the first page.", 24),
    ],
)
def test_a_filtered_list_answers_a_bad_page_number_with_a_note_and_a_real_page(client, points, page, message, shown):
    for number in range(1, 30):
        make_point(f"ST{number}", areas=["knee"])
    response = client.get(f"/points/?area=knee&meridian=st&page={page}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(codes(response)) == shown
    assert response.context["page_obj"].paginator.count == 29


FILTERED = [
    "area=lower-back",
    "area=lower-back&area=knee",
    "meridian=gb",
    "condition=sciatica",
    "condition=sciatica&meridian=gb",
    "area=lower-back&condition=sciatica",
    "without=pregnancy",
    "without=pregnancy&area=hand",
    "area=hand&show=all",
    "meridian=ki&show=all",
    "meridian=ki",
    "condition=neck-pain&without=pregnancy",
    "meridian=zz&area=knee",
    "without=nothing-known&area=knee",
]


@pytest.mark.parametrize("query", FILTERED)
def test_the_list_index_keeps_the_same_points_in_the_same_order_as_the_database(points, query):
    make_point("BL23", status=Status.DRAFT, areas=["lower-back"])
    published = Point.objects.published()

    def filterset():
        return PointFilter(QueryDict(query), queryset=published, vocabulary=get_vocabulary())

    from_index = filterset().listed_ids(list_index())
    assert from_index is not None
    assert from_index == list(filterset().qs.values_list("pk", flat=True))


def test_a_filtered_list_follows_links_made_after_it_was_first_shown(client, points):
    assert codes(client.get("/points/?condition=sciatica")) == ["BL40", "GB30"]
    assert "BL52" in codes(client.get("/points/?without=pregnancy&area=lower-back"))
    bl52 = points["BL52"]
    link_condition(bl52, Condition.objects.get(slug="sciatica"))
    link_precaution(bl52, points["LI4"].precaution_links.get().precaution)
    bl52.areas.add(make_area("knee"))
    assert codes(client.get("/points/?condition=sciatica")) == ["BL40", "BL52", "GB30"]
    assert "BL52" not in codes(client.get("/points/?without=pregnancy&area=lower-back"))
    assert "BL52" in codes(client.get("/points/?area=knee"))


def test_staff_see_their_drafts_in_a_filtered_list_and_readers_do_not(client, points, django_user_model):
    make_point("BL23", status=Status.DRAFT, areas=["lower-back"])
    assert "BL23" not in codes(client.get("/points/?area=lower-back"))
    editor = django_user_model.objects.create_user("editor", password="a long editor password", is_staff=True)
    client.force_login(editor)
    assert "BL23" in codes(client.get("/points/?area=lower-back"))
