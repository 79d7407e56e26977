"""The change form: previews, view on site, friendly validation, and no lost work."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError

from points.models import Point, Revision, Status
from points.tests.admin_pages import change_url, changelist, form_errors, listed_codes, login
from points.tests.factories import (
    admin_form_data,
    make_alias,
    make_condition,
    make_editor,
    make_guide,
    make_meridian,
    make_point,
    make_precaution,
)

pytestmark = pytest.mark.django_db


# The change form: preview, view on site, friendly validation.


def test_markdown_is_previewed_read_only_as_sanitised_html(admin_client):
    make_point("BL23", pinyin="Shenshu")
    point = make_point("BL52", location="Level with [[BL23]], **four** finger widths <script>alert(1)</script>")
    html = admin_client.get(change_url(point)).content.decode()
    assert '<a href="/points/bl23/" rel="noopener noreferrer">BL23 Shenshu</a>, <strong>four</strong>' in html
    assert "<script>alert(1)</script>" not in html
    assert 'name="location_html"' not in html


def test_change_page_links_to_the_page_on_the_site(admin_client):
    point = make_point("BL52")
    html = admin_client.get(change_url(point)).content.decode()
    assert "View on site" in html
    view_on_site = re.search(r'href="(/admin/r/[^"]+)"', html).group(1)
    assert admin_client.get(view_on_site)["Location"].endswith("/points/bl52/")


def test_a_code_that_does_not_match_meridian_and_number_is_an_error_on_the_code(admin_client):
    point = make_point("BL52")
    response = admin_client.get(change_url(point))
    response = admin_client.post(change_url(point), admin_form_data(response, code="BL53"))
    assert response.status_code == 200
    assert form_errors(response)["code"] == ["The code must match the meridian and number: BL52, not BL53."]


def test_an_unresolved_cross_reference_is_a_field_error_saying_how_to_write_one(admin_client):
    point = make_point("BL52", location="Old text.")
    response = admin_client.get(change_url(point))
    response = admin_client.post(change_url(point), admin_form_data(response, location="Level with [[BL99]]."))
    assert form_errors(response) == {
        "location": [
            "[[BL99]] does not match any point or source. "
            "Write a WHO code such as [[BL23]] or a source as [[source:slug]]."
        ]
    }
    point.refresh_from_db()
    assert point.location == "Old text."


def test_unresolved_references_are_checked_in_every_markdown_field_of_every_model(admin_client):
    for obj, field in (
        (make_condition("sciatica"), "body"),
        (make_precaution("pregnancy"), "body"),
        (make_guide("evidence"), "body"),
        (make_meridian("GB"), "description"),
    ):
        response = admin_client.get(change_url(obj))
        response = admin_client.post(change_url(obj), admin_form_data(response, **{field: "See [[source:nowhere]]."}))
        assert form_errors(response) == {
            field: [
                "[[source:nowhere]] does not match any point or source. "
                "Write a WHO code such as [[BL23]] or a source as [[source:slug]]."
            ]
        }, obj


def test_removed_html_is_saved_and_the_editor_is_told_what_was_removed_from_which_field(admin_client):
    point = make_point("BL52")
    response = admin_client.get(change_url(point))
    data = admin_form_data(
        response,
        location="Press here <script>alert(1)</script>",
        pressing='<p onclick="alert(1)">Firmly</p>',
        _publish="Save and publish",
    )
    response = admin_client.post(change_url(point), data)
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.location == "Press here <script>alert(1)</script>"
    assert "<script>" not in point.location_html
    warnings = [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]
    assert warnings == [
        "Saved, but “Location” had HTML that is not allowed, so readers will not see the <script> element. "
        "Remove it from the text or rewrite it in Markdown.",
        "Saved, but “Pressing” had HTML that is not allowed, so readers will not see the onclick attribute on <p>. "
        "Remove it from the text or rewrite it in Markdown.",
    ]


def test_renaming_a_point_updates_what_search_finds(admin_client):
    point = make_point("BL52", pinyin="Zhishi")
    response = admin_client.get(change_url(point))
    assert admin_client.post(change_url(point), admin_form_data(response, pinyin="Jinggong")).status_code == 302
    assert listed_codes(admin_client.get(changelist(Point), {"q": "jinggong"})) == ["BL52"]


# No lost work.


def test_a_save_from_a_form_loaded_before_another_save_is_refused_and_both_texts_are_kept(site_pages):
    point = make_point("BL23", status=Status.DRAFT, location="Original.")
    first, second = login(make_editor("first", first_name="Ana")), login(make_editor("second"))
    first_page, second_page = first.get(change_url(point)), second.get(change_url(point))
    assert first.post(change_url(point), admin_form_data(first_page, location="Ana's text.")).status_code == 302

    response = second.post(change_url(point), admin_form_data(second_page, location="My own text."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana saved this page at" in html
    assert response.context["adminform"].form["location"].value() == "My own text."
    assert "<del>Ana&#x27;s</del>" in html or "<del>Ana's</del>" in html
    assert Point.objects.get(pk=point.pk).location == "Ana's text."
    # Having seen the other save, the second editor may save on purpose.
    again = second.post(change_url(point), admin_form_data(response, location="My own text."))
    assert again.status_code == 302
    assert Point.objects.get(pk=point.pk).location == "My own text."


def test_a_save_over_a_pending_change_saved_meanwhile_is_refused(site_pages):
    point = make_point("BL23", location="Live.")
    first, second = login(make_editor("first", first_name="Ana")), login(make_editor("second"))
    first.post(change_url(point), admin_form_data(first.get(change_url(point)), location="First pending."))
    first_again, second_page = first.get(change_url(point)), second.get(change_url(point))
    first.post(change_url(point), admin_form_data(first_again, location="First, reworded."))
    response = second.post(change_url(point), admin_form_data(second_page, location="Second's text."))
    assert response.status_code == 200
    assert "Ana saved this page at" in response.content.decode()
    assert Revision.objects.get().data["location"] == ["First, reworded."]


def test_the_change_form_says_who_else_has_it_open(site_pages):
    point = make_point("BL23")
    login(make_editor("first", first_name="Ana")).get(change_url(point))
    html = login(make_editor("second")).get(change_url(point)).content.decode()
    assert "Ana opened this page for editing" in html


def test_an_inline_row_deleted_meanwhile_gets_a_readable_error_and_the_form_keeps_its_text(site_pages):
    point = make_point("BL23", status=Status.DRAFT)
    alias = make_alias(point, "Shenshu")
    client = login(make_editor("editor"))
    page = client.get(change_url(point))
    alias.delete()
    data = admin_form_data(page, location="Typed text.")
    response = client.post(change_url(point), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "deleted by someone else meanwhile" in html and "Shenshu" in html
    assert response.context["adminform"].form["location"].value() == "Typed text."
    assert client.post(change_url(point), admin_form_data(response)).status_code == 302
    assert point.aliases.get().name == "Shenshu"


def test_a_busy_database_gives_the_editor_their_text_back_not_a_500(monkeypatch, site_pages):
    point = make_point("BL23", status=Status.DRAFT, location="Saved.")
    client = login(make_editor("editor"))
    page = client.get(change_url(point))

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Point, "save", locked)
    response = client.post(change_url(point), admin_form_data(page, location="Unsaved typing."))
    assert response.status_code == 200
    assert "The database is busy" in response.content.decode()
    assert response.context["adminform"].form["location"].value() == "Unsaved typing."


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(settings, tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")})
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    wrapper.close()
    assert options["timeout"] > 0
    assert options["transaction_mode"] == "IMMEDIATE"
