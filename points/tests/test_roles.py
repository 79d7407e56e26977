import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from points.models import Condition, Guide, Point, Precaution, Status
from points.tests.factories import (
    admin_form_data,
    make_alias,
    make_condition,
    make_editor,
    make_guide,
    make_meridian,
    make_point,
    make_precaution,
    make_reviewer,
)

pytestmark = pytest.mark.django_db

CONTENT_MODELS = ("point", "condition", "precaution", "guide")


def change_url(obj):
    return reverse(f"admin:points_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model):
    return reverse(f"admin:points_{model._meta.model_name}_changelist")


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


@pytest.fixture
def editor(client):
    user = make_editor("editor")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client):
    user = make_reviewer("reviewer")
    client.force_login(user)
    return user


# The groups exist in every database: a data migration makes them.


def test_the_roles_migration_creates_editors_who_write_but_do_not_publish_review_or_delete_pages():
    editors = codenames("Editors")
    for model in CONTENT_MODELS:
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= editors
        assert {f"publish_{model}", f"review_{model}", f"delete_{model}"}.isdisjoint(editors)
    assert {"add_source", "change_source", "add_alias", "delete_alias", "delete_pointprecaution"} <= editors
    assert {"delete_source", "delete_meridian", "add_bodyarea", "delete_bodyarea"}.isdisjoint(editors)
    # Editors may propose a change to a body area; it waits for a reviewer like any edit of live content.
    assert "change_bodyarea" in editors
    assert {"publish_source", "publish_meridian", "publish_bodyarea"}.isdisjoint(editors)


def test_the_roles_migration_creates_reviewers_who_can_do_everything_editors_can_and_more():
    reviewers = codenames("Reviewers")
    assert codenames("Editors") < reviewers
    for model in CONTENT_MODELS:
        assert {f"publish_{model}", f"review_{model}", f"delete_{model}"} <= reviewers


# Editors submit; reviewers publish.


def test_an_editor_can_write_a_draft_and_submit_it_for_review(client, editor):
    point = make_point("BL52", status=Status.DRAFT)
    response = client.get(change_url(point))
    response = client.post(change_url(point), admin_form_data(response, summary="Rewritten.", status="review"))
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.summary, point.status) == ("Rewritten.", Status.REVIEW)


def test_an_editor_can_add_a_new_draft(client, editor):
    make_meridian("BL")
    response = client.get(reverse("admin:points_point_add"))
    data = admin_form_data(
        response,
        code="BL52",
        meridian=str(make_meridian("BL").pk),
        number="52",
        pinyin="Zhishi",
        hanzi_traditional="志室",
        english_name="Will Chamber",
        status="draft",
    )
    assert client.post(reverse("admin:points_point_add"), data).status_code == 302
    assert Point.objects.get(code="BL52").status == Status.DRAFT


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_point("BL52", status=Status.REVIEW),
        lambda: make_condition("sciatica", status=Status.REVIEW),
        lambda: make_precaution("pregnancy", status=Status.REVIEW),
        lambda: make_guide("evidence", status=Status.REVIEW),
    ],
)
def test_editor_cannot_publish_and_is_told_to_submit_for_review_without_losing_their_text(client, editor, make):
    obj = make()
    response = client.get(change_url(obj))
    response = client.post(
        change_url(obj), admin_form_data(response, summary="My careful rewrite.", status="published")
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {
        "status": ["Only reviewers can publish. Choose “In review” to submit it; a reviewer will publish it."]
    }
    assert form["summary"].value() == "My careful rewrite."
    obj.refresh_from_db()
    assert obj.status == Status.REVIEW
    assert obj.summary != "My careful rewrite."


def test_editor_cannot_publish_a_new_point_either(client, editor):
    response = client.get(reverse("admin:points_point_add"))
    data = admin_form_data(
        response,
        code="BL52",
        meridian=str(make_meridian("BL").pk),
        number="52",
        pinyin="Zhishi",
        hanzi_traditional="志室",
        english_name="Will Chamber",
        status="published",
    )
    response = client.post(reverse("admin:points_point_add"), data)
    assert "status" in response.context["adminform"].form.errors
    assert not Point.objects.exists()


def test_editor_changing_a_published_page_saves_a_change_for_review_and_the_page_stays_live(client, editor):
    point = make_point("BL52", status=Status.PUBLISHED)
    response = client.get(change_url(point))
    response = client.post(change_url(point), admin_form_data(response, summary="Live edit."), follow=True)
    assert "waits for a reviewer" in response.content.decode()
    point.refresh_from_db()
    assert point.summary != "Live edit."
    assert point.status == Status.PUBLISHED


def test_reviewer_can_publish(client, reviewer):
    point = make_point("BL52", status=Status.REVIEW)
    response = client.get(change_url(point))
    assert client.post(change_url(point), admin_form_data(response, status="published")).status_code == 302
    point.refresh_from_db()
    assert point.status == Status.PUBLISHED


def test_editor_is_not_offered_the_publish_or_review_actions_and_cannot_post_them(client, editor):
    point = make_point("BL52", status=Status.REVIEW)
    response = client.get(changelist(Point))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert set(actions) == {"", "submit_for_review"}
    for action in ("publish", "mark_reviewed"):
        client.post(changelist(Point), {"action": action, ACTION_CHECKBOX_NAME: [point.pk]})
    point.refresh_from_db()
    assert point.status == Status.REVIEW
    assert point.last_reviewed is None


def test_editor_can_submit_drafts_for_review_from_the_list(client, editor):
    draft = make_point("BL52", status=Status.DRAFT)
    published = make_point("BL23", status=Status.PUBLISHED)
    client.post(changelist(Point), {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [draft.pk, published.pk]})
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Status.REVIEW, Status.PUBLISHED)


