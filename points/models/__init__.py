"""The content of the site: points, meridians, conditions, precautions, guides, routines.

Editor-written text is Markdown; each Markdown field has an ``*_html`` twin
rendered and sanitised once, on save (see ``points.markdown``), so pages never
render Markdown per request. Each module holds its models with their querysets;
this package names them all, so ``from points.models import Point`` works
wherever the model lives (and old migrations find the mixins they name).
"""

from points.choices import Basis, PointCategory, Status
from points.models.base import (
    REVIEW_INTERVAL,
    ContentModel,
    ContentQuerySet,
    InvalidatesCache,
    MarkdownMixin,
    NaturalKey,
    NaturalKeyQuerySet,
    Versioned,
    resolve_references,
    review_due_after,
    sees_drafts,
)
from points.models.conditions import Condition, ConditionQuerySet
from points.models.guides import Guide
from points.models.links import (
    Combination,
    ConditionPrecaution,
    PointCondition,
    PointPrecaution,
    condition_point_links,
    precaution_point_links,
    published_precaution_links,
)
from points.models.points import CARD_FIELDS, Alias, Point, PointQuerySet
from points.models.reference import BodyArea, Meridian, Source
from points.models.routines import Routine, RoutineQuerySet, RoutineStep, routine_steps
from points.models.safety import Precaution, PrecautionQuerySet
from points.models.workflow import ContentVersion, OpenEdit, Revision

__all__ = [
    "CARD_FIELDS",
    "REVIEW_INTERVAL",
    "Alias",
    "Basis",
    "BodyArea",
    "Combination",
    "Condition",
    "ConditionPrecaution",
    "ConditionQuerySet",
    "ContentModel",
    "ContentQuerySet",
    "ContentVersion",
    "Guide",
    "InvalidatesCache",
    "MarkdownMixin",
    "Meridian",
    "NaturalKey",
    "NaturalKeyQuerySet",
    "OpenEdit",
    "Point",
    "PointCategory",
    "PointCondition",
    "PointPrecaution",
    "PointQuerySet",
    "Precaution",
    "PrecautionQuerySet",
    "Revision",
    "Routine",
    "RoutineQuerySet",
    "RoutineStep",
    "Source",
    "Status",
    "Versioned",
    "condition_point_links",
    "precaution_point_links",
    "published_precaution_links",
    "resolve_references",
    "review_due_after",
    "routine_steps",
    "sees_drafts",
]
