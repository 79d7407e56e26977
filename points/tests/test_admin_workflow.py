"""Live pages stay live: pending revisions, comparison, publishing, sending back, preview and unpublishing."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from points.models import Meridian, Point, Precaution, Revision, Source, Status
from points.tests.admin_pages import change_url, edit, login, pending_url
from points.tests.factories import (
    admin_form_data,
    link_precaution,
    make_alias,
    make_editor,
    make_guide,
    make_point,
    make_precaution,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


# A published item never leaves the site because someone is editing it.


def test_an_editors_change_to_a_live_point_waits_for_review_while_readers_keep_the_published_page(
    client, editor, site_pages
):
    point = make_point("BL23", location="The published location.", areas=["lower-back"])
    response = edit(editor, point, location="An edited location.")
    assert response.status_code == 302
    page = client.get("/points/bl23/")
    assert page.status_code == 200
    assert "The published location." in page.content.decode()
    assert "An edited location." not in page.content.decode()
    assert [p.code for p in client.get("/points/?area=lower-back").context["points"]] == ["BL23"]
    assert Revision.objects.get().state == Revision.State.PENDING
    assert Point.objects.get(pk=point.pk).status == Status.PUBLISHED


def test_an_editors_change_to_the_pregnancy_precaution_keeps_every_pregnancy_warning_live(client, editor, site_pages):
    pregnancy = make_precaution("pregnancy", title="Pregnancy", summary="Not during pregnancy.")
    point = make_point("BL60")
    link_precaution(point, pregnancy, note="Traditionally avoided in pregnancy.")
    assert edit(editor, pregnancy, summary="Reworded.").status_code == 302
    assert "Traditionally avoided in pregnancy." in client.get("/points/bl60/").content.decode()
    assert client.get("/safety/pregnancy/").status_code == 200
    assert [p.code for p in client.get("/points/?without=pregnancy").context["points"]] == []


def test_the_form_of_a_live_page_shows_the_pending_change_to_the_next_editor(editor, site_pages):
    point = make_point("BL23", location="The published location.")
    edit(editor, point, location="An edited location.")
    page = editor.get(change_url(point))
    assert page.context["adminform"].form["location"].value() == "An edited location."
    assert "Awaiting review" in page.content.decode()


def test_a_reviewer_sees_the_change_word_by_word_and_publishes_it_for_every_reader(
    client, editor, reviewer, site_pages
):
    point = make_point("BL23", location="Three cun lateral.")
    make_alias(point, "Shenshu")
    assert "Three cun lateral." in client.get("/points/bl23/").content.decode()  # cached for readers now
    page = editor.get(change_url(point))
    data = admin_form_data(page, location="Two cun lateral.")
    data["aliases-0-DELETE"] = "on"
    editor.post(change_url(point), data)

    compare = reviewer.get(pending_url(point)).content.decode()
    assert "<del>Three</del>" in compare
    assert "<ins>Two</ins>" in compare
    assert "removed" in compare and "Shenshu" in compare

    response = reviewer.post(pending_url(point), {"action": "publish"})
    assert response.status_code == 302
    html = client.get("/points/bl23/").content.decode()
    assert "Two cun lateral." in html
    assert not point.aliases.exists()
    published = Point.objects.get(pk=point.pk)
    assert published.reviewer_name == "Rui Reviewer, an acusite reviewer"
    assert "reviewed on" in html and "Rui Reviewer" in html
    assert Revision.objects.get().state == Revision.State.PUBLISHED


def test_publishing_a_change_to_reviewed_content_records_todays_review_by_the_publisher(editor, reviewer, site_pages):
    point = make_point("BL23", location="Old.", last_reviewed=datetime.date(2026, 1, 5))
    edit(editor, point, location="New.")
    reviewer.post(pending_url(point), {"action": "publish"})
    point.refresh_from_db()
    assert point.last_reviewed == timezone.localdate()
    assert point.reviewed_by.username == "reviewer"
    assert point.reviewer_name == "Rui Reviewer, an acusite reviewer"


def test_an_editor_cannot_publish_a_pending_change(editor, site_pages):
    point = make_point("BL23", location="Old.")
    edit(editor, point, location="New.")
    assert editor.post(pending_url(point), {"action": "publish"}).status_code == 403
    assert Point.objects.get(pk=point.pk).location == "Old."


def test_a_change_sent_back_shows_the_reviewers_comment_to_the_editor(editor, reviewer, site_pages):
    point = make_point("BL23", location="Old.")
    edit(editor, point, location="New.")
    assert reviewer.post(pending_url(point), {"action": "send-back", "comment": ""}).status_code == 200
    reviewer.post(pending_url(point), {"action": "send-back", "comment": "Give the cun measure."})
    assert Revision.objects.get().state == Revision.State.SENT_BACK
    assert "Give the cun measure." in editor.get(change_url(point)).content.decode()
    assert "Sent back to you" in editor.get(reverse("admin:index")).content.decode()


def test_the_review_queue_lists_pending_changes_for_reviewers_and_own_changes_for_editors(editor, reviewer, site_pages):
    point = make_point("BL23")
    edit(editor, point, location="New.")
    queue = reviewer.get(reverse("admin:index")).content.decode()
    assert "Changes to live pages awaiting review" in queue
    assert "BL23" in queue and pending_url(point) in queue
    other = login(make_editor("other"))
    assert "BL23" not in other.get(reverse("admin:index")).content.decode()
    assert "Your changes awaiting review" in editor.get(reverse("admin:index")).content.decode()


def test_a_reviewer_can_save_and_publish_in_one_step(client, reviewer, site_pages):
    point = make_point("BL23", location="Old.")
    edit(reviewer, point, location="New.", _publish="Save and publish")
    assert "New." in client.get("/points/bl23/").content.decode()
    assert not Revision.objects.exists()


def test_the_preview_shows_the_pending_change_on_the_public_template_and_readers_never_see_it(
    client, editor, site_pages
):
    point = make_point("BL23", location="Old location.")
    pregnancy = make_precaution("pregnancy", title="Pregnancy", summary="Avoid in pregnancy.")
    page = editor.get(change_url(point))
    data = admin_form_data(page, location="New location.")
    formset = next(
        i.formset for i in page.context["inline_admin_formsets"] if i.formset.model.__name__ == "PointPrecaution"
    )
    data[f"{formset.prefix}-TOTAL_FORMS"] = "1"
    data[f"{formset.prefix}-0-precaution"] = str(pregnancy.pk)
    data[f"{formset.prefix}-0-note"] = "A lumbosacral point."
    editor.post(change_url(point), data)

    preview = editor.get(reverse("admin:points_point_preview", args=[point.pk]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "New location." in html
    assert "A lumbosacral point." in html  # the warning, from the pending precaution link
    assert "Preview:" in html
    assert "New location." not in client.get("/points/bl23/").content.decode()
    assert Point.objects.get(pk=point.pk).location == "Old location."
    assert client.get(reverse("admin:points_point_preview", args=[point.pk])).status_code == 302  # to the login


def test_a_precaution_that_points_link_to_cannot_be_taken_off_the_site(reviewer, site_pages):
    pregnancy = make_precaution("pregnancy")
    link_precaution(make_point("SP6"), pregnancy)
    url = reverse("admin:points_precaution_unpublish", args=[pregnancy.pk])
    response = reviewer.post(url, {"reason": "Rewriting it."})
    assert "SP6" in response.content.decode()
    assert Precaution.objects.get(pk=pregnancy.pk).status == Status.PUBLISHED


def test_taking_a_page_off_the_site_needs_a_reviewer_and_a_reason(client, editor, reviewer, site_pages):
    guide = make_guide("history")
    url = reverse("admin:points_guide_unpublish", args=[guide.pk])
    assert editor.post(url, {"reason": "Outdated."}).status_code == 403
    assert "Give the reason" in reviewer.post(url, {"reason": ""}).content.decode()
    assert reviewer.post(url, {"reason": "Outdated."}).status_code == 302
    assert client.get("/guides/history/").status_code == 404
    assert "Taken off the site: Outdated." in Version.objects.get_for_object(guide).first().revision.get_comment()


def test_a_live_pages_status_cannot_be_changed_from_its_form(reviewer, site_pages):
    point = make_point("BL23")
    edit(reviewer, point, status=Status.DRAFT, _publish="Save and publish")
    assert Point.objects.get(pk=point.pk).status == Status.PUBLISHED


# Sources, meridians and body areas go through review too.


def test_an_editors_change_to_a_source_url_waits_for_review(client, editor, site_pages):
    source = make_source(slug="who", url="https://www.who.int/")
    edit(editor, source, url="https://phishing.example/")
    assert Source.objects.get(pk=source.pk).url == "https://www.who.int/"
    assert "phishing" not in client.get("/sources/").content.decode()


def test_only_reviewers_add_sources(editor, reviewer):
    assert editor.get(reverse("admin:points_source_add")).status_code == 403
    assert reviewer.get(reverse("admin:points_source_add")).status_code == 200


def test_a_meridian_code_must_be_one_of_the_fourteen(reviewer):
    page = reviewer.get(reverse("admin:points_meridian_add"))
    data = admin_form_data(page, code="XX", name="Made up", order="20")
    response = reviewer.post(reverse("admin:points_meridian_add"), data)
    assert response.status_code == 200
    assert "XX is not one of the available choices" in response.content.decode()
    assert not Meridian.objects.filter(code="XX").exists()


def test_the_meridian_pages_survive_a_row_that_skipped_validation(client, site_pages):
    Meridian.objects.create(code="XX", name="Broken", order=99)
    assert client.get("/meridians/").status_code == 200


# Review means review.


def test_publishing_a_new_page_records_the_reviewer_and_the_page_says_so(client, reviewer, site_pages):
    guide = make_guide("history", status=Status.REVIEW)
    reviewer.post(reverse("admin:points_guide_changelist"), {"action": "publish", ACTION_CHECKBOX_NAME: [guide.pk]})
    guide.refresh_from_db()
    assert guide.reviewed_by.username == "reviewer"
    html = client.get("/guides/history/").content.decode()
    assert "reviewed on" in html and "Rui Reviewer, an acusite reviewer" in html


def test_content_checked_only_by_the_team_says_no_clinician_has_reviewed_it(client, site_pages):
    import datetime

    make_guide("history", last_reviewed=datetime.date(2026, 11, 21))
    html = client.get("/guides/history/").content.decode()
    assert "checked against the standard references by the acusite editorial team" in html
    assert "no clinician has reviewed it yet" in html


def test_staff_without_a_role_cannot_reach_the_comparison_or_the_preview(site_pages):
    point = make_point("BL23")
    nobody = login(make_user("nobody"))
    assert nobody.get(pending_url(point)).status_code == 403
    assert nobody.get(reverse("admin:points_point_preview", args=[point.pk])).status_code == 403


def test_a_source_link_must_be_https_and_a_doi_written_alone(reviewer):
    page = reviewer.get(reverse("admin:points_source_add"))
    data = admin_form_data(
        page, slug="x", kind="study", title="A study", url="http://example.org/", doi="https://doi.org/10.1/x"
    )
    response = reviewer.post(reverse("admin:points_source_add"), data)
    errors = response.context["adminform"].form.errors
    assert "plain http links are not accepted" in errors["url"][0]
    assert not Source.objects.filter(slug="x").exists()


def test_a_pending_change_to_a_body_area_or_a_source_can_be_previewed(editor, reviewer, site_pages):
    from points.models import BodyArea

    area = BodyArea.objects.create(slug="lower-back", name="Lower back", order=1)
    edit(editor, area, name="Low back")
    preview = reviewer.get(reverse("admin:points_bodyarea_preview", args=[area.pk]))
    assert preview.status_code == 200
    assert "Low back" in preview.content.decode()
    source = make_source(slug="who", title="A standard")
    edit(editor, source, title="A standard, second edition")
    preview = reviewer.get(reverse("admin:points_source_preview", args=[source.pk]))
    assert "A standard, second edition" in preview.content.decode()
    assert BodyArea.objects.get(pk=area.pk).name == "Lower back"
