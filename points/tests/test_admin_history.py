"""History that undoes: an untouched form saves nothing, and a revert restores content only."""

import pytest
import reversion
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from reversion.models import Version

from points.models import Guide, Point, Revision, Status
from points.tests.admin_pages import change_url, edit, login
from points.tests.factories import admin_form_data, make_editor, make_guide, make_point

pytestmark = pytest.mark.django_db


# History that undoes.


def test_saving_an_untouched_form_changes_nothing_and_logs_nothing(site_pages):
    point = make_point("BL23", status=Status.DRAFT, location="Line one.\nLine two.")
    client = login(make_editor("editor"))
    page = client.get(change_url(point))
    data = admin_form_data(page, location="Line one.  \r\nLine two.\r\n")
    versions_before = Version.objects.get_for_object(point).count()
    response = client.post(change_url(point), data, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert Version.objects.get_for_object(point).count() == versions_before
    assert Point.objects.get(pk=point.pk).edit_version == point.edit_version


def test_a_revert_of_a_live_page_becomes_a_pending_change_and_never_touches_status(
    client, editor, reviewer, site_pages
):
    with reversion.create_revision():
        point = make_point("BL23", location="First text.")
    edit(reviewer, point, location="Second text.", _publish="Save and publish")
    first_version = Version.objects.get_for_object(point).last()
    url = reverse("admin:points_point_revision", args=[point.pk, first_version.pk])
    form = editor.get(url)
    assert form.context["adminform"].form["location"].value() == "First text."
    response = editor.post(url, admin_form_data(form))
    assert response.status_code == 302
    live = Point.objects.get(pk=point.pk)
    assert live.location == "Second text."
    assert live.status == Status.PUBLISHED
    assert Revision.objects.get().data["location"] == ["First text."]
    assert "Second text." in client.get("/points/bl23/").content.decode()


def test_a_revert_never_touches_other_objects_saved_in_the_same_revision(reviewer, site_pages):
    one, two = make_guide("one", status=Status.REVIEW), make_guide("two", status=Status.REVIEW)
    changelist = reverse("admin:points_guide_changelist")
    reviewer.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [one.pk, two.pk]})
    assert (
        Version.objects.get_for_object(one).first().revision_id
        != Version.objects.get_for_object(two).first().revision_id
    )
    Guide.objects.filter(pk=two.pk).update(status=Status.REVIEW)
    version = Version.objects.get_for_object(one).first()
    url = reverse("admin:points_guide_revision", args=[one.pk, version.pk])
    reviewer.post(url, admin_form_data(reviewer.get(url)))
    assert Guide.objects.get(pk=two.pk).status == Status.REVIEW


def test_content_loaded_from_fixtures_has_an_original_version(tmp_path):
    from django.core.management import call_command

    call_command("load_content")
    point = Point.objects.get(code="BL23")
    version = Version.objects.get_for_object(point).get()
    assert version.revision.get_comment() == "As loaded from fixtures/."
