"""The point list's filters: every parameter is part of the public URL contract."""

import copy
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from points import cache as content_cache
from points.models import Point, PointCondition, PointPrecaution
from points.search import name_index, point_filter

# The filters that leave points out (show= only lets undescribed points in).
NARROWING = ("q", "area", "meridian", "condition", "without")


@dataclass(frozen=True)
class ListIndex:
    """Which published points each filter keeps, by id, and their place in the list: a reader's
    filtered list is worked out from this, once per content version, instead of an SQL query
    built and compiled for every combination of filters (most of a filtered list's cost)."""

    position: dict  # published point id: its place in sort_key order
    described: frozenset
    by_area: dict  # area id: frozenset of published point ids, and the same below
    by_meridian: dict  # meridian code
    by_condition: dict  # condition id
    by_precaution: dict  # precaution id


def list_index():
    return content_cache.per_version("list-index", _build_list_index)


def _build_list_index():
    rows = Point.objects.published().order_by("sort_key", "pk").values_list("pk", "described", "meridian__code")
    position, described, by_meridian = {}, set(), {}
    for place, (pk, is_described, meridian) in enumerate(rows):
        position[pk] = place
        if is_described:
            described.add(pk)
        if meridian:
            by_meridian.setdefault(meridian, set()).add(pk)

    def published_by(links, owner_field):
        index = {}
        for owner, pk in links.order_by().values_list(owner_field, "point_id"):
            if pk in position:
                index.setdefault(owner, set()).add(pk)
        return {owner: frozenset(pks) for owner, pks in index.items()}

    return ListIndex(
        position=position,
        described=frozenset(described),
        by_area=published_by(Point.areas.through.objects, "bodyarea_id"),
        by_meridian={code: frozenset(pks) for code, pks in by_meridian.items()},
        by_condition=published_by(PointCondition.objects, "condition_id"),
        by_precaution=published_by(PointPrecaution.objects, "precaution_id"),
    )


class SharedChoices:
    """A choice field whose form copies share its choices.

    Django deep-copies every field for every form, choices included: for the list's hundred-odd
    areas, meridians, conditions and precautions that was most of the filters' cost on every list
    page. The choices are the vocabulary's, set once per filter set and never changed by a form."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class CopiedShallow:
    """A filter that every filter set copies without deep-copying its widget and options: a filter
    set only sets entries of a filter's ``extra`` (a copy), and the form field made from it
    deep-copies the widget anyway."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        result.extra = dict(self.extra)
        result.__dict__.pop("_field", None)
        # A filter's method is bound to the filter it was set on.
        result.method = self.method
        return result


class CharFilter(CopiedShallow, django_filters.CharFilter):
    pass


class ChoiceFilter(CopiedShallow, django_filters.ChoiceFilter):
    field_class = type("ChoiceField", (SharedChoices, django_filters.fields.ChoiceField), {})


class MultipleChoiceFilter(CopiedShallow, django_filters.MultipleChoiceFilter):
    field_class = type("MultipleChoiceField", (SharedChoices, django_filters.fields.MultipleChoiceField), {})


