"""Readers get cached pages; editors' changes show at once; staff never see or leave a cached copy."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from points import cache as content_cache
from points.models import Status
from points.tests.factories import (
    link_condition,
    link_precaution,
    make_area,
    make_condition,
    make_point,
    make_precaution,
)

pytestmark = pytest.mark.django_db

URL = "/points/bl52/"


@pytest.fixture
def bl52(site_pages):
    make_area("lower-back")
    return make_point("BL52", pinyin="Zhishi", finding="Four finger widths from the spine.", areas=["lower-back"])


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="a long editor password", is_staff=True)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_readers_page_comes_from_the_cache_the_second_time(client, bl52, hit_queries):
    first, first_queries = queries_for(client, URL)
    assert first.status_code == 200
    assert len(first_queries) > 1
    second, second_queries = queries_for(client, URL)
    # At most the content version, which tells whether the copy is current.
    assert second_queries == hit_queries
    assert second.status_code == 200
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_a_saved_change_to_a_point_shows_on_the_next_request(
    client, bl52, django_assert_num_queries, django_capture_on_commit_callbacks, hit_queries
):
    assert "Four finger widths" in client.get(URL).content.decode()
    with django_assert_num_queries(len(hit_queries)):
        client.get(URL)
    bl52.finding = "Three finger widths from the spine."
    with django_capture_on_commit_callbacks(execute=True):
        bl52.save()
    content = client.get(URL).content.decode()
    assert "Three finger widths from the spine." in content
    assert "Four finger widths" not in content


def test_a_saved_change_to_a_linked_precaution_shows_on_the_point_page(
    client, bl52, django_capture_on_commit_callbacks
):
    pregnancy = make_precaution("pregnancy", title="Pregnancy")
    link_precaution(bl52, pregnancy, note="Strong pressure here is avoided in pregnancy.")
    assert "Pregnancy" in client.get(URL).content.decode()
    pregnancy.title = "Pregnancy and trying to conceive"
    with django_capture_on_commit_callbacks(execute=True):
        pregnancy.save()
    assert "Pregnancy and trying to conceive" in client.get(URL).content.decode()


def test_a_deleted_point_is_gone_on_the_next_request(client, bl52, django_capture_on_commit_callbacks):
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        bl52.delete()
    assert client.get(URL).status_code == 404


def test_a_staff_user_never_gets_the_cached_page(client, bl52, editor):
    client.get(URL)  # a reader's visit caches the page
    client.force_login(editor)
    response, queries = queries_for(client, URL)
    assert response.status_code == 200
    assert any("points_point" in sql for sql in queries), "the page was not rendered afresh for staff"
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_staff_see_a_draft_with_a_draft_banner_that_readers_never_get(client, site_pages, editor):
    make_point("BL23", status=Status.DRAFT, pinyin="Shenshu")
    client.force_login(editor)
    response = client.get("/points/bl23/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="draft-banner"' in content
    assert "Draft" in content
    client.logout()
    reader = client.get("/points/bl23/")
    assert reader.status_code == 404
    assert "Shenshu" not in reader.content.decode()


def test_a_conditional_get_with_the_etag_gets_304(client, bl52):
    first = client.get(URL)
    etag = first["ETag"]
    second = client.get(URL, headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert second.content == b""


def test_an_old_etag_gets_the_new_page_after_a_change(client, bl52, django_capture_on_commit_callbacks):
    etag = client.get(URL)["ETag"]
    bl52.finding = "Three finger widths from the spine."
    with django_capture_on_commit_callbacks(execute=True):
        bl52.save()
    response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Three finger widths" in response.content.decode()


@pytest.mark.parametrize("view", ["front", "back"])
def test_the_body_maps_static_outlines_are_the_same_drawing_as_the_point_figures(view):
    template = (django_settings.BASE_DIR / f"points/templates/points/figures/{view}.html").read_text()
    # The outline only: the point figures add landmarks that the body map leaves out.
    drawing = re.search(r'<g class="figure-outline".*?</g>', template, flags=re.DOTALL).group(0)
    assert drawing in (django_settings.BASE_DIR / f"static/img/body-{view}.svg").read_text()


def test_the_point_list_links_the_body_outlines_instead_of_inlining_them(client, bl52):
    content = client.get("/points/").content.decode()
    assert 'href="/static/img/body-front.svg"' in content
    assert 'class="figure-outline"' not in content
    assert len(content.encode()) < 25 * 1024


def test_a_saved_change_shows_in_the_cards_of_every_list_even_without_the_page_cache(
    client, bl52, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    for url in ("/points/?area=lower-back", "/search/?q=zhi"):
        assert "Four finger widths" not in client.get(url).content.decode()
    bl52.summary = "Eases a tired lower back."
    with django_capture_on_commit_callbacks(execute=True):
        bl52.save()
    for url in ("/points/?area=lower-back", "/search/?q=zhi", "/meridians/bl/"):
        response = client.get(url)
        assert response.status_code == 200
        if url != "/meridians/bl/":
            assert "Eases a tired lower back." in response.content.decode(), url


def test_rows_staff_render_with_drafts_are_never_shown_to_readers(client, bl52, settings, django_user_model):
    settings.PAGE_CACHE_SECONDS = 0
    make_point("BL23", status="draft", pinyin="Shenshu")
    editor = django_user_model.objects.create_user("editor", password="a long editor password", is_staff=True)
    client.force_login(editor)
    for url in ("/meridians/bl/", "/points/?area=lower-back", "/search/?q=shenshu"):
        client.get(url)
    client.logout()
    for url in ("/meridians/bl/", "/points/", "/search/?q=shenshu"):
        assert "Shenshu" not in client.get(url).content.decode(), url


def test_a_point_page_without_the_page_cache_shows_a_new_warning_at_once(client, bl52, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "Pregnancy" not in client.get(URL).content.decode()  # its body is kept for this version
    link_precaution(bl52, make_precaution("pregnancy", title="Pregnancy"), note="Avoided in pregnancy.")
    content = client.get(URL).content.decode()
    assert "Avoided in pregnancy." in content
    assert 'href="/safety/pregnancy/"' in content


def test_a_point_page_body_kept_for_one_reader_still_tells_the_next_how_they_arrived(client, bl52, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_point("BL47", pinyin="Hunmen", described=False)
    plain = client.get(URL).content.decode()
    assert "older Bladder numbering" not in plain
    arrived = client.get(f"{URL}?via=b47").content.decode()
    assert "older Bladder numbering <strong>b47</strong>" in arrived
    assert arrived.split('id="names-heading"')[1] == plain.split('id="names-heading"')[1]
    assert "older Bladder numbering" not in client.get(URL).content.decode()


@pytest.mark.parametrize("url", ["/safety/pregnancy/", "/conditions/sciatica/", "/meridians/bl/"])
def test_a_page_number_note_or_a_readers_parameters_never_reach_the_next_reader(
    client, bl52, settings, monkeypatch, url
):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr("points.views.topics.LINKED_PAGE_SIZE", 1)
    monkeypatch.setattr("points.views.topics.MERIDIAN_PAGE_SIZE", 1)
    pregnancy = make_precaution("pregnancy", title="Pregnancy")
    sciatica = make_condition("sciatica", name="Sciatica")
    for point in (bl52, make_point("BL53", areas=["lower-back"])):
        link_precaution(point, pregnancy)
        link_condition(point, sciatica)
    odd = client.get(f"{url}?page=999&utm_source=newsletter").content.decode()
    assert "There is no page 999; here is the last page." in odd
    assert "Page 2 of 2" in odd
    plain = client.get(f"{url}?page=2").content.decode()
    assert "Page 2 of 2" in plain
    assert "There is no page 999" not in plain
    assert "newsletter" not in plain


def test_a_process_keeps_only_its_latest_fragments_within_its_budget_and_the_rest_stay_shared(monkeypatch):
    monkeypatch.setattr(content_cache, "LOCAL_FRAGMENT_CHARS", 25)
    content_cache.fragment_set_many({"fragment:a": "a" * 10, "fragment:b": "b" * 10}, 60)
    content_cache.fragment_set_many({"fragment:c": "c" * 10}, 60)
    kept = dict(content_cache._local_fragments)
    assert list(kept) == ["fragment:b", "fragment:c"]
    assert sum(map(len, kept.values())) <= 25
    assert content_cache.fragment_get("fragment:a") == "a" * 10


def test_a_link_added_or_removed_outside_a_save_changes_the_content_version(site_pages):
    point = make_point("BL52")
    before = content_cache.version()
    point.areas.add(make_area("hip"))
    after_add = content_cache.version()
    point.areas.clear()
    assert before != after_add != content_cache.version()


def test_a_list_mixing_cached_and_new_cards_keeps_its_order_and_warnings(client, bl52, settings):
    settings.PAGE_CACHE_SECONDS = 0
    pregnancy = make_precaution("pregnancy", badge="Not in pregnancy")
    for code in ("BL23", "BL25"):
        link_precaution(make_point(code, areas=["lower-back"]), pregnancy)
    make_area("neck")
    make_point("BL10", areas=["neck"])
    client.get("/points/?area=lower-back")  # caches the cards of BL23, BL25 and BL52
    content = client.get("/points/?area=lower-back&area=neck").content.decode()
    codes = re.findall(r'<span class="code">([^<]+)</span>', content)
    assert codes == ["BL10", "BL23", "BL25", "BL52"]
    cards = content.split('<span class="code">')[1:]
    assert ["Not in pregnancy" in card.split("</article>")[0] for card in cards] == [False, True, True, False]
