"""One safety language: levels in plain words on badges, callouts and safety pages; red flags
first wherever safety pages are listed; one warning per reason on a point."""

import json

import pytest
from django.conf import settings

from points.models import Precaution
from points.safety_levels import BY_KIND, LEVELS
from points.tests.factories import link_precaution, make_point, make_precaution

pytestmark = pytest.mark.django_db


def test_every_kind_of_precaution_maps_onto_one_level_and_the_levels_differ():
    assert set(BY_KIND) == set(Precaution.Kind.values)
    assert len({level.key for level in LEVELS}) == len({level.label for level in LEVELS}) == len(LEVELS)


def test_the_safety_index_lists_the_red_flags_first(client):
    make_precaution("varicose-veins", kind="avoid", title="Varicose veins", order=1)
    make_precaution("bone-metastasis", kind="doctor", title="Cancer that has spread to bone", order=2)
    make_precaution("red-flags", kind="doctor", title="Red flags", order=50)
    make_precaution("general-precautions", kind="gentle", title="General precautions", order=3)
    content = client.get("/safety/").content.decode()
    positions = [
        content.index(f'href="/safety/{slug}/"') for slug in ("red-flags", "bone-metastasis", "varicose-veins")
    ]
    assert positions == sorted(positions)
    assert content.index('href="/safety/varicose-veins/"') < content.index('href="/safety/general-precautions/"')


def test_red_flags_come_first_in_the_contents_own_order():
    rows = json.loads((settings.BASE_DIR / "fixtures" / "safety.json").read_text())
    precautions = sorted(
        (row["fields"] for row in rows if row["model"] == "points.precaution"), key=lambda p: (p["order"], p["title"])
    )
    assert precautions[0]["slug"] == "red-flags"


def test_badges_and_callouts_use_the_same_words_for_a_level(client, site_pages):
    varicose = make_precaution("varicose-veins", kind="avoid", title="Varicose veins", badge="Not on varicose veins")
    link_precaution(make_point("SP6"), varicose, "Near a large vein.")
    point_page = client.get("/points/sp6/").content.decode()
    list_page = client.get("/points/").content.decode()
    safety_page = client.get("/safety/varicose-veins/").content.decode()
    for page in (point_page, list_page, safety_page):
        assert "level-avoid" in page
        assert "Do not press here" in page
    assert "Avoid completely" not in point_page + safety_page


def test_a_point_says_each_reason_once(client, site_pages):
    pregnancy = make_precaution("pregnancy", title="Pregnancy", badge="Not in pregnancy")
    labour = make_precaution("gb21-labour", title="GB21 and labor", badge="Avoid in pregnancy")
    gb21 = make_point("GB21")
    link_precaution(gb21, pregnancy, "Tradition keeps it off-limits in pregnancy.")
    link_precaution(gb21, labour, "Never use it to try to start your own labor.")
    page = client.get("/points/gb21/").content.decode()
    warnings = page[page.index('id="point-warnings"') :]
    warnings = warnings[: warnings.index("</section>")]
    assert warnings.count('<li class="warning') == 1
    assert "Tradition keeps it off-limits in pregnancy." in warnings
    assert "Never use it to try to start your own labor." in warnings
    assert 'href="/safety/gb21-labour/"' in warnings
    cards = client.get("/points/").content.decode()
    assert cards.count('class="badge ') == 1


def test_a_safety_page_says_its_own_text_before_the_list_of_points(client, site_pages):
    pregnancy = make_precaution("pregnancy", body="## The short version\n\nLeave these points alone.")
    link_precaution(make_point("SP6"), pregnancy, "On the inner lower leg.")
    page = client.get("/safety/pregnancy/").content.decode()
    assert page.index("The short version") < page.index('id="points-heading"') < page.index("On the inner lower leg.")


def test_the_pregnancy_pages_short_version_refers_to_its_list_by_name():
    rows = json.loads((settings.BASE_DIR / "fixtures" / "safety.json").read_text())
    body = next(row["fields"]["body"] for row in rows if row["fields"].get("slug") == "pregnancy")
    short = body.split("## ")[1]
    assert short.startswith("The short version")
    assert "“The points traditionally avoided”" in short
    assert "## The points traditionally avoided" in body


def test_the_measuring_guide_describes_the_measurements_its_picture_draws():
    rows = json.loads((settings.BASE_DIR / "fixtures" / "guides.json").read_text())
    body = next(row["fields"]["body"] for row in rows if row["fields"].get("slug") == "measuring-in-cun")
    figure = (settings.BASE_DIR / "points" / "templates" / "points" / "figures" / "cun.html").read_text()
    measurements = ["1 cun", "1.5 cun", "2 cun", "3 cun"]
    for each in measurements:
        assert f"- **{each}:**" in body
        assert f">{each}</text>" in figure
    assert figure.count('class="cun-bracket"') == len(measurements)
    assert "shows four measurements" in body


def test_see_also_on_a_safety_page_lists_the_red_flags_first(client):
    pregnancy = make_precaution("pregnancy", order=1)
    pregnancy.related.add(
        make_precaution("varicose-veins", kind="avoid", order=2),
        make_precaution("red-flags", kind="doctor", title="Red flags", order=90),
    )
    page = client.get("/safety/pregnancy/").content.decode()
    see_also = page[page.index('id="related-heading"') :]
    assert see_also.index('href="/safety/red-flags/"') < see_also.index('href="/safety/varicose-veins/"')
