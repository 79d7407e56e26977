"""Parts of pages that are the same for every reader, rendered once per content version.

Page misses are mostly new URLs over the same content (another filter, another page,
another search): the cards, the body map and the rows of long lists they show were
rendered before. Keys carry the content version, so a save retires them all, and
staff (who may see drafts) and previews never read or write them.
"""

import hashlib

from django import template
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from points import cache as content_cache
from points.models import published_precaution_links

register = template.Library()

TIMEOUT = 3600


def shareable(context):
    # An include with "only" keeps the request on the context but not in its variables.
    request = getattr(context, "request", None) or context.get("request")
    if request is None:
        return False
    user = getattr(request, "user", None)
    return not getattr(request, "skip_page_cache", False) and not (user is not None and user.is_authenticated)


def fragment_key(name, parts):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"fragment:{content_cache.version()}:{name}:{digest}"


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        if not shareable(context):
            return self.nodelist.render(context)
        key = fragment_key(self.name, [str(part.resolve(context)) for part in self.parts])
        html = content_cache.fragment_get(key)
        if html is None:
            html = self.nodelist.render(context)
            content_cache.fragment_set_many({key: html}, TIMEOUT)
        return html


@register.tag
def fragment(parser, token):
    """{% fragment "name" what it depends on... %} ... {% endfragment %}: everything the
    inside shows must come from content or from the listed values."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


def with_warnings(points):
    """The badges of the cards that are rendered, in one query."""
    cached = [getattr(point, "_prefetched_objects_cache", {}) for point in points]
    if points and not all("precaution_links" in prefetched for prefetched in cached):
        prefetch_related_objects(points, Prefetch("precaution_links", queryset=published_precaution_links()))


@register.simple_tag(takes_context=True)
def point_cards(context, points):
    """The <li> cards of a CardList, each rendered once per content version; one cache read for
    the whole list, and the points' columns read only for the cards not cached."""
    card = get_template("points/includes/point_card.html")
    if not shareable(context):
        points = list(points)
        with_warnings(points)
        return mark_safe("".join(f"<li>{card.render({'point': point})}</li>" for point in points))
    pks = points.pks
    keys = [fragment_key("card", [pk]) for pk in pks]
    cached = content_cache.fragment_get_many(keys)
    missing = [pk for key, pk in zip(keys, pks, strict=True) if key not in cached]
    loaded = points.points_for(missing) if missing else []
    with_warnings(loaded)
    by_pk = {point.pk: point for point in loaded}
    fresh = {}
    items = []
    for key, pk in zip(keys, pks, strict=True):
        html = cached.get(key)
        if html is None:
            html = fresh[key] = card.render({"point": by_pk[pk]})
        items.append(f"<li>{html}</li>")
    if fresh:
        content_cache.fragment_set_many(fresh, TIMEOUT)
    # The card template escapes everything it shows; the cache only holds its output.
    return mark_safe("".join(items))


def _filter_options(form):
    """Each field's options as (value, HTML before the checked/selected mark, HTML after, offered),
    escaped once per content version: the choices come from the vocabulary."""

    def build():
        options = {}
        area = form["area"]
        options["area"] = [
            (
                str(value),
                f'      <li><input type="checkbox" name="area" value="{escape(value)}" id="id_area_{number}"',
                f'> <label for="id_area_{number}">{escape(label)}</label></li>\n',
                True,
            )
            for number, (value, label) in enumerate(area.field.choices)
        ]
        offered_choices = getattr(form, "offered_choices", {})
        for field in form:
            if field.name in ("q", "area"):
                continue
            offered = offered_choices.get(field.name)
            options[field.name] = [
                (
                    str(value),
                    f'      <option value="{escape(value)}"',
                    f">{escape(label)}</option>\n",
                    offered is None or not value or value in offered,
                )
                for value, label in field.field.choices
            ]
        return options

    return content_cache.per_version("filter-options", build)


@register.simple_tag
def filter_fields(form):
    """The filter form's checkboxes and selects, written out here: rendered through Django's
    widget templates (one per option) they cost more than the rest of the list page."""
    options = _filter_options(form)
    area = form["area"]
    chosen = {str(value) for value in (area.value() or [])}
    parts = [f'<fieldset class="field">\n    <legend>{escape(area.label)}</legend>\n    <ul class="checkbox-list">\n']
    parts += [f"{before}{' checked' if value in chosen else ''}{after}" for value, before, after, _ in options["area"]]
    parts.append("    </ul>\n  </fieldset>\n")
    for field in form:
        if field.name in ("q", "area"):
            continue
        current = "" if field.value() is None else str(field.value())
        invalid = ' aria-invalid="true"' if field.errors else ""
        parts.append(
            f'  <div class="field">\n    <label for="id_{field.name}">{escape(field.label)}</label>\n'
            f'    <select name="{field.name}" id="id_{field.name}"{invalid}>\n'
        )
        # A bookmarked value the form no longer offers stays shown, selected.
        parts += [
            f"{before}{' selected' if value == current else ''}{after}"
            for value, before, after, offered in options[field.name]
            if offered or value == current
        ]
        parts.append("    </select>\n  </div>\n")
    # Every value and label above is escaped.
    return mark_safe("".join(parts))
