"""The text index: search finds points by what their names and texts contain, and follows every edit."""

import pytest
from django.db import connection

from points.choices import Status
from points.models import Point
from points.tests.factories import make_point
from points.text_index import matching_ids, names_contain, points_matching, text_contains

pytestmark = pytest.mark.django_db


def found(client, q):
    response = client.get("/points/", {"q": q})
    assert response.status_code == 200
    return [point.code for point in response.context["points"]]


def test_a_word_inside_a_longer_word_of_the_text_is_found(client, site_pages):
    make_point("BL23", indications="Backache and weak knees.")
    make_point("LI4", indications="Headache.")
    assert found(client, "back") == ["BL23"]
    assert sorted(found(client, "ACHE")) == ["BL23", "LI4"]


def test_each_text_field_is_searched(client, site_pages):
    for code, field in (("LU1", "summary"), ("LU2", "location"), ("LU3", "finding"), ("LU4", "functions")):
        make_point(code, **{field: "Near the clavicle."})
    make_point("LU5", pressing="Near the clavicle.")  # how to press is not what a reader searches
    assert found(client, "clavicle") == ["LU1", "LU2", "LU3", "LU4"]


def test_an_edited_point_is_found_by_its_new_text_and_no_longer_by_the_old(client, site_pages):
    point = make_point("BL23", indications="Weak knees.")
    point.indications = "Tinnitus."
    point.save()
    assert found(client, "tinnitus") == ["BL23"]
    assert found(client, "knees") == []


def test_a_bulk_update_is_followed_too(client, site_pages):
    make_point("BL23", indications="Weak knees.")
    Point.objects.filter(code="BL23").update(indications="Tinnitus.")
    assert found(client, "tinnitus") == ["BL23"]


def test_a_deleted_point_is_no_longer_found(client, site_pages):
    make_point("BL23", indications="Weak knees.")
    make_point("BL52", indications="Weak knees.")
    Point.objects.filter(code="BL23").delete()
    assert found(client, "knees") == ["BL52"]


def test_a_name_is_found_from_part_of_it(client, site_pages):
    make_point("BL52", pinyin="Zhishi", english_name="Will Chamber")
    assert found(client, "chamb") == ["BL52"]


@pytest.mark.parametrize("q", ['"', 'knee" OR "x', "{summary} : knee", "knee*", "NEAR(knee back)", "%", "_", "\\"])
def test_search_syntax_typed_by_a_reader_is_only_text(client, site_pages, q):
    make_point("BL23", indications="Weak knees.")
    assert found(client, q) == []
    assert client.get("/search/", {"q": q}).status_code == 200


def test_text_with_a_quote_in_it_is_found(client, site_pages):
    make_point("GB21", indications='Called "shoulder well" in English.')
    assert found(client, '"shoulder well"') == ["GB21"]


def test_text_too_short_for_the_index_is_still_matched(site_pages):
    make_point("BL23", indications="Qi of the kidneys.", search_names=" bl23 ")
    assert list(Point.objects.filter(text_contains("qi")).values_list("code", flat=True)) == ["BL23"]
    assert list(Point.objects.filter(names_contain("bl")).values_list("code", flat=True)) == ["BL23"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
@pytest.mark.parametrize(
    ("condition", "index"),
    [(names_contain, "points_point_names_trgm"), (text_contains, "points_point_search_text_trgm")],
)
def test_postgresql_searches_through_its_trigram_indexes(site_pages, condition, index):
    # The queries must read the indexed columns, or PostgreSQL reads every point instead.
    matching = Point.objects.filter(condition("knee")).order_by().values_list("pk", flat=True)
    sql, params = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_search_finds_the_points_a_page_of_the_list_finds_and_drafts_only_for_staff(site_pages):
    bl23 = make_point("BL23", indications="Weak knees.")
    make_point("ST36", pinyin="Zusanli", english_name="Leg Three Miles")
    make_point("LI4", indications="Headache. Qi of the large intestine.")
    gb34 = make_point("GB34", indications="Pain of the hip.")
    make_point("KI10", status=Status.DRAFT, indications="Knee pain.")

    def codes(points):
        return sorted(points.values_list("code", flat=True))

    def listed_and_searched(**wanted):
        listed = codes(Point.objects.published().filter(points_matching(**wanted)))
        return listed, codes(Point.objects.filter(pk__in=matching_ids(**wanted)))

    assert listed_and_searched(texts=["knee"]) == (["BL23"], ["BL23"])
    assert listed_and_searched(names=["zusanli"], texts=["zusanli"]) == (["ST36"], ["ST36"])
    assert listed_and_searched(code="LI4", ids=[bl23.pk, gb34.pk]) == (["BL23", "GB34", "LI4"],) * 2
    assert listed_and_searched(names=["zu"], texts=["qi"]) == (["LI4", "ST36"],) * 2
    assert listed_and_searched() == ([], [])
    assert codes(Point.objects.filter(pk__in=matching_ids(texts=["knee"], drafts=True))) == ["BL23", "KI10"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
def test_postgresql_reads_every_match_of_a_search_through_both_trigram_indexes(site_pages):
    # Both lookups together, through the indexes (bitmap scans, OR-ed), or every point is read.
    matching = points_matching(names=["knee"], texts=["knee"], every_match=True)
    sql, params = Point.objects.filter(matching).order_by().values_list("pk", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "points_point_names_trgm" in plan
    assert "points_point_search_text_trgm" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage of search_text")
def test_postgresql_keeps_the_searched_text_in_the_row_uncompressed(site_pages):
    # A row past 2 KB: PostgreSQL compresses or moves its other long values first, and the searched
    # text (1.4 KB here) then fits in the row as it is.
    long_text = "Pain of the lower back and the knees, stiffness on waking. " * 12
    point = make_point("BL23", indications=long_text, functions=long_text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(search_text), octet_length(search_text) FROM points_point WHERE id = %s", [point.pk]
        )
        stored, length = cursor.fetchone()
    assert length > 1000
    assert stored >= length, "the searched text was compressed"
