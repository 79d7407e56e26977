"""{% body_map_views as views %}: the body map's two figures and their regions, from points/body_map.py."""

from django import template

from points.body_map import VIEWS, regions_on

register = template.Library()


@register.simple_tag
def body_map_views():
    return [
        {"name": name, "label": label, "caption": caption, "regions": regions_on(name)}
        for name, label, caption in VIEWS
    ]
