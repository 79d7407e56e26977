"""The editorial round trip as a new editor and reviewer would do it, seen from a reader's browser cache."""

import pytest
from django.test import Client
from django.urls import reverse

from points.models import Point, Status
from points.tests.factories import admin_form_data, make_editor, make_point, make_precaution, make_reviewer

pytestmark = pytest.mark.django_db


def add_inline_row(data, response, model_name, **fields):
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == model_name
    )
    prefix = formset.prefix
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    for name, value in fields.items():
        data[f"{prefix}-{row}-{name}"] = value
    return data


def test_an_edit_waits_live_until_a_reviewer_compares_and_publishes_it_then_reaches_readers_at_once(site_pages):
    point = make_point("BL52", pinyin="Zhishi", location="An old, wrong location.")
    pregnancy = make_precaution("pregnancy", title="Pregnancy", badge="Not in pregnancy")
    reader, editor, reviewer = Client(), Client(), Client()
    editor.force_login(make_editor("editor"))
    reviewer.force_login(make_reviewer("reviewer"))
    url = reverse("admin:points_point_change", args=[point.pk])
    assert "An old, wrong location." in reader.get("/points/bl52/").content.decode()  # now cached

    page = editor.get(url)
    data = admin_form_data(page, location="3 cun lateral to the lower border of L2.")
    add_inline_row(data, page, "Alias", name="Will Room", kind="english", note="")
    add_inline_row(data, page, "PointPrecaution", precaution=str(pregnancy.pk), note="Lumbosacral points are avoided.")
    assert editor.post(url, data).status_code == 302
    live = reader.get("/points/bl52/").content.decode()
    assert "An old, wrong location." in live  # the live page never changes while the edit waits
    assert "Will Room" not in live

    queue = reviewer.get(reverse("admin:index")).content.decode()
    compare_url = reverse("admin:points_point_pending", args=[point.pk])
    assert compare_url in queue
    compare = reviewer.get(compare_url).content.decode()
    assert "<ins>3</ins>" in compare or "<ins>3 cun" in compare
    assert reviewer.post(compare_url, {"action": "publish"}).status_code == 302

    html = reader.get("/points/bl52/").content.decode()
    assert "3 cun lateral to the lower border of L2." in html
    assert "An old, wrong location." not in html
    assert "Lumbosacral points are avoided." in html
    assert "Will Room" in html
    assert reader.get("/points/will-room/")["Location"] == "/points/bl52/"
    assert [p.code for p in reader.get("/points/?without=pregnancy").context["points"]] == []
    assert Point.objects.get(pk=point.pk).status == Status.PUBLISHED
