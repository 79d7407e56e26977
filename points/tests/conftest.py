import contextlib

import pytest
from django.conf import settings
from django.core.cache import caches

from points.cache import VERSION_SQL, reset_outage_pause, uses_redis


def clear_caches():
    for alias in settings.CACHES:
        if alias == "logins":
            continue
        # A test that stops the cache leaves nothing to clear.
        with contextlib.suppress(Exception):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with no cached pages, whatever backend (local memory or Redis) is in use.
    (The database cache of sign-in failures is emptied with each test's rolled-back transaction.)"""
    reset_outage_pause()
    clear_caches()
    yield
    clear_caches()
    reset_outage_pause()


@pytest.fixture
def hit_queries():
    """What a cached page asks the database: with Redis nothing (the content version comes with the
    page), without it the content version alone."""
    return [] if uses_redis() else [VERSION_SQL]


@pytest.fixture
def site_pages(db):
    """The pages every layout needs to link to (red flags, general precautions, guides)."""
    from points.tests.factories import make_guide, make_precaution

    make_precaution("red-flags", kind="doctor", title="Red flags", badge="See a doctor")
    make_precaution("general-precautions", kind="gentle", title="General precautions", badge="Press gently")
    for slug in ("how-to-press", "measuring-in-cun", "evidence"):
        make_guide(slug)


# Signed-in clients for the admin's tests (test modules with a fixture of the same name use their own).


@pytest.fixture
def editor(db):
    from points.tests.admin_pages import login
    from points.tests.factories import make_editor

    return login(make_editor("editor", first_name="Ana", last_name="Editor"))


@pytest.fixture
def reviewer(db):
    from points.tests.admin_pages import login
    from points.tests.factories import make_reviewer

    return login(make_reviewer("reviewer", first_name="Rui", last_name="Reviewer"))
