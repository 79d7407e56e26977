"""The starting content in fixtures/: it loads, every point is complete, every link resolves."""

import re

import pytest
import reversion.models
from django.core.management import call_command
from django.db import models

from acusite.measure.pages import PAGE_TYPES
from points.models import (
    Alias,
    Basis,
    BodyArea,
    Combination,
    Condition,
    ConditionPrecaution,
    Guide,
    Meridian,
    Point,
    PointCondition,
    PointPrecaution,
    Precaution,
    Routine,
    Source,
)
from points.notation import MERIDIAN_POINT_COUNTS

SEED_POINTS = [
    "BL43", "LU1", "SI11", "LI4", "SI3", "LI10", "GB21", "GB20", "GB6", "GB10", "GV26", "BL40", "BL25", "BL52",
    "LR3", "BL62", "GV16", "PC7", "SP6", "ST36", "PC6", "CV6", "BL23", "BL53", "GB30", "BL39", "GB34", "TE3",
    "BL10", "MA-TF1", "MA-AT1",
]  # fmt: skip
SEED_CONDITIONS = [
    "upper-back-pain",
    "lower-back-pain",
    "neck-pain",
    "shoulder-pain",
    "sciatica",
    "hip-pain",
    "headache",
    "migraine",
]
REQUIRED_PRECAUTIONS = ["pregnancy", "gb21-labour", "bone-metastasis", "varicose-veins", "rheumatoid-arthritis",
                        "bleeding-disorders", "skin-and-surgery", "red-flags", "general-precautions"]  # fmt: skip
REQUIRED_GUIDES = ["how-to-press", "measuring-in-cun", "evidence", "history"]


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        yield
        # Routines first: their steps protect the points they use.
        for model in (Routine, Point, Condition, Precaution, Guide, Meridian, Source, BodyArea):
            model.objects.all().delete()
        # load_content records each page's original version: the history goes with the content.
        reversion.models.Revision.objects.all().delete()


pytestmark = pytest.mark.django_db


def test_every_standard_point_exists_with_its_names(content):
    assert Point.objects.exclude(meridian=None).count() == 361
    for meridian, count in MERIDIAN_POINT_COUNTS.items():
        assert Point.objects.filter(meridian__code=meridian).count() == count, meridian
    assert not Point.objects.filter(english_name="").exists()
    assert not Point.objects.filter(hanzi_traditional="").exists()


def test_every_seed_point_is_fully_described_and_published(content):
    for code in SEED_POINTS:
        point = Point.objects.get(code=code)
        assert point.described and point.status == "published", code
        for field in (
            "summary",
            "location",
            "finding",
            "pressing",
            "functions",
            "indications",
            "pinyin_tones",
            "hanzi_simplified",
        ):
            assert getattr(point, field).strip(), (code, field)
        assert point.areas.exists(), code
        assert point.sources.exists(), code
        assert point.condition_links.exists() or code in ("BL62", "GV16", "PC7", "BL10"), code
        assert point.figure_view and point.figure_x is not None and point.figure_y is not None, code
        assert point.last_reviewed and point.next_review_due, code


def test_locations_follow_the_standard_where_the_seeds_are_wrong(content):
    sp6 = Point.objects.get(code="SP6")
    assert "3 cun" in sp6.location and re.search(r"four finger", sp6.finding, re.I)
    assert Point.objects.get(code="CV6").meridian.code == "CV"
    assert "forearm" in Point.objects.get(code="LI10").location.lower()
    gb20 = Point.objects.get(code="GB20")
    assert "occipital" in gb20.location.lower() and "earlobe" in gb20.reconciliation.lower()


def test_the_fourteen_meridians_and_the_seed_conditions_exist(content):
    assert Meridian.objects.count() == 14
    for slug in SEED_CONDITIONS:
        condition = Condition.objects.get(slug=slug)
        assert condition.status == "published" and condition.body.strip(), slug
    for slug in ("lower-back-pain", "sciatica", "neck-pain", "hip-pain", "headache"):
        assert Condition.objects.get(slug=slug).point_links.exists(), slug


