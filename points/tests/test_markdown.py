from html.parser import HTMLParser

import pytest
from pytest_django.asserts import assertHTMLEqual

from points.markdown import find_references, render_markdown
from points.models import resolve_references
from points.tests.factories import make_point, make_source


def no_references(point_refs, source_refs):
    return {}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">Press here</p>',
    '<a href="#" onmouseover="alert(1)">hover</a>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>Go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">x</details>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    "![x](javascript:alert(1))",
    '<a href="https://example.org" onclick="alert(1)">ok link</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<textarea><script>alert(1)</script></textarea>",
    "[[<script>alert(1)</script>]]",
    '<abbr title="x" onmouseover="alert(1)">cun</abbr>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_leaves_no_script_no_event_handler_and_no_javascript_url(payload):
    html = render_markdown(payload, resolver=no_references).html
    found = elements(html)
    assert "script" not in found.tags
    assert not [name for _, name, _ in found.attributes if name.startswith("on")]
    assert not [name for _, name, _ in found.attributes if name in {"style", "src", "action", "data"}]
    for _, name, value in found.attributes:
        if name == "href":
            scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
            assert scheme in {"", "http", "https", "mailto"}, value
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("payload", [payload for payload in XSS_PAYLOADS if not payload.startswith("[[")])
def test_sanitiser_tells_the_editor_something_was_removed(payload):
    assert render_markdown(payload, resolver=no_references).removed


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("<script>alert(1)</script>", ["the <script> element"]),
        ('<p onclick="alert(1)">hi</p>', ["the onclick attribute on <p>"]),
        ("[x](javascript:alert(1))", ["a link to “javascript:alert(1)”"]),
        ("<!-- note to self -->", ["an HTML comment"]),
    ],
)
def test_removed_html_is_described_in_words_an_editor_understands(text, removed):
    assert render_markdown(text, resolver=no_references).removed == removed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Press **firmly**, then _gently_.", "<p>Press <strong>firmly</strong>, then <em>gently</em>.</p>"),
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. first\n2. second", "<ol><li>first</li><li>second</li></ol>"),
        ("## Where it lies", "<h2>Where it lies</h2>"),
        ("> A quote", "<blockquote><p>A quote</p></blockquote>"),
        ("Use `cun`.", "<p>Use <code>cun</code>.</p>"),
        (
            "[WHO](https://www.who.int/)",
            '<p><a href="https://www.who.int/" rel="noopener noreferrer">WHO</a></p>',
        ),
        (
            "| Point | Cun |\n|---|---|\n| BL23 | 1.5 |",
            "<table><thead><tr><th>Point</th><th>Cun</th></tr></thead>"
            "<tbody><tr><td>BL23</td><td>1.5</td></tr></tbody></table>",
        ),
        ("Line one  \nline two", "<p>Line one<br>line two</p>"),
        ("", ""),
    ],
)
def test_ordinary_markdown_renders_as_expected(text, expected):
    rendered = render_markdown(text, resolver=no_references)
    assertHTMLEqual(rendered.html, expected)
    assert rendered.removed == []
    assert rendered.unresolved == []


def test_find_references_separates_points_from_sources():
    assert find_references("[[BL23]], [[ GB30 ]] and [[source:who-2008]]") == ({"BL23", "GB30"}, {"who-2008"})


def test_point_reference_becomes_a_link_to_the_point(db):
    make_point("BL23", pinyin="Shenshu")
    rendered = render_markdown("Press [[BL23]] first.", resolve_references)
    assertHTMLEqual(
        rendered.html, '<p>Press <a href="/points/bl23/" rel="noopener noreferrer">BL23 Shenshu</a> first.</p>'
    )
    assert rendered.unresolved == []


def test_point_reference_in_another_notation_links_to_the_canonical_point(db):
    make_point("BL52", pinyin="Zhishi")
    rendered = render_markdown("Old books call it [[B47]].", resolve_references)
    assertHTMLEqual(
        rendered.html, '<p>Old books call it <a href="/points/bl52/" rel="noopener noreferrer">BL52 Zhishi</a>.</p>'
    )


def test_source_reference_becomes_a_link_to_the_source_list(db):
    make_source(slug="who-2008", authors="World Health Organization", year=2008)
    rendered = render_markdown("See [[source:who-2008]].", resolve_references)
    assertHTMLEqual(
        rendered.html,
        '<p>See <a href="/sources/#who-2008" rel="noopener noreferrer">World Health Organization (2008)</a>.</p>',
    )


def test_unresolved_references_are_reported_and_left_as_plain_text(db):
    rendered = render_markdown("See [[BL99]], [[LI4]] and [[source:nowhere]].", resolve_references)
    assert rendered.unresolved == ["[[BL99]]", "[[LI4]]", "[[source:nowhere]]"]
    assertHTMLEqual(rendered.html, "<p>See BL99, LI4 and nowhere.</p>")
