"""export_content and load_content are each other's inverse: content survives the round trip byte for byte."""

import datetime
import difflib
import io
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from points.content import CONTENT_FILES, EXCLUDED_FIELDS, derived_fields
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
    Routine,
    RoutineStep,
    Source,
    Status,
)
from points.tests.factories import (
    combine,
    link_condition,
    link_condition_precaution,
    make_alias,
    make_area,
    make_condition,
    make_guide,
    make_meridian,
    make_point,
    make_precaution,
    make_reviewer,
    make_routine,
    make_source,
)

pytestmark = pytest.mark.django_db

# Children first: sources and meridians are protected while links use them.
CONTENT_MODELS = (
    RoutineStep,
    Routine,
    Combination,
    PointCondition,
    PointPrecaution,
    ConditionPrecaution,
    Alias,
    Point,
    Condition,
    Precaution,
    Guide,
    Meridian,
    BodyArea,
    Source,
)

PAGES = [
    "/",
    "/points/",
    "/points/?area=lower-back&without=pregnancy",
    "/points/bl52/",
    "/points/bl23/",
    "/meridians/",
    "/meridians/bl/",
    "/conditions/",
    "/conditions/lower-back-pain/",
    "/conditions/sciatica/",
    "/safety/",
    "/safety/pregnancy/",
    "/safety/bone-metastasis/",
    "/guides/",
    "/guides/evidence/",
    "/sources/",
    "/search/?q=lower+back",
    "/routines/",
    "/routines/lower-back/",
]


def build_content():
    """A little of everything export_content writes: every model, every kind of link, drafts and Markdown."""
    who = make_source(slug="who-2008", kind=Source.Kind.STANDARD, authors="World Health Organization", year=2008)
    trial = make_source(slug="trial-2020", authors="Doe J, Roe R", title="A trial", doi="10.1000/xyz", year=2020)
    book = make_source(slug="deadman-2007", kind=Source.Kind.BOOK, authors="Deadman P", year=2007, url="https://x.org")
    make_area("lower-back", order=6)
    make_area("sacrum-buttock", order=7)
    make_area("hand", order=11)
    bladder = make_meridian("BL")

    reviewer = make_reviewer()
    bl23 = make_point(
        "BL23",
        pinyin="Shenshu",
        pinyin_tones="Shènshū",
        hanzi_traditional="腎俞",
        hanzi_simplified="肾俞",
        english_name="Kidney Shu",
        categories=["back-shu"],
        category_notes="Back-Shu point of the Kidney.",
        figure_view="back",
        figure_x=88.5,
        figure_y=212.25,
        areas=["lower-back"],
        last_reviewed=datetime.date(2026, 2, 1),
        reviewed_by=reviewer,
    )
    bl23.sources.set([who, book])
    bl52 = make_point(
        "BL52",
        pinyin="Zhishi",
        english_name="Will Chamber",
        location="Level with [[BL23]], 3 cun lateral; see [[source:who-2008]].",
        reconciliation="Older books call it **B47**.",
        areas=["lower-back"],
        last_reviewed=datetime.date(2026, 1, 10),
        next_review_due=datetime.date(2026, 6, 1),
    )
    bl52.sources.set([who])
    gb30 = make_point("GB30", pinyin="Huantiao", areas=["sacrum-buttock"], status=Status.REVIEW)
    li4 = make_point("LI4", pinyin="Hegu", areas=["hand"], described=False)
    # Written once its [[BL23]] exists: a load renders after every row is in, so the link resolves there too.
    bladder.description = "The longest meridian; see [[BL23]] and [[source:who-2008]]."
    bladder.pinyin = "Zú Tàiyáng Pángguāng Jīng"
    bladder.save()
    bladder.sources.set([who])

    make_alias(bl52, "B47", kind=Alias.Kind.OLD_BLADDER, note="Older Bladder numbering.")
    make_alias(bl52, "Zhi Shi")
    make_alias(bl52, "Jing Gong")
    make_alias(li4, "He Gu")
    for point in (bl23, bl52):
        make_alias(point, "Yao Yan", kind=Alias.Kind.DESCRIPTIVE, shared=True)
    for point in (bl23, bl52, gb30, li4):
        point.refresh_search_names()

    lower_back = make_condition("lower-back-pain", body="Start with [[BL23]], then [[B47]].", order=1)
    lower_back.sources.set([trial])
    sciatica = make_condition("sciatica", order=2)
    make_condition("migraine", status=Status.DRAFT)
    link_condition(bl23, lower_back, note="Strengthens the lower back.", source=book)
    link_condition(bl52, lower_back, note="Used with BL23.", source=book)
    link_condition(gb30, sciatica, note="Over the buttock.", source=trial)

    pregnancy = make_precaution("pregnancy", title="Pregnancy", body="Avoid [[LI4]] ([[source:deadman-2007]]).")
    metastasis = make_precaution("bone-metastasis", kind=Precaution.Kind.DOCTOR, title="Cancer in the bones")
    make_precaution("red-flags", kind=Precaution.Kind.DOCTOR, title="Red flags", badge="See a doctor")
    general = make_precaution("general-precautions", kind=Precaution.Kind.GENTLE, title="General precautions")
    pregnancy.related.set([general])
    pregnancy.sources.set([book])
    PointPrecaution.objects.create(point=li4, precaution=pregnancy, note="Said to start labour.")
    PointPrecaution.objects.create(point=bl52, precaution=metastasis, note="Over the spine.")
    link_condition_precaution(lower_back, metastasis, note="Back pain can be the first sign.")
    link_condition_precaution(sciatica, pregnancy)

    combine(bl23, bl52, note="Together for the lower back.", source=book)
    combine(li4, bl52, note="A distant and a local point.", source=trial)

    for slug in ("how-to-press", "measuring-in-cun"):
        make_guide(slug)
    evidence = make_guide("evidence", title="What the evidence says", body="Trials of [[BL23]]: [[source:trial-2020]].")
    evidence.sources.set([trial, who])
    make_guide("history", status=Status.DRAFT)

    routine = make_routine(
        "lower-back",
        [(bl23, "both", 45), (bl52, "midline", 30, 2)],
        conditions=[lower_back],
        body="Built from [[BL23]] and [[BL52]] ([[source:who-2008]]).",
        last_reviewed=datetime.date(2026, 2, 1),
    )
    routine.sources.set([who, trial])
    make_routine("drafted", [bl23], status=Status.DRAFT)


