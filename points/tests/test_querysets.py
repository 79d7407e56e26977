"""Queries per page are pinned, and shown not to grow with the number of points."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acusite.measure.generated import add_generated_points
from points import cache as content_cache
from points.models import Point
from points.point_page import point_links, point_page_rows
from points.tests.factories import (
    combine,
    link_condition,
    link_condition_precaution,
    link_precaution,
    make_alias,
    make_area,
    make_condition,
    make_point,
    make_precaution,
    make_source,
)
from points.vocabulary import described_points_by_area, get_vocabulary

pytestmark = pytest.mark.django_db

# Pages that read the small cached vocabularies (or the page cache) first read the content
# version: one indexed query, counted here. What a page links to comes from per-version
# indexes (points.point_page, points.vocabulary.topic_links), so a point, meridian, condition
# or safety page reads its own row only. A reader's point list filtered by area, meridian,
# condition or precaution is worked out from the per-version list index (points.filters), so
# it reads nothing but the content version; a text filter reads its page's ids with its size in
# one query (the unfiltered list's size is counted per version); cards and rows
# rendered once per content version (points.templatetags.fragments) skip the queries for
# their warnings.
PAGES = {
    "/": 2,
    "/points/": 2,
    "/points/?area=lower-back&condition=sciatica&meridian=st": 1,
    "/points/?without=osteoporosis&area=lower-back": 1,
    "/points/?q=zhishi": 2,
    "/points/bl52/": 2,
    "/meridians/bl/": 2,
    "/conditions/sciatica/": 2,
    "/safety/pregnancy/": 2,
    "/search/?q=vitality": 2,
    "/sources/": 1,
}


def build(count):
    """`count` described points, each with an area, a condition, a precaution, an alias and a partner."""
    area, sciatica, pregnancy, source = (
        make_area("lower-back"),
        make_condition("sciatica"),
        make_precaution("pregnancy"),
        make_source(),
    )
    make_precaution("osteoporosis")
    link_condition_precaution(sciatica, pregnancy)
    bl52 = make_point("BL52", pinyin="Zhishi", areas=["lower-back"])
    link_condition(bl52, sciatica, source=source)
    link_precaution(bl52, pregnancy)
    make_alias(bl52, "Sea of Vitality", kind="descriptive")
    bl23 = make_point("BL23", areas=["lower-back"])
    link_precaution(bl23, pregnancy)
    combine(bl52, bl23, source=source)
    codes = [
        f"{m}{n}"
        for m, top in (
            ("ST", 45),
            ("BL", 67),
            ("GB", 44),
            ("KI", 27),
            ("SP", 21),
            ("LI", 20),
            ("TE", 23),
            ("SI", 19),
            ("LR", 14),
            ("LU", 11),
            ("GV", 28),
            ("CV", 24),
            ("HT", 9),
            ("PC", 9),
        )
        for n in range(1, top + 1)
    ]
    codes = [code for code in codes if code not in ("BL52", "BL23")][: count - 2]
    for code in codes:
        point = make_point(code, areas=["lower-back"])
        link_condition(point, sciatica, source=source)
        link_precaution(point, pregnancy)
        make_alias(point, f"alias of {code}", kind="english")
        combine(point, bl52, source=source)
    assert Point.objects.count() == count
    return area


def queries_per_page(client):
    """Queries for an uncached page render; the small cached vocabularies are warm, as in production."""
    counts = {}
    for url in PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("count", [30, 300])
def test_queries_per_page_are_pinned_and_do_not_grow_with_the_points(client, site_pages, no_page_cache, count):
    build(count)
    assert queries_per_page(client) == PAGES


def test_no_page_needs_more_than_six_queries_besides_the_content_version():
    assert max(PAGES.values()) <= 7


def test_a_cached_page_needs_at_most_one_query_the_content_version(client, site_pages, hit_queries):
    build(30)
    client.get("/points/bl52/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/points/bl52/")
    assert [query["sql"] for query in captured] == hit_queries


def test_for_list_fetches_warnings_with_the_points(site_pages, django_assert_num_queries):
    build(30)
    with django_assert_num_queries(2):
        for point in Point.objects.for_list():
            assert point.meridian.name
            assert [link.precaution.slug for link in point.precaution_links.all()] == ["pregnancy"]


def test_a_point_pages_rows_need_no_query_once_the_link_index_is_built(site_pages, django_assert_num_queries):
    build(30)
    with content_cache.request_scope():
        vocabulary = get_vocabulary()
        point_links()
        described_points_by_area()
        point = Point.objects.for_detail().get(code="BL52")
        with django_assert_num_queries(0):
            rows = point_page_rows(point, vocabulary)
        assert [area.slug for area in rows["areas"]] == ["lower-back"]
        assert [alias.name for alias in rows["aliases"]] == ["Sea of Vitality"]
        assert [link.condition.slug for link in rows["condition_links"]] == ["sciatica"]
        assert [link.precaution.slug for link in rows["precaution_links"]] == ["pregnancy"]
        assert len(rows["combinations"]) == 29
        assert len(rows["nearby"]) == 6


REAL_CONTENT_PAGES = [
    "/",
    "/points/",
    "/points/?area=lower-back",
    "/points/?condition=sciatica&meridian=gb",
    "/points/?without=pregnancy&area=neck",
    "/points/li4/",
    "/meridians/bl/",
    "/conditions/sciatica/",
    "/safety/pregnancy/",
    "/search/?q=zhishi",
    "/sources/",
]


def test_the_real_content_and_5000_more_points_cost_the_same_queries(client, no_page_cache):
    from django.core.management import call_command

    call_command("load_content", verbosity=0)

    def measure():
        counts = {}
        for url in REAL_CONTENT_PAGES:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code in (200, 302), url
            counts[url] = len(captured)
        return counts

    with_real_content = measure()
    add_generated_points(5000)
    assert measure() == with_real_content
    assert max(with_real_content.values()) <= 7
