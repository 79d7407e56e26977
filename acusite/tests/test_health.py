"""The machine pages (health check, robots.txt, sitemap) and the error pages."""

import pytest
from django.test import override_settings
from django.urls import path

from acusite.views import server_error
from points.models import Status
from points.tests.factories import make_point

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug")


# A URLconf for the test that reaches the 500 handler through a real request.
urlpatterns = [path("broken/", broken_view)]
handler500 = "acusite.views.server_error"


def test_the_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@override_settings(SITE_URL="https://acusite.example.org")
def test_robots_txt_points_to_the_sitemap_on_the_site_url(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://acusite.example.org/sitemap.xml" in response.content.decode().splitlines()
    assert "Disallow: /admin/" in response.content.decode().splitlines()


@override_settings(SITE_URL="https://acusite.example.org")
def test_the_sitemap_lists_published_points_on_the_site_url_and_omits_drafts(client):
    make_point("BL52")
    make_point("BL23", status=Status.DRAFT)
    make_point("BL40", status=Status.REVIEW)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<loc>https://acusite.example.org/points/bl52/</loc>" in content
    assert "/points/bl23/" not in content
    assert "/points/bl40/" not in content


@pytest.mark.parametrize("url", ["/no-such-page/", "/points/zz99/"])
def test_a_not_found_page_offers_a_search_box(client, site_pages, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert 'role="search" action="/search/"' in content
    assert 'name="q"' in content


def test_the_500_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/points/bl52/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "get medical help now" in content


@pytest.mark.urls(__name__)
def test_an_unhandled_error_gets_the_500_page(client, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@override_settings(SITE_URL="https://acusite.example.org")
def test_canonical_link_og_url_and_json_ld_use_the_site_url(client):
    make_point("BL52")
    page = client.get("/points/bl52/").content.decode()
    assert '<link rel="canonical" href="https://acusite.example.org/points/bl52/">' in page
    assert '<meta property="og:url" content="https://acusite.example.org/points/bl52/">' in page
    assert "https:\\u002F\\u002Facusite.example.org\\u002Fpoints\\u002Fbl52\\u002F" in page or (
        '"url": "https://acusite.example.org/points/bl52/"' in page
    )
    assert "127.0.0.1" not in page
