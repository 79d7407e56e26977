from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window

PAGE_SIZE = 24
# The longest meridian (BL) has 67 points: one page for every standard meridian.
MERIDIAN_PAGE_SIZE = 70
LINKED_PAGE_SIZE = 50
MAX_PAGE = 1_000_000


def paginate(request, queryset, size=PAGE_SIZE, count=None):
    """A page of results; a bad page number gets page 1 or the last page and a note, never an error.
    ``count``: how many rows the queryset has, when already known (no count query)."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count
    raw = request.GET.get("page", "1")
    notice = ""
    try:
        page = paginator.page(raw)
    except PageNotAnInteger:
        page = paginator.page(1)
        notice = f"“{raw[:20]}” is not a page number, so here is the first page."
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        notice = f"There is no page {raw[:20]}; here is the last page."
    return page, notice


def page_context(request, queryset, size, name, count=None):
    """A page of ``queryset`` for a template: its rows under ``name``, the page, and any note about a bad number."""
    page, notice = paginate(request, queryset, size, count)
    return {name: page.object_list, "page_obj": page, "page_notice": notice}


def paginate_ids(request, queryset, size=PAGE_SIZE):
    """paginate() for a list whose size is not known in advance (a filtered list): the requested
    page's ids and how many rows there are in one query (COUNT(*) OVER ()), not a COUNT and then
    the page. Returns the page, its note and its ids."""
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    counted = queryset.annotate(list_size=Window(Count("pk"))).values_list("pk", "list_size")
    # A page number no list can reach is not asked of the database (an offset past 2**63 is an error there).
    rows = list(counted[(number - 1) * size : number * size]) if number <= MAX_PAGE else []
    # No rows: an empty list, or a page past its end (then a COUNT finds the last page).
    count = rows[0][1] if rows else (queryset.count() if number > 1 else 0)
    page, notice = paginate(request, queryset, size, count)
    if page.number != number:
        rows = list(counted[(page.number - 1) * size : page.number * size])
    return page, notice, [pk for pk, _size in rows]
