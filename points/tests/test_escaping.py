import pytest
from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

from points.escaping import format_html

TEMPLATE = "<a href=\"{}\" title='{}'>{}</a>"


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(\"x\")</script> & 'quotes'",
        mark_safe("<em>already safe</em>"),
        2007,
        None,
        lazy(lambda: "<lazy> & 'translated'", str)(),
        "Hégǔ 合谷",
    ],
)
def test_a_value_is_escaped_exactly_as_djangos_format_html_escapes_it(value):
    written = format_html(TEMPLATE, value, value, value)
    assert written == django_html.format_html(TEMPLATE, value, value, value)
    assert isinstance(written, SafeString)


def test_markup_in_a_value_is_shown_as_text_not_run():
    assert format_html("<b>{}</b>", "<img src=x onerror=alert(1)>") == "<b>&lt;img src=x onerror=alert(1)&gt;</b>"
