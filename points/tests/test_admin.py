"""Every model's admin: the lists editors curate from, search, filters, the index page and the headers."""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from points import models
from points.models import Alias, Point, Status
from points.tests.admin_pages import add_url, change_url, changelist, listed_codes
from points.tests.factories import (
    combine,
    link_condition,
    link_precaution,
    make_alias,
    make_area,
    make_condition,
    make_guide,
    make_meridian,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# Every model is declared for curation.


@pytest.mark.parametrize(
    "model",
    [
        models.Point,
        models.Condition,
        models.Precaution,
        models.Guide,
        models.Meridian,
        models.Source,
        models.BodyArea,
    ],
)
def test_every_page_model_has_an_admin_with_list_add_and_change_pages(admin_client, model):
    assert admin.site.is_registered(model)
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(add_url(model)).status_code == 200


def test_change_pages_of_every_kind_render(admin_client):
    point = make_point("BL52")
    condition = make_condition("sciatica")
    precaution = make_precaution("pregnancy")
    link_condition(point, condition)
    link_precaution(point, precaution)
    combine(point, make_point("BL23"))
    for obj in (point, condition, precaution, make_guide(), make_meridian("GB"), make_source(), make_area()):
        assert admin_client.get(change_url(obj)).status_code == 200, obj


# The list an editor scans.


def test_point_list_shows_code_names_meridian_status_review_and_warnings(admin_client):
    point = make_point(
        "BL52", pinyin="Zhishi", english_name="Will Chamber", next_review_due=TODAY - datetime.timedelta(1)
    )
    link_precaution(point, make_precaution("pregnancy", badge="Not in pregnancy"))
    response = admin_client.get(changelist(Point))
    html = response.content.decode()
    for text in ("BL52", "Zhishi", "Will Chamber", "BL Bladder", "Published", "(overdue)", "Not in pregnancy"):
        assert text in html


def test_point_list_costs_the_same_number_of_queries_for_many_points(admin_client):
    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(changelist(Point)).status_code == 200
        return len(queries)

    pregnancy = make_precaution("pregnancy")
    link_precaution(make_point("BL52"), pregnancy)
    few = queries_for_list()
    for code in ("BL23", "BL40", "GB30", "LI4", "GV4"):
        link_precaution(make_point(code), pregnancy)
    assert queries_for_list() == few


def test_condition_list_shows_point_counts_and_warnings(admin_client):
    condition = make_condition("sciatica")
    link_condition(make_point("BL52"), condition)
    link_condition(make_point("GB30"), condition)
    precaution = make_precaution("bone-metastasis", badge="Not over tumours")
    models.ConditionPrecaution.objects.create(condition=condition, precaution=precaution, note="Ask first.")
    response = admin_client.get(changelist(models.Condition))
    assert response.context["cl"].result_list[0].point_count == 2
    assert "Not over tumours" in response.content.decode()


# Search: codes in any notation, aliases and names.


@pytest.mark.parametrize("term", ["B47", "b47", "BL52", "bl 52", "UB52", "Zhishi", "zhi shi", "Will Chamber", "志室"])
def test_searching_any_notation_or_name_finds_the_point(admin_client, term):
    make_point("BL52", pinyin="Zhishi", english_name="Will Chamber", hanzi_traditional="志室")
    make_point("BL47", pinyin="Hunmen", english_name="Soul Gate", hanzi_traditional="魂門")
    response = admin_client.get(changelist(Point), {"q": term})
    assert listed_codes(response) == ["BL52"]


def test_searching_an_alias_finds_the_point(admin_client):
    point = make_point("BL52")
    make_alias(point, "Jing Gong", kind=Alias.Kind.PINYIN)
    make_point("BL23")
    for term in ("Jing Gong", "jinggong", "Jīng Gōng"):
        assert listed_codes(admin_client.get(changelist(Point), {"q": term})) == ["BL52"], term


def test_search_keeps_the_other_filters(admin_client):
    make_point("BL52", status=Status.DRAFT)
    response = admin_client.get(changelist(Point), {"q": "B47", "status__exact": "published"})
    assert listed_codes(response) == []


def test_autocomplete_finds_a_point_by_its_old_code(admin_client):
    make_point("BL52")
    make_point("BL47")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "B47", "app_label": "points", "model_name": "combination", "field_name": "partner"},
    )
    assert [result["text"] for result in response.json()["results"]] == [str(Point.objects.get(code="BL52"))]


# Filters.


