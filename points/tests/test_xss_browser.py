"""Well-known cross-site-scripting attacks, written into every Markdown and text field
an editor controls, must not execute in a real browser nor leave dangerous markup."""

import pytest

from points.models import Meridian
from points.tests import browser as shared
from points.tests.factories import (
    link_condition,
    link_precaution,
    make_condition,
    make_guide,
    make_point,
    make_precaution,
)

pytestmark = pytest.mark.browser

# The shared Chromium (one per module); it skips with a reason when chromium is not installed.
browser = shared.browser

PAYLOADS = [
    "<script>window.__xss = 1; alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "<svg onload=alert(1)><circle r=1></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '"><script>alert(1)</script>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>body { display: none }</style>",
    '<object data="javascript:alert(1)"></object>',
    '![x](x" onerror="alert(1))',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[[<script>alert(1)</script>]]",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<a href='https://example.org' onclick='alert(1)'>ok</a>",
    '<p onmouseover="alert(1)">hover</p>',
]

DANGEROUS_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
      if (['href', 'src', 'action', 'data', 'xlink:href'].includes(attr.name) &&
          /^\\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      if (attr.name === 'style' && el.closest('main')) found.push(`${el.tagName} style`);
    }
  }
  // The site's own modules come from /static/; any other script is an injection.
  const suspects = 'script:not([type="application/ld+json"]):not([src^="/static/"]), ' +
    'iframe, object, embed, main style, main meta';
  for (const el of document.querySelectorAll(suspects))
    found.push(el.tagName);
  return found;
}"""


def write_everywhere(payload):
    """The payload in every field an editor writes, on every kind of page."""
    make_precaution("red-flags")
    make_precaution("general-precautions")
    for slug in ("how-to-press", "measuring-in-cun", "evidence"):
        make_guide(slug)
    markdown = {
        name: payload for name in ("location", "finding", "pressing", "functions", "indications", "reconciliation")
    }
    point = make_point("BL52", summary=payload, english_name=payload[:120], areas=["lower-back"], **markdown)
    condition = make_condition("sciatica", summary=payload[:300], body=payload, name=payload[:100])
    precaution = make_precaution(
        "pregnancy", summary=payload[:300], body=payload, badge=payload[:24], title=payload[:120]
    )
    link_condition(point, condition, note=payload[:300])
    link_precaution(point, precaution, note=payload[:300])
    make_guide("xss", body=payload, summary=payload[:300], title=payload[:120])
    meridian = Meridian.objects.get(code="BL")
    meridian.description = payload
    meridian.save()
    return [
        "/points/bl52/",
        "/points/",
        "/conditions/sciatica/",
        "/safety/pregnancy/",
        "/guides/xss/",
        "/meridians/bl/",
        "/search/?q=Pinyin",
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_attack_runs_or_leaves_dangerous_markup(live_server, browser, payload):
    urls = write_everywhere(payload)
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status < 500, url
            page.wait_for_timeout(50)
            assert page.evaluate("() => window.__xss === undefined"), url
            assert page.evaluate(DANGEROUS_DOM) == [], url
        assert dialogs == []
    finally:
        context.close()
