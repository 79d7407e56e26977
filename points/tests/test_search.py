import pytest

from points.models import Condition, Point
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


@pytest.mark.parametrize("q", ["xhishi", "zhishu", "zhshi", "zhiishi", "azhishi", "zhishie"])
def test_a_typo_at_either_end_or_in_the_middle_of_a_name_still_finds_the_point(client, content, q):
    response = client.get("/search/", {"q": q})
    assert [point.code for point in response.context["points"]] == ["BL52"]


def test_two_typos_in_a_name_find_nothing_by_that_name(client, content):
    response = client.get("/search/", {"q": "xhishu"})
    assert [point.code for point in response.context["points"]] == []


def test_found_pages_are_links_with_their_summaries_and_their_markup_shown_as_text(client, content):
    make_condition("tennis-elbow", name="Tennis elbow <b>", summary="Pain on the outer <elbow> & forearm.")
    # The best match (first by name) is shown on its own; the others are listed.
    make_condition("golfers-elbow", name="Golfer's elbow")
    make_condition("stiff-elbow", name="Stiff elbow", summary="")
    html = client.get("/search/", {"q": "elbow"}).content.decode()
    assert '<li><a href="/conditions/stiff-elbow/">Stiff elbow</a></li>' in html
    assert (
        '<li><a href="/conditions/tennis-elbow/">Tennis elbow &lt;b&gt;</a>: '
        "Pain on the outer &lt;elbow&gt; &amp; forearm.</li>" in html
    )


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


# Ranking what the reader means ------------------------------------------------------------


@pytest.fixture
def mini_site(site_pages):
    """A small, realistic site: the back-pain conditions, the areas, safety pages, a routine, and
    points that use the words in their names or merely mention them in their text."""
    from points.tests.factories import link_condition, make_area, make_routine

    for order, (slug, name) in enumerate(
        [
            ("lower-back", "Lower back"),
            ("upper-back", "Upper back"),
            ("neck", "Neck"),
            ("sacrum-buttock", "Sacrum and buttock"),
        ]
    ):
        make_area(slug, name, order=order + 1)
    conditions = {
        slug: make_condition(slug, name=name, order=order, summary=summary)
        for order, (slug, name, summary) in enumerate(
            [
                ("lower-back-pain", "Lower back pain", "Ache and stiffness in the lower back."),
                ("upper-back-pain", "Upper back pain", "Pain between the shoulder blades."),
                ("sciatica", "Sciatica", "Pain running from the back down the leg."),
                ("neck-pain", "Neck pain", "A stiff, sore neck."),
                ("hip-pain", "Hip pain", "Pain around the hip, often with back pain."),
            ],
            1,
        )
    }
    make_precaution("pregnancy", title="Pregnancy", summary="Some points are avoided while you are pregnant.", order=1)
    make_precaution("gb21-labour", title="GB21 and labor", summary="GB21 is not pressed in pregnancy.", order=2)
    lu1 = make_point(
        "LU1", pinyin="Zhongfu", english_name="Central Treasury", indications="Pain of the chest and back."
    )
    si3 = make_point("SI3", pinyin="Houxi", english_name="Back Stream", indications="Stiff neck and back pain.")
    bl23 = make_point("BL23", pinyin="Shenshu", english_name="Kidney Shu", indications="Lower back pain.")
    bl40 = make_point("BL40", pinyin="Weizhong", english_name="Middle of the Crook", indications="Back pain.")
    gb21 = make_point("GB21", pinyin="Jianjing", english_name="Shoulder Well", indications="Stiff neck.")
    gb30 = make_point(
        "GB30", pinyin="Huantiao", english_name="Jumping Circle", indications="Sciatica, pain of the hip."
    )
    for point in (bl23, bl40):
        link_condition(point, conditions["lower-back-pain"])
    # Every condition leads somewhere, as on the real site: one with no points is not offered at all.
    link_condition(gb21, conditions["neck-pain"])
    link_condition(gb21, conditions["upper-back-pain"])
    link_condition(gb30, conditions["sciatica"])
    link_condition(gb30, conditions["hip-pain"])
    make_routine("lower-back-five-minutes", [bl23, bl40], title="Five minutes for the lower back")
    return {"LU1": lu1, "SI3": si3, "BL23": bl23, "BL40": bl40}


