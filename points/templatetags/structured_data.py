"""JSON-LD for search engines, built as data and serialised once, never glued from escaped fragments."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# What must not appear raw inside a <script> element, whatever the text editors wrote.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def point_data(point, site_url):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": f"{point.code} {point.pinyin}",
        "url": f"{site_url}{point.get_absolute_url()}",
        "description": point.summary,
        "about": {
            "@type": "AnatomicalStructure",
            "name": f"{point.code} {point.pinyin} ({point.english_name})",
            "alternateName": [name for name in (point.hanzi_traditional, point.english_name) if name],
        },
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
    }
    if point.last_reviewed:
        data["lastReviewed"] = point.last_reviewed.isoformat()
    return data


@register.simple_tag
def point_jsonld(point, site_url):
    text = json.dumps(point_data(point, site_url), ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