class PointFilter(django_filters.FilterSet):
    q = CharFilter(
        method="filter_text",
        label="Name or code",
        help_text="A code in any notation (LI4, B47, 4GI), a name (Hegu, Joining Valley) or characters (合谷).",
    )
    area = MultipleChoiceFilter(method="filter_area", label="Where on the body", widget=forms.CheckboxSelectMultiple)
    meridian = ChoiceFilter(method="filter_meridian", label="Meridian", empty_label="Any meridian")
    condition = ChoiceFilter(method="filter_condition", label="Used for", empty_label="Any condition")
    without = ChoiceFilter(method="filter_without", label="Hide points to avoid with", empty_label="Show all")
    show = ChoiceFilter(
        method="filter_show",
        label="Points shown",
        empty_label="Fully described points",
        choices=[("all", "All 361 standard points")],
    )

    def __init__(self, data, *args, vocabulary, **kwargs):
        data = data.copy()
        self.notices = []
        area_slugs = {area.slug for area in vocabulary.areas}
        unknown_areas = [slug for slug in data.getlist("area") if slug and slug not in area_slugs]
        if unknown_areas:
            # One unknown area must not throw away the reader's other areas.
            data.setlist("area", [slug for slug in data.getlist("area") if slug in area_slugs])
            self.notices.append(
                f"We don't know the body area {', '.join(f'“{slug}”' for slug in unknown_areas)}, so it was left "
                f"out. Areas: {', '.join(sorted(area_slugs))}."
            )
        super().__init__(data, *args, **kwargs)
        self.vocabulary = vocabulary
        choices = {
            "area": [(area.slug, area.name) for area in vocabulary.areas],
            "meridian": [
                (meridian.code.lower(), f"{meridian.code} {meridian.name}") for meridian in vocabulary.meridians
            ],
            "condition": list(vocabulary.all_conditions),
            "without": [(precaution.slug, precaution.title) for precaution in vocabulary.precautions],
        }
        nouns = {"meridian": "meridian", "condition": "condition", "without": "precaution", "show": "option"}
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options
        for name, noun in nouns.items():
            self.filters[name].extra["error_messages"] = {
                "invalid_choice": f"There is no {noun} “%(value)s”, so that filter was not applied. "
                "Choose one from the list."
            }
        self.filters["without"].extra["error_messages"] = {
            "invalid_choice": "There is no precaution “%(value)s”, so we cannot tell which points to hide, and "
            "show none rather than risk showing one you should avoid. Choose a precaution from the list."
        }
        # Every published precaution is a valid without= (shared URLs keep working), but the form
        # offers only those that hide at least one point.
        self.form.offered_choices = {
            "without": vocabulary.linked_precautions,
            "condition": frozenset(condition.slug for condition in vocabulary.conditions),
        }

    def filter_queryset(self, queryset):
        # A safety filter that cannot be applied must not quietly show everything.
        if "without" in self.form.errors:
            self.matching = queryset.none()
            return self.matching
        self.matching = super().filter_queryset(queryset)
        # Points still without a description are listed only when asked for (show=all): the
        # default applies with no value too, so it cannot live in filter_show alone.
        return self.matching if self.shows_all else self.matching.described()

    def listed_ids(self, index):
        """A reader's list as point ids, in order, from ``index`` (``list_index()``) with no query;
        None when the database has to answer: a text search, or no filter at all (the unfiltered
        list is counted per version and read a page at a time)."""
        self.form.errors  # noqa: B018 - validating is what sets cleaned_data
        if "without" in self.form.errors:
            return []
        data = self.form.cleaned_data
        if data.get("q"):
            return None
        kept = []
        if data.get("area"):
            areas = self.vocabulary.area_ids(data["area"])
            on_areas = [index.by_area.get(pk, frozenset()) for pk in areas]
            # One area's set as it is: a union copies every point of it.
            kept.append(on_areas[0] if len(on_areas) == 1 else frozenset().union(*on_areas))
        if data.get("meridian"):
            kept.append(index.by_meridian.get(data["meridian"].upper(), frozenset()))
        if data.get("condition"):
            kept.append(index.by_condition.get(self.vocabulary.condition_id(data["condition"]), frozenset()))
        if not kept and not data.get("without"):
            return None
        found = frozenset.intersection(*kept) if kept else frozenset(index.position)
        if data.get("without"):
            found -= index.by_precaution.get(self.vocabulary.precaution_id(data["without"]), frozenset())
        if not self.shows_all:
            found &= index.described
        return sorted(found, key=index.position.__getitem__)

    def undescribed_matches(self):
        """How many points match but are left out for having no description yet."""
        if self.shows_all:
            return 0
        self.qs  # noqa: B018 - filtering is what sets self.matching
        return self.matching.filter(described=False).count()

    def filter_text(self, queryset, name, value):
        return queryset.filter(point_filter(value, name_index(queryset.model.objects.published())))

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        # EXISTS rather than a join and DISTINCT: the list is read in sort_key order and stops at its page.
        # By id, from the vocabulary: no join, and the planner knows how many points each area has.
        on_area = Point.areas.through.objects.filter(point=OuterRef("pk"), bodyarea__in=self.vocabulary.area_ids(value))
        return queryset.filter(Exists(on_area))

    def filter_meridian(self, queryset, name, value):
        return queryset.filter(meridian__code=value.upper())

    def filter_condition(self, queryset, name, value):
        # A condition has a few dozen points at most: found first, they are all the list has to read.
        # By id: the value is one of the vocabulary's conditions (the form's choices come from it).
        links = PointCondition.objects.filter(condition=self.vocabulary.condition_id(value))
        return queryset.filter(pk__in=links.values("point_id"))

    def filter_without(self, queryset, name, value):
        # By id: the value is one of the vocabulary's published precautions (the form's choices).
        return queryset.exclude(Q(precaution_links__precaution=self.vocabulary.precaution_id(value)))

    def filter_show(self, queryset, name, value):
        # show=all lifts the described-only default of filter_queryset; there is nothing to narrow.
        return queryset

    def unfiltered_count(self, listed_points):
        """The list's size from ``listed_points`` (``topic_links()``) when no filter narrows it, else None."""
        if not self.form.is_valid() or any(self.form.cleaned_data.get(name) for name in NARROWING):
            return None
        return listed_points["all" if self.shows_all else "described"]

    @property
    def shows_all(self):
        return self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("show") == "all"

    def active_filters(self):
        """Each applied filter with the link that removes just that one (other filters kept)."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        choices = {name: dict(self.filters[name].extra.get("choices", [])) for name in self.filters}
        active = []
        if data.get("q"):
            active.append(self._active("Name or code", data["q"], "q"))
        for slug in data.get("area") or []:
            active.append(self._active("Area", choices["area"].get(slug, slug), "area", slug))
        titles = {
            "meridian": "Meridian",
            "condition": "Used for",
            "without": "Hiding points to avoid with",
            "show": "Showing",
        }
        for name, title in titles.items():
            if data.get(name):
                active.append(self._active(title, choices[name].get(data[name], data[name]), name))
        return active

    def _active(self, title, label, parameter, value=None):
        remaining = self.data.copy()
        remaining.pop("page", None)
        if value is None:
            remaining.pop(parameter, None)
        else:
            remaining.setlist(parameter, [kept for kept in remaining.getlist(parameter) if kept != value])
        query = remaining.urlencode()
        return {"title": title, "label": label, "parameter": parameter, "remove_url": f"?{query}" if query else "?"}
