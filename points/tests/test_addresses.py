"""Page addresses are reversed once, and still follow the script prefix a site is served under."""

import pytest
from django.urls import get_script_prefix, set_script_prefix

from points.tests.factories import make_condition, make_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_under_a_prefix():
    previous = get_script_prefix()
    set_script_prefix("/acupressure/")
    yield
    set_script_prefix(previous)


def test_a_point_and_a_condition_link_to_their_pages():
    assert make_point("LI4").get_absolute_url() == "/points/li4/"
    assert make_condition("sciatica").get_absolute_url() == "/conditions/sciatica/"


def test_an_address_reversed_before_follows_a_site_served_under_a_prefix(served_under_a_prefix):
    point = make_point("LI4")
    set_script_prefix("/")
    assert point.get_absolute_url() == "/points/li4/"
    set_script_prefix("/acupressure/")
    assert point.get_absolute_url() == "/acupressure/points/li4/"
