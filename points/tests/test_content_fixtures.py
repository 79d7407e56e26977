"""The starting content in fixtures/: it loads, every point is complete, every link resolves."""

import re

import pytest
import reversion.models
from django.core.management import call_command

from points.models import BodyArea, Condition, Guide, Meridian, Point, Precaution, Routine, Source
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