REALISTIC_QUERIES = [
    ("back", "/conditions/lower-back-pain/"),
    ("Back", "/conditions/lower-back-pain/"),
    ("back pain", "/conditions/lower-back-pain/"),
    ("low back pain", "/conditions/lower-back-pain/"),
    ("lower back", "/conditions/lower-back-pain/"),
    ("my lower back", "/conditions/lower-back-pain/"),
    ("upper back", "/conditions/upper-back-pain/"),
    ("sciatica", "/conditions/sciatica/"),
    ("sciatic", "/conditions/sciatica/"),
    ("neck", "/conditions/neck-pain/"),
    ("stiff neck", "/conditions/neck-pain/"),
    ("hip", "/conditions/hip-pain/"),
    ("pregnant", "/safety/pregnancy/"),
    ("pregnancy", "/safety/pregnancy/"),
    ("labour", "/safety/gb21-labour/"),
    ("labor", "/safety/gb21-labour/"),
    ("buttock", "/points/?area=sacrum-buttock"),
    ("five minutes", "/routines/lower-back-five-minutes/"),
    ("weizh", "/points/bl40/"),
    ("jianj", "/points/gb21/"),
    ("stream", "/points/si3/"),
]


@pytest.mark.parametrize(("q", "first"), REALISTIC_QUERIES)
def test_realistic_queries_put_the_obvious_page_first(client, mini_site, q, first):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.context["best"].url == first


def test_pages_whose_names_match_come_before_points_that_mention_the_word(client, mini_site):
    response = client.get("/search/", {"q": "back"})
    kinds = [group.kind for group in response.context["groups"]]
    assert kinds.index("condition") < kinds.index("point")
    assert kinds.index("area") < kinds.index("point")
    assert kinds.index("routine") < kinds.index("point")
    html = response.content.decode()
    assert html.index("Best match") < html.index("Lower back pain") < html.index('id="points-results"')


def test_points_are_ranked_by_name_then_back_pain_never_by_meridian_order(client, mini_site):
    codes = [point.code for point in client.get("/search/", {"q": "back"}).context["points"]]
    # SI3's English name is "Back Stream"; BL23 and BL40 are used for lower back pain; LU1 only mentions it.
    assert codes == ["SI3", "BL23", "BL40", "LU1"]


def test_among_equal_matches_a_described_point_comes_before_one_not_yet_described(client, site_pages):
    make_point("KI3", described=False, indications="Ache of the lower back.")
    make_point("KI7", indications="Ache of the lower back.")
    codes = [point.code for point in client.get("/search/", {"q": "ache"}).context["points"]]
    assert codes == ["KI7", "KI3"]


def test_a_renamed_point_is_ranked_by_its_new_name_on_the_next_search(client, mini_site):
    assert [point.code for point in client.get("/search/", {"q": "back"}).context["points"]][-1] == "LU1"
    lu1 = Point.objects.get(code="LU1")
    lu1.english_name = "Back Treasury"
    lu1.save()
    lu1.refresh_search_names()
    codes = [point.code for point in client.get("/search/", {"q": "back"}).context["points"]]
    assert codes.index("LU1") < codes.index("BL23"), "the ranking still used the point's old name"


def test_a_point_written_without_a_new_content_version_is_left_out_rather_than_breaking_search(client, mini_site):
    # As when another process saves between this request's reading of the version and its search.
    client.get("/search/", {"q": "stream"})
    meridian = Point.objects.get(code="BL23").meridian
    Point.objects.bulk_create(
        [
            Point(
                code="BL60", pinyin="Kunlun", meridian=meridian, number=60, status="published", indications="Back pain."
            )
        ]
    )
    response = client.get("/search/", {"q": "back"})
    assert response.status_code == 200
    assert "BL60" not in [point.code for point in response.context["points"]]
    assert "SI3" in [point.code for point in response.context["points"]]


def test_a_word_form_finds_the_text_too(client, mini_site):
    response = client.get("/search/", {"q": "pregnant"})
    assert [precaution.slug for precaution in response.context["precautions"]] == ["pregnancy", "gb21-labour"]


def test_the_best_match_is_not_repeated_in_its_group(client, mini_site):
    response = client.get("/search/", {"q": "back pain"})
    assert response.context["best"].item.slug == "lower-back-pain"
    condition_group = next(group for group in response.context["groups"] if group.kind == "condition")
    assert "lower-back-pain" not in [hit.item.slug for hit in condition_group.hits]
    assert response.content.decode().count('href="/conditions/lower-back-pain/"') == 1


