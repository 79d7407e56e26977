"""List columns several admins show. Each admin's get_queryset provides what they read."""

from django.contrib import admin


@admin.display(description="points", ordering="point_count")
def point_count(obj):
    """From a ``point_count`` annotation, so the list costs no query per row."""
    return obj.point_count


@admin.display(description="warnings")
def warnings(obj):
    """The badges of the precautions linked to the row (prefetched with their precaution)."""
    return ", ".join(link.precaution.badge for link in obj.precaution_links.all()) or "–"
