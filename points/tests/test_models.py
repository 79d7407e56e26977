import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from points.models import Alias, Point
from points.tests.factories import (
    link_condition,
    make_alias,
    make_condition,
    make_meridian,
    make_point,
    make_precaution,
    make_source,
)

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_and_sanitised_once_on_save():
    point = make_point("LI4", location="**Between** the bones <script>alert(1)</script>")
    assert point.location_html == "<p><strong>Between</strong> the bones </p>"


def test_cross_references_become_links_to_the_point_and_the_source():
    make_point("BL23", pinyin="Shenshu")
    source = make_source(slug="who-2008", authors="World Health Organization", year=2008)
    point = make_point("BL52", location="Level with [[BL23]], see [[source:who-2008]].")
    assert '<a href="/points/bl23/" rel="noopener noreferrer">BL23 Shenshu</a>' in point.location_html
    assert f'href="/sources/#{source.slug}"' in point.location_html


def test_a_reviewed_item_is_due_again_a_year_later_unless_set():
    point = make_point("LI4", last_reviewed=datetime.date(2026, 1, 10))
    assert point.next_review_due == datetime.date(2027, 1, 10)
    other = make_point("LI5", last_reviewed=datetime.date(2026, 1, 10), next_review_due=datetime.date(2026, 6, 1))
    assert other.next_review_due == datetime.date(2026, 6, 1)


def test_codes_are_unique_by_a_named_constraint():
    constraints = {constraint.name: constraint for constraint in Point._meta.constraints}
    assert constraints["unique_point_code"].fields == ("code",)
    make_point("LI4")
    # The database refuses the duplicate whatever the ORM checks; the named constraint is what it enforces.
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(code="LI4", pinyin="Hegu", hanzi_traditional="合谷", english_name="Union Valley")
    duplicate = Point(code="LI4", pinyin="Hegu", hanzi_traditional="合谷", english_name="Union Valley")
    with pytest.raises(ValidationError, match="Point with this Code already exists"):
        duplicate.validate_constraints()


def test_a_code_must_match_its_meridian_and_number():
    point = Point(
        code="LI5", meridian=make_meridian("LI"), number=4, pinyin="Hegu", hanzi_traditional="合谷", english_name="x"
    )
    with pytest.raises(ValidationError) as error:
        point.full_clean()
    assert "LI4" in str(error.value)


def test_a_number_beyond_the_meridian_is_refused_with_the_count():
    point = Point(
        code="LI21", meridian=make_meridian("LI"), number=21, pinyin="X", hanzi_traditional="X", english_name="x"
    )
    with pytest.raises(ValidationError, match="20 points"):
        point.full_clean()


def test_a_point_cannot_be_marked_described_with_empty_sections():
    point = make_point("LI4", described=False)
    point.described = True
    with pytest.raises(ValidationError, match="still empty"):
        point.full_clean()


def test_an_alias_cannot_belong_to_two_points_unless_both_are_shared():
    bl23, bl52 = make_point("BL23"), make_point("BL52")
    make_alias(bl23, "Sea of Vitality", kind=Alias.Kind.DESCRIPTIVE)
    clash = Alias(point=bl52, name="sea of vitality", kind=Alias.Kind.DESCRIPTIVE)
    with pytest.raises(ValidationError, match="already an alias of BL23"):
        clash.clean()


def test_a_shared_alias_may_name_several_points():
    bl23, bl52 = make_point("BL23"), make_point("BL52")
    make_alias(bl23, "Sea of Vitality", kind=Alias.Kind.DESCRIPTIVE, shared=True)
    shared = Alias(point=bl52, name="Sea of Vitality", kind=Alias.Kind.DESCRIPTIVE, shared=True)
    shared.clean()
    shared.save()
    assert Alias.objects.filter(key="seaofvitality").count() == 2


def test_aliases_are_searchable_names_of_their_point():
    point = make_point("LI4", pinyin="Hegu")
    make_alias(point, "He Gu")
    point.refresh_from_db()
    assert " hegu " in point.search_names and " li4 " in point.search_names


def test_precaution_str_and_url():
    precaution = make_precaution("pregnancy", title="Pregnancy")
    assert str(precaution) == "Pregnancy"
    assert precaution.get_absolute_url() == "/safety/pregnancy/"


def test_marking_reviewed_sets_the_next_review_a_year_on_unless_the_reviewer_chose_a_date(db):
    point = make_point("LI4")
    point.mark_reviewed(None, datetime.date(2026, 3, 1))
    assert point.next_review_due == datetime.date(2027, 3, 1)
    point.mark_reviewed(None, datetime.date(2026, 3, 1), due=datetime.date(2026, 9, 1))
    assert point.next_review_due == datetime.date(2026, 9, 1)
    assert point.reviewer_name == "an acusite reviewer"


@pytest.mark.parametrize(("status", "after"), [("published", "review"), ("draft", "draft"), ("review", "review")])
def test_a_page_returned_to_review_leaves_the_site_only_if_it_was_on_it(db, status, after):
    point = make_point("LI4", status=status)
    point.return_to_review()
    assert point.status == after


def test_a_citation_escapes_what_editors_typed_and_says_the_year_once(site_pages):
    source = make_source(
        slug="odd", authors="Doe <J>", title="Pain & <b>pressure</b>", publication="BMJ 2019;364:l1", year=2019,
        doi="10.1136/bmj.l1",
    )  # fmt: skip
    assert source.citation == (
        '<cite>Doe &lt;J&gt;. <a href="/sources/#odd">Pain &amp; &lt;b&gt;pressure&lt;/b&gt;</a>.</cite>'
        " BMJ 2019;364:l1. doi:10.1136/bmj.l1"
    )


def test_a_links_note_says_what_kind_of_claim_it_is_and_where_it_comes_from_escaped(site_pages):
    point = make_point("BL52")
    source = make_source(slug="survey", authors="Roe", title="A survey", year=2021)
    link = link_condition(point, make_condition("sciatica"), note="Eases <leg> pain.", source=source, basis="popular")
    assert link.attributed_note == (
        'Eases &lt;leg&gt; pain. <span class="basis basis-popular">'
        "Popular self-help advice, not found in standard texts.</span> "
        '<span class="source-ref">(Source: <a href="/sources/#survey">Roe (2021)</a>)</span>'
    )
