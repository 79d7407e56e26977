import re

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from points.models import (
    Alias,
    BodyArea,
    Combination,
    Condition,
    ConditionPrecaution,
    Guide,
    Meridian,
    Point,
    PointCondition,
    PointPrecaution,
    Precaution,
    Source,
    Status,
)
from points.tests.factories import (
    admin_form_data,
    combine,
    link_condition,
    link_condition_precaution,
    make_alias,
    make_condition,
    make_editor,
    make_point,
    make_precaution,
    make_reviewer,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:points_{obj._meta.model_name}_change", args=[obj.pk])


def save_through_admin(client, obj, **changes):
    """Saved and published at once, as a reviewer does with "Save and publish"."""
    response = client.get(change_url(obj))
    response = client.post(change_url(obj), admin_form_data(response, _publish="Save and publish", **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def revision_url(obj, version):
    return reverse(f"admin:points_{obj._meta.model_name}_revision", args=[obj.pk, version.pk])


def test_every_model_with_a_page_and_every_inline_row_is_kept_in_history():
    for model in (Point, Condition, Precaution, Guide, Meridian, Source, BodyArea):
        assert reversion.is_registered(model), model
    for model in (Alias, PointCondition, PointPrecaution, Combination, ConditionPrecaution):
        assert reversion.is_registered(model), model
    assert set(reversion.revisions._get_options(Point).follow) == {
        "aliases",
        "condition_links",
        "precaution_links",
        "combination_links",
    }
    assert set(reversion.revisions._get_options(Condition).follow) == {"point_links", "precaution_links"}
    assert set(reversion.revisions._get_options(Precaution).follow) == {"point_links", "condition_links"}


def test_saving_in_the_admin_records_a_version_with_the_user_and_the_inline_rows(admin_client, admin_user):
    point = make_point("BL52")
    make_alias(point, "Jing Gong")
    save_through_admin(admin_client, point, summary="First saved summary.")
    version = Version.objects.get_for_object(point).get()
    assert version.revision.user == admin_user
    assert version.field_dict["summary"] == "First saved summary."
    alias_versions = Version.objects.get_for_model(Alias).filter(revision=version.revision)
    assert [v.object_repr for v in alias_versions] == ["Jing Gong"]


def test_reverting_a_point_restores_its_old_text_and_its_inline_rows(admin_client):
    point = make_point("BL52", location="Old location.")
    make_alias(point, "Old alias")
    condition = make_condition("sciatica")
    save_through_admin(admin_client, point, summary="Saved once.")
    first = Version.objects.get_for_object(point).get()

    save_through_admin(
        admin_client,
        point,
        location="New location.",
        **{
            "aliases-0-DELETE": "on",
            "aliases-TOTAL_FORMS": "2",
            "aliases-1-name": "New alias",
            "aliases-1-kind": "pinyin",
        },
    )
    link_condition(point, condition)
    point.refresh_from_db()
    assert point.location == "New location."
    assert list(point.aliases.values_list("name", flat=True)) == ["New alias"]

    response = admin_client.get(revision_url(point, first))
    assert response.status_code == 200
    assert "Old location." in response.content.decode()
    point.refresh_from_db()
    assert point.location == "New location.", "looking at an old version changes nothing"

    response = admin_client.post(revision_url(point, first), admin_form_data(response, _publish="Save and publish"))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.location == "Old location."
    assert point.location_html == "<p>Old location.</p>"
    assert list(point.aliases.values_list("name", flat=True)) == ["Old alias"]
    assert not point.condition_links.exists()


def test_reverting_a_condition_restores_its_point_links(admin_client):
    condition = make_condition("sciatica")
    bl52 = make_point("BL52")
    link = link_condition(bl52, condition, note="Old note.")
    link_condition_precaution(condition, make_precaution("pregnancy"))
    save_through_admin(admin_client, condition, summary="Saved once.")
    first = Version.objects.get_for_object(condition).get()
    link.note = "New note."
    link.save()
    condition.precaution_links.all().delete()

    response = admin_client.get(revision_url(condition, first))
    admin_client.post(revision_url(condition, first), admin_form_data(response, _publish="Save and publish"))
    assert condition.point_links.get().note == "Old note."
    assert condition.precaution_links.count() == 1


def test_a_deleted_point_is_recovered_with_its_aliases_links_and_combinations(client):
    reviewer = make_reviewer()
    client.force_login(reviewer)
    point = make_point("BL52", location="Lies here.")
    make_alias(point, "Zhi Shi")
    link_condition(point, make_condition("sciatica"))
    combine(point, make_point("BL23"))
    combine(make_point("GB30"), point)

    response = client.post(reverse("admin:points_point_delete", args=[point.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Point.objects.filter(code="BL52").exists()
    assert not Alias.objects.exists()

    response = client.get(reverse("admin:points_point_recoverlist"))
    assert "BL52" in response.content.decode()
    version = Version.objects.get_deleted(Point).get()
    recover_url = reverse("admin:points_point_recover", args=[version.pk])
    response = client.get(recover_url)
    assert response.status_code == 200
    response = client.post(recover_url, admin_form_data(response))
    assert response.status_code == 302

    point = Point.objects.get(code="BL52")
    assert point.location == "Lies here."
    assert list(point.aliases.values_list("name", flat=True)) == ["Zhi Shi"]
    assert point.condition_links.get().condition.slug == "sciatica"
    assert point.combination_links.get().partner.code == "BL23"
    assert point.partner_links.get().point.code == "GB30"


def test_reverting_restores_the_text_but_never_the_status_of_the_old_version(client):
    point = make_point("BL52", status=Status.PUBLISHED, summary="Published summary.")
    with reversion.create_revision():
        reversion.add_to_revision(point)
    published = Version.objects.get_for_object(point).get()
    point.status = Status.REVIEW
    point.summary = "Draft summary."
    point.save()

    client.force_login(make_editor())
    response = client.get(revision_url(point, published))
    assert response.context["adminform"].form["status"].value() == Status.REVIEW
    response = client.post(revision_url(point, published), admin_form_data(response))
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.status, point.summary) == (Status.REVIEW, "Published summary.")


def test_history_pages_have_no_inline_scripts(admin_client):
    point = make_point("BL52")
    save_through_admin(admin_client, point, summary="Saved once.")
    version = Version.objects.get_for_object(point).get()
    for url in (
        reverse("admin:points_point_history", args=[point.pk]),
        revision_url(point, version),
        reverse("admin:points_point_recoverlist"),
    ):
        html = admin_client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
