"""Property-based fuzzing of every public query parameter and path segment: no input ever gives a 500.

Bad input must give the page with a message or a helpful 404 (see DESIGN.md).
The data is made once per test; Hypothesis then runs many requests inside that
test, so the function-scoped-fixture health check is suppressed on purpose.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from points.tests.factories import (
    link_condition,
    link_precaution,
    make_alias,
    make_condition,
    make_point,
    make_precaution,
)

pytestmark = pytest.mark.django_db

fuzz = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LOOKS_HOSTILE = [
    "' OR '1'='1",
    "1; DROP TABLE points_point; --",
    "%' UNION SELECT password FROM auth_user --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../etc/passwd",
    "%00",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "\u202egnp.exe",
    "ＬＩ４",
    "合谷",
    "Hégǔ",
    "B47",
    "LI-4",
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "",
    " ",
]

texts = st.one_of(
    st.text(max_size=40),  # any Unicode except surrogates: control characters, combining marks, emoji
    st.text(st.characters(codec="ascii"), max_size=40),
    st.sampled_from(LOOKS_HOSTILE),
    st.builds(lambda chunk, times: chunk * times, st.text(min_size=1, max_size=8), st.integers(100, 1500)),
)


def valid_or(*values):
    """Real values mixed with junk, so the fuzzing also reaches the code that runs on a match."""
    return st.one_of(st.sampled_from(values), texts)


@pytest.fixture
def site(site_pages):
    bl52 = make_point("BL52", pinyin="Zhishi", areas=["lower-back"])
    li4 = make_point("LI4", pinyin="Hegu", hanzi_traditional="合谷", areas=["hand"])
    make_point("BL23", pinyin="Shenshu", areas=["lower-back"], described=False)
    make_alias(bl52, "B47", kind="old-bladder")
    make_alias(li4, "4GI", kind="notation")
    sciatica = make_condition("sciatica")
    make_condition("lower-back-pain")
    link_condition(bl52, sciatica)
    link_precaution(li4, make_precaution("pregnancy"))


@fuzz
@example(q="\x00", areas=["\x00"], meridian="\x00", condition="\x00", without="\x00", show="\x00", page="\x00")
@given(
    q=st.none() | valid_or("zhishi", "BL52", "b47", "合谷", "hegu"),
    areas=st.lists(valid_or("lower-back", "hand", "leg"), max_size=4),
    meridian=st.none() | valid_or("bl", "li", "gb", "BL"),
    condition=st.none() | valid_or("sciatica", "lower-back-pain"),
    without=st.none() | valid_or("pregnancy", "red-flags"),
    show=st.none() | valid_or("all"),
    page=st.none() | st.integers(-(10**30), 10**30).map(str) | valid_or("1", "2", "last"),
)
def test_the_point_list_never_fails_whatever_its_filters(
    client, site, q, areas, meridian, condition, without, show, page
):
    given_values = {
        "q": q,
        "meridian": meridian,
        "condition": condition,
        "without": without,
        "show": show,
        "page": page,
    }
    data = {name: value for name, value in given_values.items() if value is not None}
    if areas:
        data["area"] = areas
    response = client.get("/points/", data)
    assert response.status_code < 500


@fuzz
@given(query_string=st.text(st.sampled_from("q=area&meridian;page%FFfe00+ab=%-/?#\\'\"<>合"), max_size=120))
def test_the_point_list_never_fails_on_a_malformed_query_string(client, site, query_string):
    response = client.get(f"/points/?{query_string}")
    assert response.status_code < 500


@fuzz
@example(q="\x00")
@example(q="B" * 5000)
@given(q=valid_or("zhishi", "BL52", "b47", "LI-4", "4gi", "合谷", "sciatica", "pregnancy", "bl"))
def test_search_never_fails_whatever_is_typed(client, site, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code < 500


BROKEN_ENCODING = "%ffFE0123456789abcdef"
REAL_SEGMENTS = ["bl52", "BL52", "b47", "bl", "BL", "sciatica", "pregnancy", "how-to-press"]
segments = st.one_of(
    st.sampled_from(REAL_SEGMENTS),
    texts.filter(bool).map(lambda text: quote(text, safe="")),
    st.text(st.sampled_from(BROKEN_ENCODING), min_size=1, max_size=30),  # sent as is: invalid %-escapes and UTF-8
)


@pytest.mark.parametrize("prefix", ["/points/", "/meridians/", "/conditions/", "/safety/", "/guides/"])
@fuzz
@example(segment="%00")  # a NUL character: PostgreSQL refuses it in any text comparison
@example(segment="%FF%FE")  # not UTF-8
@example(segment="x" * 5000)
@given(segment=segments)
def test_a_detail_page_never_fails_whatever_the_address(client, site, prefix, segment):
    response = client.get(f"{prefix}{segment}/")
    assert response.status_code < 500
