"""A page of point cards read id first: a point's columns are read only if its card is not cached."""

from functools import cached_property


class CardList:
    """The points ``queryset[start:stop]``, in order.

    ``{% point_cards %}`` asks for ``pks`` (one narrow query), takes the cards it has from the
    cache and reads ``points_for`` the rest; anything else that iterates the list gets every
    point, as from the sliced queryset itself."""

    def __init__(self, queryset, start, stop):
        self.queryset, self.start, self.stop = queryset, start, stop

    @classmethod
    def of_page(cls, page):
        """The cards of a Paginator page over a queryset."""
        start = page.start_index() - 1 if page.paginator.count else 0
        return cls(page.paginator.object_list, start, page.end_index() if page.paginator.count else 0)

    @cached_property
    def pks(self):
        if "points" in self.__dict__:
            return [point.pk for point in self.points]
        return list(self.queryset.values_list("pk", flat=True)[self.start : self.stop])

    def points_for(self, pks):
        """The points with these ids, in the list's order."""
        wanted = set(pks)
        if "points" in self.__dict__ or len(wanted) == len(self.pks):
            return [point for point in self.points if point.pk in wanted]
        found = {point.pk: point for point in self.queryset.filter(pk__in=wanted)}
        return [found[pk] for pk in self.pks if pk in found]

    @cached_property
    def points(self):
        return list(self.queryset[self.start : self.stop])

    def __iter__(self):
        return iter(self.points)

    def __len__(self):
        return len(self.pks)

    def __bool__(self):
        return bool(self.pks)
