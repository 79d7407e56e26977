from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

PAGE_SIZE = 24
# The longest meridian (BL) has 67 points: one page for every standard meridian.
MERIDIAN_PAGE_SIZE = 70
LINKED_PAGE_SIZE = 50


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
