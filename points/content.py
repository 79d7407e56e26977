"""Which models make up the site's content, and in which fixture file each lives.

Shared by ``export_content`` and ``load_content`` so the two can never disagree.
"""

from django.apps import apps

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
    return [field.name for field in fields if field.name not in EXCLUDED_FIELDS]


def ordered_queryset(model, label):
    ordering = SORT_KEYS.get(label) or (("slug",) if any(f.name == "slug" for f in model._meta.fields) else ("pk",))
    return model._default_manager.order_by(*ordering)
