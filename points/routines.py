"""What a routine page derives from its steps, so nothing about safety is typed twice.

A routine's warnings come from the precaution links of its steps' points, one
warning per precaution naming the steps it concerns; ``without=`` (the point
list's vocabulary) leaves out the steps whose points carry that precaution, in
the same way the point list leaves out the points.
"""

from dataclasses import dataclass, field

from django.utils.text import normalize_newlines

from points import cache as content_cache
from points.models import Routine
from points.wording import format_duration

MAX_WITHOUT = 20


def join_words(words):
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass
class RoutineWarning:
    """One precaution, the steps it concerns and the link that shows the routine without them.

    Shaped like a PointPrecaution (``precaution``, ``note``) so the site's warnings include renders it.
    """

    precaution: object
    steps: list = field(default_factory=list)
    without_url: str = ""

    @property
    def note(self):
        return self.precaution.summary

    @property
    def concerns(self):
        parts = [f"{step.number} ({step.point.code})" for step in self.steps]
        return f"{'Step' if len(parts) == 1 else 'Steps'} {join_words(parts)}."


@dataclass
class RoutinePlan:
    """The routine as this reader will do it."""

    steps: list
    skipped: list
    without: list
    unknown: list
    warnings: list

    @property
    def total_seconds(self):
        return sum(step.total_seconds for step in self.steps)

    @property
    def total_display(self):
        return format_duration(self.total_seconds)


def read_without(values, precautions):
    """The reader's ``without=`` values split into known precautions and unknown slugs, each kept once."""
    known = {precaution.slug: precaution for precaution in precautions}
    chosen, unknown = [], []
    for raw in list(values)[:MAX_WITHOUT]:
        slug = raw.strip()[:60]
        if not slug:
            continue
        if slug in known:
            if known[slug] not in chosen:
                chosen.append(known[slug])
        elif slug not in unknown:
            unknown.append(slug)
    return chosen, unknown


def step_precaution_slugs(step):
    return {link.precaution.slug for link in step.point.precaution_links.all()}


def plan_routine(routine, without=(), unknown=()):
    """Number the steps the reader will do, list those left out and gather one warning per precaution."""
    avoided = {precaution.slug for precaution in without}
    steps, skipped = [], []
    for step in routine.steps.all():
        if step_precaution_slugs(step) & avoided:
            skipped.append(step)
        else:
            steps.append(step)
    for number, step in enumerate(steps, 1):
        step.number = number
    kept = "".join(f"&without={precaution.slug}" for precaution in without)
    warnings = {}
    for step in steps:
        for link in step.point.precaution_links.all():
            warning = warnings.setdefault(
                link.precaution.slug,
                RoutineWarning(link.precaution, without_url=f"?without={link.precaution.slug}{kept}"),
            )
            if step not in warning.steps:
                warning.steps.append(step)
    ordered = sorted(warnings.values(), key=lambda warning: (warning.precaution.order, warning.precaution.title))
    return RoutinePlan(steps=steps, skipped=skipped, without=list(without), unknown=list(unknown), warnings=ordered)


@dataclass(frozen=True)
class RoutineEntry:
    """What the home page, condition pages and search need of a published routine."""

    slug: str
    title: str
    summary: str
    url: str
    condition_slugs: frozenset
    text: str

    def matches(self, query):
        return bool(query) and query.casefold() in self.text


def routine_index():
    """Published routines, read once per content version: pages that only link to routines cost no query."""

    def build():
        return [
            RoutineEntry(
                slug=routine.slug,
                title=routine.title,
                summary=routine.summary,
                url=routine.get_absolute_url(),
                condition_slugs=frozenset(condition.slug for condition in routine.conditions.all()),
                text=normalize_newlines(" ".join((routine.title, routine.for_whom, routine.summary, routine.body)))
                .replace("\n", " ")
                .casefold(),
            )
            for routine in Routine.objects.published().prefetch_related("conditions")
        ]

    return content_cache.per_version("routine-index", build)


def routines_for_condition(slug):
    return [entry for entry in routine_index() if slug in entry.condition_slugs]