def export(folder):
    call_command("export_content", output=str(folder), stdout=io.StringIO())


def render_pages(client):
    cache.clear()
    pages = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def delete_all_content():
    for model in CONTENT_MODELS:
        model.objects.all().delete()
    assert not any(model.objects.exists() for model in CONTENT_MODELS)


def assert_same_files(expected, actual):
    for name in CONTENT_FILES:
        expected_text = (expected / name).read_text(encoding="utf-8")
        actual_text = (actual / name).read_text(encoding="utf-8")
        if expected_text != actual_text:
            diff = difflib.unified_diff(
                expected_text.splitlines(),
                actual_text.splitlines(),
                str(expected / name),
                str(actual / name),
                n=2,
                lineterm="",
            )
            pytest.fail("\n".join(list(diff)[:40]))
        assert (expected / name).read_bytes() == (actual / name).read_bytes(), name


def test_export_then_load_then_export_again_is_byte_identical_and_pages_render_the_same(client, tmp_path):
    build_content()
    first, second = tmp_path / "first", tmp_path / "second"
    export(first)
    before = render_pages(client)

    delete_all_content()
    call_command("load_content", input=str(first), verbosity=0)
    export(second)

    assert sorted(path.name for path in first.iterdir()) == sorted(CONTENT_FILES)
    assert_same_files(first, second)
    assert "Will Chamber" in before["/points/bl52/"]
    assert 'href="/points/bl23/"' in before["/points/bl52/"]
    assert "Older Bladder numbering" in before["/points/bl52/"]
    assert "Cancer in the bones" in before["/conditions/lower-back-pain/"]
    after = render_pages(client)
    for url in PAGES:
        assert after[url] == before[url], url


def test_the_export_covers_every_model_and_leaves_out_who_reviewed(tmp_path):
    build_content()
    export(tmp_path)
    text = "".join((tmp_path / name).read_text(encoding="utf-8") for name in CONTENT_FILES)
    for model in CONTENT_MODELS:
        assert f'"model": "points.{model._meta.model_name}"' in text, model
    assert "reviewed_by" not in text
    assert '"pk":' not in text, "natural keys keep the files free of database ids"
    assert "腎俞" in text, "written as UTF-8, not escaped"


def test_the_export_order_does_not_depend_on_the_order_rows_were_written_in(tmp_path):
    build_content()
    first, reversed_rows, second = tmp_path / "first", tmp_path / "reversed", tmp_path / "second"
    export(first)
    # Load each model's rows last to first, so database ids come in the opposite order.
    reversed_rows.mkdir()
    for name in CONTENT_FILES:
        rows = json.loads((first / name).read_text(encoding="utf-8"))
        models_in_order = list(dict.fromkeys(row["model"] for row in rows))
        rows = [row for model in models_in_order for row in rows[::-1] if row["model"] == model]
        (reversed_rows / name).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    delete_all_content()
    call_command("load_content", input=str(reversed_rows), verbosity=0)
    export(second)
    assert_same_files(first, second)


