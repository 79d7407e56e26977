"""Small factories for test data: each makes the least a test needs, with overridable defaults."""

import itertools

from points.models import (
    Alias,
    Basis,
    BodyArea,
    Combination,
    Condition,
    ConditionPrecaution,
    Guide,
    Meridian,
    Point,
    PointCondition,
    PointPrecaution,
    Precaution,
    Routine,
    RoutineStep,
    Source,
    Status,
)
from points.notation import MERIDIAN_POINT_COUNTS

_counter = itertools.count(1)
MERIDIAN_NAMES = {
    "LU": "Lung", "LI": "Large Intestine", "ST": "Stomach", "SP": "Spleen", "HT": "Heart",
    "SI": "Small Intestine", "BL": "Bladder", "KI": "Kidney", "PC": "Pericardium", "TE": "Triple Energizer",
    "GB": "Gallbladder", "LR": "Liver", "GV": "Governor Vessel", "CV": "Conception Vessel",
}  # fmt: skip


def make_source(**fields):
    n = next(_counter)
    defaults = {
        "slug": f"source-{n}",
        "kind": Source.Kind.STUDY,
        "title": f"A study {n}",
        "authors": "Doe J",
        "year": 2020,
    }
    return Source.objects.create(**{**defaults, **fields})


def make_area(slug="lower-back", name=None, order=None):
    area, _ = BodyArea.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").capitalize(), "order": order or next(_counter)}
    )
    return area


def make_meridian(code="BL"):
    meridian, _ = Meridian.objects.get_or_create(
        code=code, defaults={"name": MERIDIAN_NAMES[code], "order": list(MERIDIAN_NAMES).index(code) + 1}
    )
    return meridian


def make_point(code="BL52", *, described=True, status=Status.PUBLISHED, areas=(), **fields):
    if code.startswith(("EX-", "MA-")):  # extra and ear points have no meridian
        meridian, number = None, None
    else:
        meridian_code = "".join(char for char in code if char.isalpha())
        number = int("".join(char for char in code if char.isdigit()))
        assert number <= MERIDIAN_POINT_COUNTS[meridian_code]
        meridian = make_meridian(meridian_code)
    defaults = {
        "meridian": meridian,
        "number": number,
        "pinyin": f"Pinyin{code}",
        "hanzi_traditional": "志室",
        "english_name": f"English {code}",
        "status": status,
        "described": described,
    }
    if described:
        defaults.update(
            summary=f"Summary of {code}.",
            location=f"Location of {code} in cun.",
            finding="Four finger widths from the spine.",
            pressing="Press for one minute.",
            functions="Traditional functions.",
            indications="Traditional indications.",
        )
    point = Point.objects.create(code=code, **{**defaults, **fields})
    if areas:
        point.areas.set([make_area(slug) for slug in areas])
    point.refresh_search_names()
    return point


def make_condition(slug="sciatica", status=Status.PUBLISHED, **fields):
    defaults = {"name": slug.replace("-", " ").capitalize(), "summary": f"About {slug}.", "status": status}
    return Condition.objects.create(slug=slug, **{**defaults, **fields})


def make_precaution(slug="pregnancy", status=Status.PUBLISHED, **fields):
    defaults = {
        "title": slug.replace("-", " ").capitalize(),
        "kind": Precaution.Kind.AVOID,
        "badge": f"Not with {slug}"[:24],
        "summary": f"Do not press with {slug}.",
        "status": status,
    }
    return Precaution.objects.create(slug=slug, **{**defaults, **fields})


def make_guide(slug="how-to-press", status=Status.PUBLISHED, **fields):
    defaults = {
        "title": slug.replace("-", " ").capitalize(),
        "summary": "A guide.",
        "body": "Press gently.",
        "status": status,
    }
    return Guide.objects.create(slug=slug, **{**defaults, **fields})


def make_routine(slug="lower-back", steps=(), *, status=Status.PUBLISHED, conditions=(), **fields):
    """A routine with ``steps``: each a point, or a (point, side, seconds) or (point, side, seconds, repeats) tuple."""
    defaults = {
        "title": slug.replace("-", " ").capitalize(),
        "for_whom": "For a stiff back.",
        "summary": f"A routine for {slug}.",
        "status": status,
    }
    routine = Routine.objects.create(slug=slug, **{**defaults, **fields})
    for order, step in enumerate(steps, 1):
        point, side, seconds, *rest = step if isinstance(step, tuple) else (step, "both", 30)
        RoutineStep.objects.create(
            routine=routine,
            order=order * 10,
            point=point,
            side=side,
            seconds=seconds,
            repeats=rest[0] if rest else 1,
            instruction=f"Press {point.code} firmly, breathing easily.",
        )
    if conditions:
        routine.conditions.set(conditions)
    return routine


def link_condition(point, condition, note="Used for it.", source=None, basis=Basis.CLASSICAL):
    return PointCondition.objects.create(
        point=point, condition=condition, note=note, basis=basis, source=source or make_source()
    )


def link_precaution(point, precaution, note="Avoid it."):
    return PointPrecaution.objects.create(point=point, precaution=precaution, note=note)


def link_condition_precaution(condition, precaution, note="Check first."):
    return ConditionPrecaution.objects.create(condition=condition, precaution=precaution, note=note)


def make_alias(point, name, kind=Alias.Kind.PINYIN, **fields):
    return Alias.objects.create(point=point, name=name, kind=kind, **fields)


def combine(point, partner, note="Used together.", source=None, basis=Basis.CLASSICAL):
    return Combination.objects.create(
        point=point, partner=partner, note=note, basis=basis, source=source or make_source()
    )


def make_user(username=None, *, group=None, password="a long enough password", **fields):  # noqa: S107
    """A staff account, in the named group ("Editors", "Reviewers") made by migration 0002_roles."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    fields.setdefault("is_staff", True)
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_counter)}", password=password, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_editor(username=None, **fields):
    return make_user(username, group="Editors", **fields)


def make_reviewer(username=None, **fields):
    return make_user(username, group="Reviewers", **fields)


def admin_form_data(response, **changes):
    """The POST data an admin add or change page would send back as shown, with ``changes`` applied.

    Inline rows come with their management forms; change one with its prefixed
    name (``aliases-0-name``). A change of None leaves the field out, as an
    unticked checkbox does.
    """
    from django.forms import CheckboxInput

    data = {}

    def add(form):
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                value = "on" if value else None
            elif isinstance(value, (list, tuple)):
                value = [str(item) for item in value]
            elif value is not None:
                value = str(value)
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


BODY_AREAS = {
    "head": "Head", "face": "Face", "ear": "Ear", "neck": "Neck", "shoulder": "Shoulder", "upper-back": "Upper back",
    "lower-back": "Lower back", "sacrum-buttock": "Sacrum and buttock", "chest": "Chest", "abdomen": "Abdomen",
    "arm": "Arm", "hand": "Hand", "leg": "Leg", "knee": "Knee", "foot": "Foot",
}  # fmt: skip


def make_body_areas():
    """Every body area of the public contract, in the order the body map and the filter list them."""
    return [make_area(slug, name=name, order=order) for order, (slug, name) in enumerate(BODY_AREAS.items(), 1)]
