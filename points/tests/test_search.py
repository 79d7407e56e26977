import pytest

from points.tests.factories import make_alias, make_condition, make_guide, make_point, make_precaution

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(site_pages):
    bl52 = make_point("BL52", pinyin="Zhishi", english_name="Will Chamber")
    make_alias(bl52, "Sea of Vitality", kind="descriptive", shared=True)
    bl23 = make_point("BL23", pinyin="Shenshu", english_name="Kidney Shu", indications="Weak lower back and knees.")
    make_alias(bl23, "Sea of Vitality", kind="descriptive", shared=True)
    make_point("KI1", pinyin="Yongquan", english_name="Gushing Spring", described=False)
    make_condition("sciatica", name="Sciatica", summary="Pain along the sciatic nerve.")
    make_precaution("pregnancy", title="Pregnancy", summary="Some points are avoided in pregnancy.")
    make_guide("how-to-press-2", title="How to press", summary="Firm, never painful.")


@pytest.mark.parametrize(
    ("q", "target"),
    [("BL52", "/points/bl52/"), ("zhishi", "/points/bl52/"), ("k1", "/points/ki1/"), ("Will Chamber", "/points/bl52/")],
)
def test_an_exact_code_or_name_goes_straight_to_the_point(client, content, q, target):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == target


def test_old_bladder_code_goes_to_the_point_with_the_explanation(client, content):
    assert client.get("/search/", {"q": "B47"})["Location"] == "/points/bl52/?via=B47"


def test_one_typo_in_a_name_still_finds_the_point(client, content):
    response = client.get("/search/", {"q": "zhishy"})
    assert [point.code for point in response.context["points"]] == ["BL52"]


def test_a_shared_name_lists_each_point(client, content):
    response = client.get("/search/", {"q": "Sea of Vitality"})
    assert response.status_code == 200
    assert {point.code for point in response.context["ambiguous"]} == {"BL23", "BL52"}


def test_results_are_ranked_names_before_text(client, content):
    make_point("BL39", pinyin="Weiyang", indications="Often pressed together with Weizhong.")
    make_point("BL40", pinyin="Weizhong")
    response = client.get("/search/", {"q": "weizh"})
    assert [point.code for point in response.context["points"]] == ["BL40", "BL39"]


def test_text_finds_conditions_safety_and_guides(client, content):
    assert [c.slug for c in client.get("/search/", {"q": "sciatic"}).context["conditions"]] == ["sciatica"]
    assert [p.slug for p in client.get("/search/", {"q": "pregnancy"}).context["precautions"]] == ["pregnancy"]
    assert [g.slug for g in client.get("/search/", {"q": "never painful"}).context["guides"]] == ["how-to-press-2"]


def test_nothing_found_gives_a_helpful_empty_state(client, content):
    content_html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    assert "Nothing matched" in content_html
    assert "LI-4" in content_html


def test_a_misprint_typed_into_search_lands_with_the_same_explanation_as_the_address_bar(client, content):
    li4 = make_point("LI4", pinyin="Hegu")
    make_alias(li4, "L14", kind="misprint", note="A popular article writes L14 for LI4.")
    assert client.get("/search/", {"q": "L14"})["Location"] == "/points/li4/?via=L14"
    assert client.get("/points/L14/")["Location"] == "/points/li4/?via=L14"