def test_an_exact_code_or_alias_still_goes_to_the_point(client, mini_site):
    assert client.get("/search/", {"q": "BL-23"})["Location"] == "/points/bl23/"
    assert client.get("/search/", {"q": "Back Stream"})["Location"] == "/points/si3/"


def test_the_search_page_costs_a_pinned_number_of_queries(client, mini_site, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    for q in ("back", "pregnant", "weizh"):
        client.get("/search/", {"q": q})  # the cached vocabularies and indexes warm, as in production
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": q}).status_code == 200
        # Content version and the ranked points (a point's whole name ranks first, so it needs no lookup of
        # its own); other pages' text is cached per version.
        assert len(captured) == 2, q


@pytest.mark.parametrize(
    ("name", "q", "tier"),
    [
        ("Pregnancy", "pregnant", 0),
        ("GB21 and labor", "labour", 0),
        ("Red flags", "red flag", 0),
        ("Sciatica", "sciatic", 0),
        ("Lower back pain", "low back", 0),
        ("Background and history", "back", 2),  # the start of a longer word is only a part match
        ("Neck pain", "stiff neck", 2),
        ("Dental pain", "back pain", None),  # a generic word alone is no match
    ],
)
def test_names_match_by_word_forms(name, q, tier):
    from points.search import name_level, query_words

    level = name_level(name, query_words(q))
    assert (level[0] if level else None) == tier


def test_draft_pages_stay_out_of_search(client, mini_site):
    make_condition("back-spasm", name="Back spasm", status="draft")
    assert "Back spasm" not in client.get("/search/", {"q": "back spasm"}).content.decode()


def test_staff_find_a_draft_page_by_its_text_and_readers_do_not(client, admin_client, mini_site):
    make_condition("back-spasm", name="Back spasm", body="A sudden cramp of the lumbar muscles.", status="draft")
    assert "Back spasm" in admin_client.get("/search/", {"q": "cramp"}).content.decode()
    assert "Back spasm" not in client.get("/search/", {"q": "cramp"}).content.decode()


def test_a_page_is_found_by_the_words_an_editor_just_added(client, mini_site):
    condition = Condition.objects.get(slug="hip-pain")
    assert "Hip pain" not in client.get("/search/", {"q": "trochanter"}).content.decode()
    condition.body += "\n\nPain over the greater trochanter is common."
    condition.save()
    assert "Hip pain" in client.get("/search/", {"q": "Trochanter"}).content.decode()


# Last in the module: the real content stays loaded until the module ends.
def test_search_shows_a_phones_worth_of_points_and_links_the_rest_in_the_point_list(client, site_pages):
    for number in range(1, 31):
        make_point(f"ST{number}", indications="Stiff lower back.")
    response = client.get("/search/", {"q": "stiff"})
    # The best match, then the rest of the group.
    assert len(response.context["best_points"] + response.context["group_points"]) == 20
    html = response.content.decode()
    assert 'href="/points/?q=stiff&amp;show=all"' in html
    listed = client.get("/points/", {"q": "stiff", "show": "all"})
    assert listed.context["page_obj"].paginator.count == 30


def test_search_with_few_points_has_no_link_to_more(client, content):
    response = client.get("/search/", {"q": "knees"})
    assert [point.code for point in response.context["group_points"] + response.context["best_points"]] == ["BL23"]
    assert "More points that match" not in response.content.decode()


@pytest.fixture(scope="module")
def real_content(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    from points.models import BodyArea, Condition, Guide, Meridian, Point, Precaution, Routine, Source

    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        yield
        for model in (Routine, Point, Condition, Precaution, Guide, Meridian, Source, BodyArea):
            model.objects.all().delete()
        import reversion

        reversion.models.Revision.objects.all().delete()


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("back", {"/conditions/lower-back-pain/"}),
        ("back pain", {"/conditions/lower-back-pain/"}),
        ("lower back", {"/conditions/lower-back-pain/", "/points/?area=lower-back"}),
        ("sciatica", {"/conditions/sciatica/"}),
        ("neck", {"/conditions/neck-pain/"}),
        ("pregnant", {"/safety/pregnancy/"}),
    ],
)
def test_the_real_content_puts_the_obvious_page_first(client, real_content, q, first):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.context["best"].url in first