def test_point_list_filters_by_meridian_area_condition_precaution_and_status(admin_client):
    bl52 = make_point("BL52", areas=["lower-back"])
    gb30 = make_point("GB30", areas=["sacrum-buttock"], status=Status.REVIEW)
    link_condition(gb30, make_condition("sciatica"))
    link_condition(bl52, make_condition("lower-back-pain"))
    link_precaution(bl52, make_precaution("pregnancy"))
    link_precaution(gb30, make_precaution("bone-metastasis"))
    cases = {
        "meridian__id__exact": (str(bl52.meridian_id), ["BL52"]),
        "areas__id__exact": (str(gb30.areas.get().pk), ["GB30"]),
        "condition_links__condition__id__exact": (str(gb30.condition_links.get().condition_id), ["GB30"]),
        "precaution_links__precaution__id__exact": (str(bl52.precaution_links.get().precaution_id), ["BL52"]),
        "status__exact": ("review", ["GB30"]),
    }
    for parameter, (value, expected) in cases.items():
        assert listed_codes(admin_client.get(changelist(Point), {parameter: value})) == expected, parameter


def test_review_overdue_filter_lists_only_content_past_its_review_date(admin_client):
    make_point("BL52", next_review_due=TODAY - datetime.timedelta(days=1))
    make_point("BL23", next_review_due=TODAY + datetime.timedelta(days=10))
    make_point("GB30")
    assert listed_codes(admin_client.get(changelist(Point), {"review": "overdue"})) == ["BL52"]
    assert listed_codes(admin_client.get(changelist(Point), {"review": "soon"})) == ["BL23"]
    assert listed_codes(admin_client.get(changelist(Point), {"review": "never"})) == ["BL23", "BL52", "GB30"]


def test_review_overdue_filter_works_for_conditions_precautions_and_guides(admin_client):
    overdue = TODAY - datetime.timedelta(days=1)
    for obj in (
        make_condition("sciatica", next_review_due=overdue),
        make_precaution("pregnancy", next_review_due=overdue),
        make_guide("how-to-press", next_review_due=overdue),
    ):
        make_condition("neck-pain") if isinstance(obj, models.Condition) else None
        response = admin_client.get(changelist(type(obj)), {"review": "overdue"})
        assert list(response.context["cl"].result_list) == [obj]


# The index page.


def test_admin_index_lists_what_is_overdue_for_review(admin_client):
    make_point("BL52", pinyin="Zhishi", next_review_due=datetime.date(2020, 1, 2))
    make_point("BL23", next_review_due=TODAY + datetime.timedelta(days=5))
    make_guide("evidence", title="What the evidence says", next_review_due=datetime.date(2021, 3, 4))
    html = admin_client.get(reverse("admin:index")).content.decode()
    overdue = html[html.index('id="overdue-reviews"') :]
    overdue = overdue[: overdue.index("</table>")]
    assert "BL52 Zhishi" in overdue
    assert "2 Jan 2020" in overdue
    assert "What the evidence says" in overdue
    assert "BL23" not in overdue
    assert f'href="{changelist(Point)}?review=overdue"' in overdue


def test_admin_index_says_when_nothing_is_overdue(admin_client):
    make_point("BL52", next_review_due=TODAY + datetime.timedelta(days=5))
    assert "Nothing is overdue for review." in admin_client.get(reverse("admin:index")).content.decode()


def test_admin_index_overdue_list_has_a_fixed_cost(admin_client):
    for number in range(1, 13):
        make_point(f"BL{number}", next_review_due=datetime.date(2020, 1, number))
    response = admin_client.get(reverse("admin:index"))
    assert "and 2 more" in response.content.decode()


# Headers: no caching of editors' pages, and a CSP the admin lives within.


def test_admin_pages_tell_browsers_and_proxies_not_to_keep_a_copy(admin_client, client):
    for response in (admin_client.get(changelist(Point)), client.get(reverse("admin:login"))):
        cache_control = response["Cache-Control"]
        for directive in ("no-cache", "no-store", "must-revalidate", "private"):
            assert directive in cache_control
        assert response["Expires"]


def test_public_pages_are_not_marked_no_store(client, site_pages):
    make_point("BL52")
    response = client.get("/points/bl52/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("page", ["index", "point-list", "point-change", "point-add", "condition-change", "login"])
def test_admin_pages_run_no_inline_script_under_the_site_csp(admin_client, client, page):
    point = make_point("BL52")
    condition = make_condition("sciatica")
    urls = {
        "index": reverse("admin:index"),
        "point-list": changelist(Point),
        "point-change": change_url(point),
        "point-add": add_url(Point),
        "condition-change": change_url(condition),
        "login": reverse("admin:login"),
    }
    response = (client if page == "login" else admin_client).get(urls[page])
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
