"""The rows a page edits on its own form: aliases, links and combinations, with one clear message per mistake."""

import pytest

from points import models
from points.models import Alias, Point
from points.tests.admin_pages import add_url, change_url, form_errors
from points.tests.factories import admin_form_data, combine, make_alias, make_meridian, make_point, make_source

pytestmark = pytest.mark.django_db


# Inline rows: none empty, several saved with their page.


def test_inlines_add_no_empty_rows(admin_client):
    point = make_point("BL52")
    make_alias(point, "Zhishi")
    response = admin_client.get(change_url(point))
    total_forms = {
        inline.formset.prefix: inline.formset.total_form_count() for inline in response.context["inline_admin_formsets"]
    }
    assert total_forms == {
        "aliases": 1,
        "condition_links": 0,
        "precaution_links": 0,
        "combination_links": 0,
        "partner_links": 0,
    }


def test_an_editor_can_add_a_point_with_aliases_in_one_save(admin_client):
    make_meridian("BL")
    response = admin_client.get(add_url(Point))
    data = admin_form_data(
        response,
        code="bl52",
        meridian=str(models.Meridian.objects.get(code="BL").pk),
        number="52",
        pinyin="Zhishi",
        hanzi_traditional="志室",
        english_name="Will Chamber",
        status="draft",
        categories=["back-shu"],
        **{
            "aliases-TOTAL_FORMS": "1",
            "aliases-0-name": "B47",
            "aliases-0-kind": Alias.Kind.OLD_BLADDER,
        },
    )
    response = admin_client.post(add_url(Point), data)
    assert response.status_code == 302, form_errors(response)
    point = Point.objects.get(code="BL52")
    assert point.categories == ["back-shu"]
    assert list(point.aliases.values_list("name", flat=True)) == ["B47"]
    assert " b47 " in point.search_names


# Aliases.


def test_an_alias_of_another_point_gets_one_clear_message(admin_client):
    make_alias(make_point("BL23"), "Shen Shu")
    point = make_point("BL52")
    response = admin_client.get(change_url(point))
    data = admin_form_data(
        response, **{"aliases-TOTAL_FORMS": "1", "aliases-0-name": "shenshu", "aliases-0-kind": "pinyin"}
    )
    response = admin_client.post(change_url(point), data)
    assert form_errors(response) == {
        "aliases-0-name": [
            "“shenshu” is already an alias of BL23. Tick “shared” on both if the name really belongs to both points."
        ]
    }


def test_the_same_alias_twice_on_one_point_is_a_form_error_not_a_crash(admin_client):
    point = make_point("BL52")
    make_alias(point, "Jing Gong")
    response = admin_client.get(change_url(point))
    data = admin_form_data(
        response, **{"aliases-TOTAL_FORMS": "2", "aliases-1-name": "jinggong", "aliases-1-kind": "pinyin"}
    )
    response = admin_client.post(change_url(point), data)
    assert response.status_code == 200
    assert form_errors(response) == {
        "aliases-1-name": [
            "“jinggong” is the same alias as “Jing Gong” above (case, tone marks, spaces and punctuation do not "
            "count); keep one of them."
        ]
    }


def test_a_shared_alias_may_belong_to_two_points(admin_client):
    make_alias(make_point("BL23"), "Back point", kind=Alias.Kind.DESCRIPTIVE, shared=True)
    point = make_point("BL52")
    response = admin_client.get(change_url(point))
    data = admin_form_data(
        response,
        **{"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Back point", "aliases-0-kind": "descriptive"},
        **{"aliases-0-shared": "on", "_publish": "Save and publish"},
    )
    assert admin_client.post(change_url(point), data).status_code == 302
    assert Alias.objects.filter(key="backpoint").count() == 2


# Combinations.


def test_a_combination_already_written_the_other_way_round_is_refused(admin_client):
    bl52, bl23 = make_point("BL52"), make_point("BL23")
    combine(bl23, bl52)
    response = admin_client.get(change_url(bl52))
    data = admin_form_data(
        response,
        **{
            "combination_links-TOTAL_FORMS": "1",
            "combination_links-0-partner": str(bl23.pk),
            "combination_links-0-note": "Together for the lower back.",
            "combination_links-0-basis": "classical",
            "combination_links-0-source": str(make_source().pk),
        },
    )
    response = admin_client.post(change_url(bl52), data)
    assert form_errors(response) == {
        "combination_links-0-partner": [
            "BL23 is already combined with BL52 on BL23's page; a pair is written once and shown on both points."
        ]
    }


def test_a_point_cannot_be_combined_with_itself(admin_client):
    point = make_point("BL52")
    response = admin_client.get(change_url(point))
    data = admin_form_data(
        response,
        **{
            "combination_links-TOTAL_FORMS": "1",
            "combination_links-0-partner": str(point.pk),
            "combination_links-0-note": "Alone.",
            "combination_links-0-basis": "classical",
            "combination_links-0-source": str(make_source().pk),
        },
    )
    response = admin_client.post(change_url(point), data)
    assert form_errors(response) == {
        "combination_links-0-__all__": ["A point cannot be combined with itself; choose another partner."]
    }
