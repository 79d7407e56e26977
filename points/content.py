"""Which models make up the site's content, in which fixture file each lives, and what is rebuilt on load.

Shared by ``export_content`` and ``load_content`` so the two can never disagree. The
files hold only what editors write: whatever the models compute from it (rendered
Markdown, sort and search keys, timestamps) is left out and rebuilt by
``rebuild_derived`` after loading, so loaded HTML has passed the sanitiser like any
saved HTML, and an export changes only where content changed.
"""

import contextlib

from django.apps import apps
from django.db.models.signals import pre_save
from django.utils import timezone

from points.notation import normalise_key

# File name -> models, in the order their rows are written. Natural keys make
# the files independent of database ids, so they diff cleanly and load into any
# database.
CONTENT_FILES = {
    "reference.json": ["points.Source", "points.BodyArea", "points.Meridian"],
    "points.json": ["points.Point"],
    "aliases.json": ["points.Alias"],
    "conditions.json": ["points.Condition", "points.PointCondition"],
    "safety.json": ["points.Precaution", "points.PointPrecaution", "points.ConditionPrecaution"],
    "combinations.json": ["points.Combination"],
    "guides.json": ["points.Guide"],
    "routines.json": ["points.Routine", "points.RoutineStep"],
}

# Who reviewed is an account on one database, not content (readers see reviewer_name), and the
# edit version only counts saves in one database: both stay in the database and its history.
EXCLUDED_FIELDS = {"reviewed_by", "edit_version"}

# What the models compute in save() from other fields, which nothing in a field's definition
# tells apart from content the site writes itself (reviewer_name is editable=False too):
# rebuild_derived recomputes exactly these. Markdown's *_html twins and timestamps are
# found from the models (derived_fields).
REBUILT_FIELDS = {"points.Point": {"sort_key", "search_names"}, "points.Alias": {"key"}}

# Rows per UPDATE: small enough for SQLite's limit on query parameters, large enough to be quick.
BATCH_SIZE = 200

SORT_KEYS = {
    "points.Point": ("sort_key", "code"),
    "points.Alias": ("point__sort_key", "point__code", "name"),
    "points.PointCondition": ("condition__slug", "point__sort_key", "point__code"),
    "points.PointPrecaution": ("precaution__slug", "point__sort_key", "point__code"),
    "points.ConditionPrecaution": ("precaution__slug", "condition__slug"),
    "points.Combination": ("point__code", "partner__code"),
    "points.Meridian": ("order",),
    "points.RoutineStep": ("routine__slug", "order"),
}


def content_models():
    for file_name, labels in CONTENT_FILES.items():
        for label in labels:
            yield file_name, apps.get_model(label), label


def export_fields(model):
    """Columns and many-to-many relations (those through a model of their own are exported as rows)."""
    fields = [field for field in model._meta.local_fields if not field.primary_key]
    fields += [field for field in model._meta.local_many_to_many if field.remote_field.through._meta.auto_created]
    left_out = EXCLUDED_FIELDS | derived_fields(model)
    return [field.name for field in fields if field.name not in left_out]


def is_timestamp(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def derived_fields(model):
    """Fields the model fills in itself: written to no fixture, rebuilt on load."""
    names = {f"{name}_html" for name in getattr(model, "markdown_fields", ())}
    names |= {field.name for field in model._meta.concrete_fields if is_timestamp(field)}
    return names | REBUILT_FIELDS.get(model._meta.label, set())


def ordered_queryset(model, label):
    ordering = SORT_KEYS.get(label) or (("slug",) if any(f.name == "slug" for f in model._meta.fields) else ("pk",))
    return model._default_manager.order_by(*ordering)


@contextlib.contextmanager
def storable_raw_rows():
    """While loaddata writes rows raw (without save()), fill in the derived values a row cannot be stored without.

    Timestamps are NOT NULL, and an alias's key is unique: left empty, the second alias would
    clash with the first. Everything else derived waits for rebuild_derived, once every row is in.
    """
    labels = {label for _file_name, _model, label in content_models()}
    now = timezone.now()

    def fill(sender, instance, raw, **kwargs):
        if not raw or sender._meta.label not in labels:
            return
        for field in sender._meta.concrete_fields:
            if is_timestamp(field) and getattr(instance, field.attname) is None:
                setattr(instance, field.attname, now)
        if sender._meta.label == "points.Alias":
            instance.key = normalise_key(instance.name)

    pre_save.connect(fill, weak=False, dispatch_uid="points.content.storable_raw_rows")
    try:
        yield
    finally:
        pre_save.disconnect(dispatch_uid="points.content.storable_raw_rows")


def rebuild_derived():
    """Recompute everything the models derive from editors' text, for rows that were written without save().

    The same functions and methods as save() use, so loaded content is exactly what saving it would
    give; Markdown comes last, because its [[BL23]] links resolve against the points loaded.
    """
    Point, Alias = apps.get_model("points.Point"), apps.get_model("points.Alias")

    points = list(Point.objects.select_related("meridian").prefetch_related("aliases"))
    for point in points:
        point.set_sort_key()  # without a save (and a cache bump) per point
    Point.objects.bulk_update(points, ["sort_key"], batch_size=BATCH_SIZE)

    aliases = list(Alias.objects.only("pk", "name", "key"))
    for alias in aliases:
        alias.key = normalise_key(alias.name)
    Alias.objects.bulk_update(aliases, ["key"], batch_size=BATCH_SIZE)

    for point in points:
        point.refresh_search_names(aliases=point.aliases.all())

    for _file_name, model, _label in content_models():
        names = getattr(model, "markdown_fields", ())
        if not names:
            continue
        rows = list(model._default_manager.only("pk", *names))
        for row in rows:
            row.render_markdown_fields()
        model._default_manager.bulk_update(rows, [f"{name}_html" for name in names], batch_size=BATCH_SIZE)