def test_loading_the_real_fixtures_and_exporting_reproduces_them_byte_for_byte(tmp_path):
    """Fails when fixtures/ is stale: edited by hand, or written by an older export."""
    assert not Point.objects.exists()
    call_command("load_content", verbosity=0)
    export(tmp_path)
    assert_same_files(settings.BASE_DIR / "fixtures", tmp_path)


def read_rows(folder):
    return [row for name in CONTENT_FILES for row in json.loads((folder / name).read_text(encoding="utf-8"))]


def derived_values():
    """Everything the models compute from editors' text, as saving left it."""
    values = {}
    for model in CONTENT_MODELS:
        names = sorted(derived_fields(model) - {"updated_at"})
        if names:
            for row in model._default_manager.values("pk", *names):
                values[model._meta.label, row.pop("pk")] = row
    return values


def test_an_exported_fixture_holds_no_rendered_html_search_names_sort_keys_alias_keys_or_timestamps(tmp_path):
    build_content()
    export(tmp_path)
    rows = read_rows(tmp_path)
    for row in rows:
        for name in row["fields"]:
            assert not name.endswith("_html"), row
            assert name not in {"search_names", "sort_key", "updated_at", "created_at"}, row
        if row["model"] == "points.alias":
            assert "key" not in row["fields"], row
    bl52 = next(row["fields"] for row in rows if row["fields"].get("code") == "BL52")
    assert bl52["location"] == "Level with [[BL23]], 3 cun lateral; see [[source:who-2008]]."
    assert "reviewer_name" in bl52, "readers see who reviewed: that is content, not derived"


def test_every_field_the_models_fill_in_themselves_is_either_rebuilt_on_load_or_named_as_content():
    # A new editable=False field must be placed on one side: exported as content, or rebuilt.
    kept_as_content = {"reviewer_name"}
    for model in CONTENT_MODELS:
        not_edited = {field.name for field in model._meta.concrete_fields if not field.editable}
        unaccounted = not_edited - derived_fields(model) - EXCLUDED_FIELDS - kept_as_content
        assert not unaccounted, (model, unaccounted)


def test_loading_rebuilds_every_derived_field_exactly_as_saving_made_it(tmp_path):
    build_content()
    saved = derived_values()
    assert any(" jinggong " in row.get("search_names", "") for row in saved.values())
    export(tmp_path)
    delete_all_content()
    call_command("load_content", input=str(tmp_path), verbosity=0)
    # Database ids change with the load: compare by natural key.
    loaded = derived_values()
    assert len(loaded) == len(saved)
    by_identity = {}
    for (label, _pk), row in saved.items():
        by_identity.setdefault(label, []).append(row)
    for (label, pk), row in loaded.items():
        assert row in by_identity[label], (label, pk, row)


def test_loading_a_fixture_whose_markdown_holds_a_script_shows_only_sanitised_html(client, tmp_path):
    build_content()
    export(tmp_path)
    rows = json.loads((tmp_path / "points.json").read_text(encoding="utf-8"))
    bl52 = next(row["fields"] for row in rows if row["fields"].get("code") == "BL52")
    bl52["location"] = 'Level with [[BL23]].<script>alert("location")</script><img src=x onerror="alert(1)">'
    # An old or hand-written fixture may carry HTML of its own: it must not reach readers either.
    bl52["finding_html"] = '<script>alert("finding")</script>'
    (tmp_path / "points.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    delete_all_content()

    call_command("load_content", input=str(tmp_path), verbosity=0)

    point = Point.objects.get(code="BL52")
    assert "<script" not in point.location_html
    assert "onerror" not in point.location_html
    assert 'href="/points/bl23/"' in point.location_html, "rendered through the one renderer, links resolved"
    assert point.finding_html == "<p>Four finger widths from the spine.</p>"
    page = client.get("/points/bl52/").content.decode()
    assert 'alert("location")' not in page
    assert 'alert("finding")' not in page


def test_loading_rebuilds_search_so_a_point_is_found_by_its_alias(client, tmp_path):
    build_content()
    export(tmp_path)
    delete_all_content()
    call_command("load_content", input=str(tmp_path), verbosity=0)

    assert client.get("/search/", {"q": "Jing Gong"})["Location"] == "/points/bl52/"
    assert Alias.objects.get(name="Jing Gong").key == "jinggong"
    assert list(Point.objects.values_list("code", flat=True)) == ["LI4", "BL23", "BL52", "GB30"], "sort keys rebuilt"


def test_exporting_twice_without_changes_gives_identical_files(tmp_path):
    build_content()
    export(tmp_path / "first")
    # A save that changes nothing still moves updated_at: the export must not notice.
    for point in Point.objects.all():
        point.save()
    export(tmp_path / "second")
    assert_same_files(tmp_path / "first", tmp_path / "second")
