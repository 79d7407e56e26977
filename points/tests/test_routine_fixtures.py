"""The starting routines in fixtures/routines.json: they load, use only described points, and keep readers safe."""

import re

import pytest
from django.core.management import call_command

from points.models import BodyArea, Condition, Guide, Meridian, Point, Precaution, Routine, Source

REQUIRED_ROUTINES = {
    "lower-back-five-minutes": "lower-back-pain",
    "desk-neck-and-shoulders": "neck-pain",
    "sciatica-hip-and-leg": "sciatica",
    "between-the-shoulder-blades": "upper-back-pain",
}
PREGNANCY_POINTS = {"LI4", "SP6", "GB21", "BL60"}


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        yield
        for model in (Routine, Point, Condition, Precaution, Guide, Meridian, Source, BodyArea):
            model.objects.all().delete()


pytestmark = pytest.mark.django_db


def test_the_four_routines_load_published_reviewed_and_sourced(content):
    for slug, condition in REQUIRED_ROUTINES.items():
        routine = Routine.objects.get(slug=slug)
        assert routine.status == "published", slug
        assert routine.last_reviewed and routine.next_review_due, slug
        assert routine.sources.exists() and routine.body.strip(), slug
        assert "[[" not in routine.body_html, slug
        assert routine.conditions.filter(slug=condition).exists(), slug
        assert routine.steps.count() >= 3, slug


def test_every_step_uses_a_published_described_point_and_says_what_to_do(content):
    for routine in Routine.objects.all():
        for step in routine.steps.select_related("point"):
            assert step.point.described and step.point.status == "published", (routine.slug, step.point.code)
            assert 80 <= len(step.instruction) <= 600, (routine.slug, step.order)
            step.full_clean()


def test_the_lower_back_routine_takes_five_minutes(content):
    assert Routine.objects.get(slug="lower-back-five-minutes").total_seconds == 300


def test_no_routine_text_calls_its_sources_seeds(content):
    for routine in Routine.objects.all():
        text = " ".join([routine.title, routine.for_whom, routine.summary, routine.body])
        text += " ".join(routine.steps.values_list("instruction", flat=True))
        assert not re.search(r"\bseed", text, re.I), routine.slug


def test_a_reader_hiding_pregnancy_cautioned_points_never_gets_a_step_on_them(client, content):
    for slug in REQUIRED_ROUTINES:
        html = client.get(f"/routines/{slug}/?without=pregnancy").content.decode()
        steps = set(re.findall(r'data-point="([A-Z0-9-]+) ', html))
        assert not steps & PREGNANCY_POINTS, (slug, steps & PREGNANCY_POINTS)
    listing = client.get("/routines/?without=pregnancy").content.decode()
    assert 'href="/routines/lower-back-five-minutes/?without=pregnancy"' in listing


def test_the_lower_back_page_and_the_home_page_lead_to_the_five_minute_routine(client, content):
    for url in ("/", "/conditions/lower-back-pain/", "/routines/"):
        assert 'href="/routines/lower-back-five-minutes/"' in client.get(url).content.decode(), url


def test_every_link_on_every_routine_page_resolves(client, content):
    hrefs = set()
    for routine in Routine.objects.all():
        response = client.get(routine.get_absolute_url())
        assert response.status_code == 200, routine.slug
        main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
        hrefs |= set(re.findall(r'href="(/[^"#?]*)', main))
    for href in sorted(hrefs):
        assert client.get(href).status_code == 200, href