def test_reviewer_can_publish_from_the_list(client, reviewer):
    point = make_point("BL52", status=Status.REVIEW)
    client.post(changelist(Point), {"action": "publish", ACTION_CHECKBOX_NAME: [point.pk]})
    point.refresh_from_db()
    assert point.status == Status.PUBLISHED


# Review dates.


def test_editor_sees_review_dates_but_cannot_change_them(client, editor):
    point = make_point("BL52", status=Status.DRAFT, last_reviewed=datetime.date(2025, 1, 1))
    response = client.get(change_url(point))
    form = response.context["adminform"].form
    assert {"last_reviewed", "reviewed_by", "next_review_due"}.isdisjoint(form.fields)
    assert "1 Jan 2025" in response.content.decode() or "Jan. 1, 2025" in response.content.decode()
    data = admin_form_data(response)
    data.update(last_reviewed="2030-01-01", next_review_due="2031-01-01", reviewed_by=str(editor.pk))
    assert client.post(change_url(point), data).status_code == 302
    point.refresh_from_db()
    assert point.last_reviewed == datetime.date(2025, 1, 1)
    assert point.next_review_due == datetime.date(2026, 1, 1)
    assert point.reviewed_by is None


def test_reviewer_can_set_review_dates_and_is_recorded_as_the_reviewer(client, reviewer):
    point = make_point("BL52")
    response = client.get(change_url(point))
    data = admin_form_data(response, last_reviewed="2026-03-01", _publish="Save and publish")
    assert client.post(change_url(point), data).status_code == 302
    point.refresh_from_db()
    assert point.last_reviewed == datetime.date(2026, 3, 1)
    assert point.reviewed_by == reviewer
    assert point.next_review_due == datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_point("BL52", next_review_due=datetime.date(2020, 1, 1)),
        lambda: make_condition("sciatica", next_review_due=datetime.date(2020, 1, 1)),
        lambda: make_precaution("pregnancy", next_review_due=datetime.date(2020, 1, 1)),
        lambda: make_guide("evidence", next_review_due=datetime.date(2020, 1, 1)),
    ],
)
def test_reviewer_marks_content_reviewed_today_from_the_list(client, reviewer, make):
    obj = make()
    today = timezone.localdate()
    response = client.post(changelist(type(obj)), {"action": "mark_reviewed", ACTION_CHECKBOX_NAME: [obj.pk]})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.last_reviewed, obj.reviewed_by, obj.next_review_due) == (
        today,
        reviewer,
        today + datetime.timedelta(days=365),
    )
    assert not obj.review_overdue


def test_reviewer_marks_a_point_reviewed_from_its_own_page(client, reviewer):
    point = make_point("BL52")
    response = client.post(change_url(point), {"CHANGE_FORM-action": "mark_reviewed", ACTION_CHECKBOX_NAME: [point.pk]})
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.last_reviewed, point.reviewed_by) == (timezone.localdate(), reviewer)


# Deleting is for reviewers: enforced by the server, not only hidden.


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_point("BL52"),
        lambda: make_condition("sciatica"),
        lambda: make_precaution("pregnancy"),
        lambda: make_guide("evidence"),
    ],
)
def test_editor_crafting_a_delete_post_is_refused_with_403(client, editor, make):
    obj = make()
    url = reverse(f"admin:points_{obj._meta.model_name}_delete", args=[obj.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_editor_cannot_delete_through_a_list_action(client, editor):
    point = make_point("BL52")
    client.post(changelist(Point), {"action": "delete_selected", ACTION_CHECKBOX_NAME: [point.pk], "post": "yes"})
    assert Point.objects.filter(pk=point.pk).exists()


def test_editor_does_not_see_a_delete_link(client, editor):
    point = make_point("BL52", status=Status.DRAFT)
    assert "deletelink" not in client.get(change_url(point)).content.decode()


def test_editor_can_remove_a_wrong_alias_while_editing_a_draft(client, editor):
    point = make_point("BL52", status=Status.DRAFT)
    make_alias(point, "Wrong name")
    response = client.get(change_url(point))
    assert client.post(change_url(point), admin_form_data(response, **{"aliases-0-DELETE": "on"})).status_code == 302
    assert not point.aliases.exists()


@pytest.mark.parametrize("model", [Point, Condition, Precaution, Guide])
def test_reviewer_can_delete(client, reviewer, model):
    obj = {
        Point: lambda: make_point("BL52"),
        Condition: lambda: make_condition("sciatica"),
        Precaution: lambda: make_precaution("pregnancy"),
        Guide: lambda: make_guide("evidence"),
    }[model]()
    response = client.post(reverse(f"admin:points_{model._meta.model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()


def test_staff_without_a_role_cannot_see_content(client):
    from points.tests.factories import make_user

    client.force_login(make_user("nobody"))
    assert client.get(changelist(Point)).status_code == 403