def test_safety_pages_and_guides_exist_with_sources(content):
    for slug in REQUIRED_PRECAUTIONS:
        precaution = Precaution.objects.get(slug=slug)
        assert precaution.sources.exists() and precaution.body.strip(), slug
    for slug in REQUIRED_GUIDES:
        assert Guide.objects.get(slug=slug).sources.exists(), slug


def test_pregnancy_is_linked_to_the_points_every_list_names(content):
    linked = set(Precaution.objects.get(slug="pregnancy").point_links.values_list("point__code", flat=True))
    assert {"LI4", "SP6", "GB21", "BL60", "CV3", "CV4", "CV5", "CV6", "CV7", "ST25", "BL31", "BL32"} <= linked
    assert "GB21" in set(Precaution.objects.get(slug="gb21-labour").point_links.values_list("point__code", flat=True))


def test_the_evidence_guide_cites_the_studies(content):
    cited = set(Guide.objects.get(slug="evidence").sources.values_list("slug", flat=True))
    assert {
        "cherkin-2009",
        "hsieh-2006",
        "vickers-2018",
        "furlan-2005",
        "mu-2020",
        "qaseem-2017",
        "nice-ng59",
        "carr-2015",
    } <= cited


def test_every_cross_reference_in_the_content_resolved(content):
    for model in (Point, Condition, Precaution, Guide, Meridian):
        for obj in model.objects.all():
            for name in obj.markdown_fields:
                assert "[[" not in getattr(obj, f"{name}_html"), (obj, name)


def test_every_link_in_the_content_resolves(client, content):
    hrefs = set()
    for model in (Point, Condition, Precaution, Guide, Meridian):
        for obj in model.objects.all():
            for name in obj.markdown_fields:
                hrefs |= set(re.findall(r'href="(/[^"#]*)', getattr(obj, f"{name}_html")))
    assert hrefs
    for href in sorted(hrefs):
        assert client.get(href).status_code == 200, href


def test_every_seed_point_page_renders(client, content):
    for code in SEED_POINTS:
        response = client.get(f"/points/{code.lower()}/")
        assert response.status_code == 200, code


def test_the_seeds_codes_and_names_reach_the_right_point(client, content):
    seeds = {
        "Bl-43": "bl43", "LU-1": "lu1", "SI-11": "si11", "LI-4": "li4", "L14": "li4", "4GI": "li4", "He Gu": "li4",
        "Hegu": "li4", "SI-3": "si3", "LI-10": "li10", "GB-21": "gb21", "Jian Jing": "gb21", "GB-20": "gb20",
        "Feng Chi": "gb20", "Wind Pool": "gb20", "GB-6": "gb6", "GB-10": "gb10", "GV-26": "gv26", "Ren Zhong": "gv26",
        "Bl-40": "bl40", "B54": "bl40", "Bl-25": "bl25", "Bl-52": "bl52", "B47": "bl52", "Zhi Shi": "bl52",
        "LIV 3": "lr3", "Liv 3": "lr3", "LR-3": "lr3", "UB-62": "bl62", "DU-16": "gv16", "GV-16": "gv16", "PC-7": "pc7",
        "SP-6": "sp6", "Spleen 6": "sp6", "Stomach 36": "st36", "Pericardium 6": "pc6", "Gallbladder 21": "gb21",
        "Large intestine 10": "li10", "CV 6": "cv6", "Qi Hai": "cv6", "B23": "bl23", "B48": "bl53", "GB30": "gb30",
        "B53": "bl39", "GB 34": "gb34", "Yanglingquan": "gb34", "Huantiao": "gb30", "TE3": "te3", "Zhong Zu": "te3",
        "Heaven's Pillar": "bl10", "Womb and Vitals": "bl53", "Commanding Middle": "bl40", "Sea of Energy": "cv6",
        "k1": "ki1", "合谷": "li4",
    }  # fmt: skip
    for written, slug in seeds.items():
        response = client.get(f"/points/{written}/", follow=True)
        assert response.redirect_chain, written
        assert response.redirect_chain[-1][0].split("?")[0] == f"/points/{slug}/", written


