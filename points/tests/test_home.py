"""The home page's way in, the layout's links as data, and the point list's filters: clean
URLs, only useful precautions offered, and the nearest combinations when nothing matches."""

import json

import pytest
from django.conf import settings
from django.templatetags.static import static

from points.body_map import REGIONS, regions_on
from points.navigation import FOOTER_PAGES, RED_FLAGS, every_linked_page
from points.tests.factories import (
    BODY_AREAS,
    link_condition,
    link_precaution,
    make_area,
    make_body_areas,
    make_condition,
    make_point,
    make_precaution,
)

pytestmark = pytest.mark.django_db


def test_the_body_map_describes_each_area_of_the_contract_once():
    slugs = [region.slug for region in REGIONS]
    assert sorted(slugs) == sorted(BODY_AREAS)
    assert len(slugs) == len(set(slugs))


def test_the_body_map_draws_every_region_from_the_data(client, site_pages):
    make_body_areas()
    content = client.get("/").content.decode()
    for view in ("front", "back"):
        for slug, title, _shapes in regions_on(view):
            assert f"<title>{title}</title>" in content
            assert f'href="/points/?area={slug}"' in content
    assert content.count('class="map-area"') == len(regions_on("front")) + len(regions_on("back"))


def test_the_home_page_offers_the_conditions_editors_put_first_and_only_those_with_points(client, site_pages):
    point = make_point("BL23")
    ranked = ["sciatica", "lower-back-pain", "neck-pain", "hip-pain", "knee-pain", "cough", "asthma"]
    # Created in the reverse of their order, so only the order field can put them right.
    for order, slug in reversed(list(enumerate(ranked))):
        link_condition(point, make_condition(slug, order=order + 1))
    make_condition("upper-back-pain", order=0)  # first by order, but no points yet
    content = client.get("/").content.decode()
    chips = ["sciatica", "lower-back-pain", "neck-pain", "hip-pain", "knee-pain", "cough"]
    positions = [content.index(f'href="/conditions/{slug}/"') for slug in chips]
    assert positions == sorted(positions)
    assert 'href="/conditions/asthma/"' not in content  # the seventh: six fit on the first screen
    assert 'href="/conditions/upper-back-pain/"' not in content


def test_the_layouts_content_links_come_from_the_navigation_data(client, site_pages):
    content = client.get("/sources/").content.decode()
    for kind, slug, text in (RED_FLAGS, *FOOTER_PAGES):
        assert text in content
        assert f'href="/{"safety" if kind == "safety" else "guides"}/{slug}/"' in content


@pytest.mark.parametrize("path", ["/", "/points/", "/sources/"])
def test_every_page_links_its_stylesheets_and_icon_at_the_static_storages_addresses(client, site_pages, path):
    content = client.get(path).content.decode()
    for name in ("css/site.css", "css/figures.css", "css/print.css", "img/favicon.svg"):
        assert f'href="{static(name)}"' in content


def test_every_page_the_layout_links_to_exists_and_is_published_in_the_content():
    models = {"safety": "points.precaution", "guide": "points.guide"}
    files = {"safety": "safety.json", "guide": "guides.json"}
    for kind, slug in every_linked_page():
        rows = json.loads((settings.BASE_DIR / "fixtures" / files[kind]).read_text())
        matches = [row for row in rows if row["model"] == models[kind] and row["fields"]["slug"] == slug]
        assert matches, f"{kind} {slug} is linked from every page but is not in fixtures/{files[kind]}"
        assert matches[0]["fields"]["status"] == "published", f"{kind} {slug} is not published"


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("?q=&area=lower-back&meridian=&condition=&without=&show=", "/points/?area=lower-back"),
        ("?q=&meridian=", "/points/"),
        ("?area=lower-back&area=knee&q=", "/points/?area=lower-back&area=knee"),
        ("?q=+&condition=sciatica", "/points/?condition=sciatica"),
    ],
)
def test_a_submitted_filter_form_with_empty_fields_redirects_to_the_clean_url(client, query, clean):
    response = client.get("/points/" + query)
    assert response.status_code == 302
    assert response["Location"] == clean


def test_a_clean_filter_url_is_answered_directly(client, site_pages):
    make_area("lower-back")
    assert client.get("/points/?area=lower-back").status_code == 200
    assert client.get("/points/").status_code == 200


def test_hide_points_to_avoid_with_offers_only_precautions_linked_to_a_published_point(client, site_pages):
    pregnancy = make_precaution("pregnancy", title="Pregnancy")
    make_precaution("electrical-stimulation", title="Electrical stimulation")
    draft_only = make_precaution("varicose-veins", title="Varicose veins")
    link_precaution(make_point("SP6"), pregnancy)
    link_precaution(make_point("SP10", status="draft"), draft_only)
    content = client.get("/points/").content.decode()
    assert '<option value="pregnancy">' in content
    assert '<option value="electrical-stimulation">' not in content
    assert '<option value="varicose-veins">' not in content
    # A shared URL with an unlinked precaution still works (it hides nothing) and stays selected.
    shared = client.get("/points/?without=electrical-stimulation").content.decode()
    assert '<option value="electrical-stimulation" selected>' in shared
    assert "There is no precaution" not in shared


def test_an_empty_result_links_the_nearest_combinations_that_have_points(client, site_pages):
    make_body_areas()
    sciatica = make_condition("sciatica", name="Sciatica")
    bl40 = make_point("BL40", areas=["knee"])
    link_condition(bl40, sciatica)
    make_point("BL23", areas=["lower-back"])
    make_point("BL52", areas=["lower-back"])
    content = client.get("/points/?area=lower-back&condition=sciatica").content.decode()
    assert "No points match these filters." in content
    assert "These nearby combinations have points:" in content
    assert 'href="?condition=sciatica"' in content
    assert "Used for: Sciatica”: 2 points<" in content
    assert "Area: Lower back”: 1 point<" in content


def test_an_empty_result_of_a_single_filter_suggests_no_combinations(client, site_pages):
    make_body_areas()
    content = client.get("/points/?area=ear").content.decode()
    assert "No points match these filters." in content
    assert "These nearby combinations have points:" not in content
