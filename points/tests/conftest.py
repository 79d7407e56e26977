import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with no cached pages, whatever backend (local memory or Redis) is in use."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_pages(db):
    """The pages every layout needs to link to (red flags, general precautions, guides)."""
    from points.tests.factories import make_guide, make_precaution

    make_precaution("red-flags", kind="doctor", title="Red flags", badge="See a doctor")
    make_precaution("general-precautions", kind="gentle", title="General precautions", badge="Press gently")
    for slug in ("how-to-press", "measuring-in-cun", "evidence"):
        make_guide(slug)