def test_sea_of_vitality_offers_both_points(client, content):
    html = client.get("/points/sea-of-vitality/").content.decode()
    assert 'href="/points/bl23/"' in html and 'href="/points/bl52/"' in html


def test_the_bladder_meridian_lists_all_67_points_in_order(client, content):
    points = list(client.get("/meridians/bl/").context["points"])
    assert [point.number for point in points] == list(range(1, 68))


# What a clinician signing the content checks, as tests over the fixtures.

NEW_BACK_POINTS = ["GV3", "GV4", "BL22", "BL24", "BL26", "BL32", "BL54", "BL57", "BL60", "KI3", "GB31", "SI6", "LU7",
                   "EX-B2", "EX-B7", "EX-UE7"]  # fmt: skip
DESCRIBED_FIELDS = ("summary", "location", "finding", "pressing", "functions", "indications", "pinyin_tones",
                    "hanzi_simplified")  # fmt: skip
BASIS_SOURCE_KINDS = {
    Basis.CLASSICAL: {Source.Kind.BOOK, Source.Kind.STANDARD},
    Basis.TESTED: {Source.Kind.STUDY, Source.Kind.REVIEW},
    Basis.POPULAR: {Source.Kind.ARTICLE, Source.Kind.BOOK, Source.Kind.WEBSITE},
}
BODY_WEIGHT = re.compile(
    r"tennis ball|\bballs?\b|against a wall|body weight|your weight|\blean (in|onto|against|your)", re.I
)


def text_fields(model):
    return [field.name for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.name.endswith("_html")
            and field.editable]  # fmt: skip


def test_the_back_pain_points_are_described_in_full(content):
    assert set(NEW_BACK_POINTS) <= set(Point.objects.filter(described=True).values_list("code", flat=True))


def test_every_described_point_has_every_section_a_picture_a_source_and_a_use(content):
    for point in Point.objects.filter(described=True):
        for field in DESCRIBED_FIELDS:
            assert getattr(point, field).strip(), (point.code, field)
        assert point.areas.exists() and point.sources.exists(), point.code
        assert point.figure_view and point.figure_x is not None and point.figure_y is not None, point.code
        assert point.last_reviewed and point.next_review_due, point.code
        assert "[[source:" in point.functions and "[[source:" in point.indications, point.code


def test_every_point_of_the_index_says_where_it_is_with_a_picture(content):
    for point in Point.objects.all():
        assert point.location.strip() and point.finding.strip(), point.code
        assert point.areas.exists(), point.code
        assert point.figure_view and point.figure_x is not None and point.figure_y is not None, point.code


def test_every_condition_link_and_combination_has_a_basis_and_a_source_of_that_basis(content):
    rows = list(PointCondition.objects.select_related("source", "point", "condition"))
    rows += list(Combination.objects.select_related("source", "point", "partner"))
    assert len(rows) >= 95 + 12
    for row in rows:
        assert row.basis in Basis.values, row
        assert row.source.kind in BASIS_SOURCE_KINDS[row.basis], (str(row), row.basis, row.source.slug)
        if row.basis == Basis.POPULAR:
            assert "popular" in row.note.lower(), str(row)
        if row.basis == Basis.CLASSICAL:
            assert "popular" not in row.note.lower() and row.source.slug != "gach-1990", str(row)


def test_every_point_that_asks_for_body_weight_carries_the_osteoporosis_warning(content):
    osteoporosis = set(Precaution.objects.get(slug="osteoporosis").point_links.values_list("point__code", flat=True))
    heavy = {point.code for point in Point.objects.all() if BODY_WEIGHT.search(point.pressing)}
    assert {"BL23", "BL25", "BL43", "BL52", "BL53", "GB30", "SI11"} <= heavy
    assert heavy <= osteoporosis, heavy - osteoporosis
    assert "not tied" not in Precaution.objects.get(slug="osteoporosis").body


def test_a_precaution_that_says_it_has_no_points_has_no_point_links(content):
    for precaution in Precaution.objects.all():
        if re.search(r"not tied to particular points|not tied this warning", precaution.body):
            assert not precaution.point_links.exists(), precaution.slug


def test_every_lower_back_and_sacral_point_carries_the_pregnancy_warning_for_the_whole_pregnancy(content):
    pregnancy = Precaution.objects.get(slug="pregnancy")
    linked = set(pregnancy.point_links.values_list("point__code", flat=True))
    lumbosacral = set(Point.objects.filter(areas__slug="lower-back").values_list("code", flat=True))
    lumbosacral |= {point.code for point in Point.objects.filter(areas__slug="sacrum-buttock")
                    if re.search(r"sacral region|sacral foramen", point.location, re.I)}  # fmt: skip
    assert lumbosacral - linked == set()
    for link in pregnancy.point_links.all():
        assert "early pregnancy" not in link.note and "in pregnancy in early" not in link.note, link.point.code
    assert "for example" in pregnancy.body.lower() or "such as" in pregnancy.body.lower()


def test_pressing_text_that_warns_of_pregnancy_matches_the_pregnancy_links(content):
    linked = set(Precaution.objects.get(slug="pregnancy").point_links.values_list("point__code", flat=True))
    for point in Point.objects.filter(described=True):
        if re.search(r"pregnan", point.pressing, re.I):
            assert point.code in linked, point.code


def test_the_wrist_hand_and_ankle_points_carry_the_arthritis_caution(content):
    linked = set(Precaution.objects.get(slug="rheumatoid-arthritis").point_links.values_list("point__code", flat=True))
    assert {"PC7", "SI3", "LR3", "BL62", "KI3", "TE3", "GB34"} <= linked


def test_the_safety_pages_say_what_the_guidance_says(content):
    red_flags = Precaution.objects.get(slug="red-flags").body
    for words in ("aneurysm", "one leg or foot", "30 minutes", "second half of the night", "spinal surgery",
                  "urinary", "immune"):  # fmt: skip
        assert words in red_flags, words
    metastasis = Precaution.objects.get(slug="bone-metastasis")
    assert "24 hours" in metastasis.body and metastasis.sources.filter(slug="nice-ng234").exists()
    nausea = ConditionPrecaution.objects.get(condition__slug="nausea", precaution__slug="pregnancy").note
    assert "not been tested" not in nausea and "Matthews" in nausea


def test_no_reader_facing_text_mentions_the_seed_articles(content):
    for model in (Point, Condition, Precaution, Guide, Meridian, Source, Alias, PointCondition, Combination,
                  PointPrecaution, ConditionPrecaution):  # fmt: skip
        fields = text_fields(model)
        for obj in model.objects.all():
            for field in fields:
                assert not re.search(r"seed|grew from", getattr(obj, field), re.I), (model.__name__, str(obj), field)


def test_every_source_is_complete_cited_and_of_the_right_kind(content):
    for source in Source.objects.all():
        assert source.title and source.publication, source.slug
        if source.kind in (Source.Kind.STUDY, Source.Kind.REVIEW):
            assert source.authors and source.year and source.doi, source.slug
        if source.kind in (Source.Kind.WEBSITE, Source.Kind.DATASET):
            assert source.url, source.slug
        if source.kind in (Source.Kind.BOOK, Source.Kind.STANDARD):
            assert source.year, source.slug
        relations = ("points", "conditions", "precautions", "guides", "condition_links", "combinations")
        cited = any(getattr(source, name).exists() for name in relations)
        assert cited, f"{source.slug} is defined but never cited"
    for slug in ("carr-2015", "park-2014", "furlan-2005", "mu-2020", "godley-2020", "lee-2015", "matthews-2015"):
        assert Source.objects.get(slug=slug).kind == Source.Kind.REVIEW, slug
    assert not Point.objects.filter(code__startswith="MA-", sources__slug="who-2008-locations").exists()
    # WHO 2008 locates the 361 meridian points only: the extra points cite the WHO nomenclature.
    assert not Point.objects.filter(code__startswith="EX-", sources__slug="who-2008-locations").exists()
    assert not Point.objects.filter(code__startswith="EX-", location__contains="who-2008-locations").exists()


def test_the_standard_names_and_categories_are_right(content):
    assert "command" in Point.objects.get(code="LU7").categories
    assert Point.objects.get(code="CV17").pinyin == "Danzhong" and Point.objects.get(code="CV17").pinyin_tones
    assert Point.objects.get(code="BL2").pinyin == "Cuanzhu"
    assert Point.objects.get(code="TE22").hanzi_traditional == "耳和髎"
    assert Point.objects.get(code="BL45").pinyin_tones
    assert "base of the sacrum" not in Point.objects.get(code="GB30").summary
    for category, codes in {
        "window-of-sky": {"ST9", "LI18", "SI16", "SI17", "TE16", "BL10", "LU3", "CV22", "GV16", "PC1"},
        "lower-he-sea": {"ST36", "ST37", "ST39", "BL39", "BL40", "GB34"},
        "ghost-point": {"GV26", "LU11", "SP1", "PC7", "BL62", "GV16", "ST6", "CV24", "PC8", "GV23", "CV1", "LI11"},
    }.items():
        assert codes <= {point.code for point in Point.objects.all() if category in point.categories}, category


def test_the_48_extra_points_have_no_meridian_and_sort_after_the_meridians(content):
    extra = list(Point.objects.filter(code__startswith="EX-"))
    assert len(extra) == 48
    assert all(point.meridian_id is None for point in extra)
    last_meridian_key = max(Point.objects.exclude(meridian=None).values_list("sort_key", flat=True))
    assert min(point.sort_key for point in extra) > last_meridian_key
    assert [point.code for point in extra][:3] == ["EX-HN1", "EX-HN2", "EX-HN3"]


def test_a_reader_finds_the_back_points_under_every_name(client, content):
    for written, slug in {"yaotongdian": "ex-ue7", "EX-UE7": "ex-ue7", "EX-B7": "ex-b7", "Yaoyan": "ex-b7",
                          "huatuojiaji": "ex-b2", "Mingmen": "gv4"}.items():  # fmt: skip
        response = client.get(f"/points/{written}/", follow=True)
        assert response.redirect_chain[-1][0] == f"/points/{slug}/", written
    assert client.get("/search/", {"q": "huatuojiaji"})["Location"] == "/points/ex-b2/"
    for slug in ("ex-ue7", "ex-b2", "gv4"):
        html = client.get(f"/points/{slug}/").content.decode()
        assert 'id="press-heading"' in html and "Not yet described" not in html, slug


def test_the_lower_back_filter_lists_at_least_eight_described_points(client, content):
    response = client.get("/points/", {"area": "lower-back"})
    assert response.context["page_obj"].paginator.count >= 8


def test_an_undescribed_point_shows_where_it_is_and_says_the_rest_is_not_written(client, content):
    html = client.get("/points/bl47/").content.decode()
    assert 'id="where-heading"' in html and 'class="figure-marker"' in html
    assert "have not been written yet" in html


def test_the_sitemap_lists_the_extra_points(client, content):
    assert "/points/ex-b7/" in client.get("/sitemap.xml").content.decode()


def test_every_page_the_benchmark_and_audit_ask_for_answers_as_they_expect(client, content):
    for page in PAGE_TYPES:
        response = client.get(page.path)
        assert response.status_code == page.status, page.path
        assert page.must_contain in response.content.decode(), page.path
