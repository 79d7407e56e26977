"""A page of point cards read id first: a point's columns are read only if its card is not cached."""

from functools import cached_property


class CardList:
    """Points of ``queryset`` for cards, in order: ``queryset[start:stop]``, or the ones with
    the ids given (``of_ids``).

    ``{% point_cards %}`` asks for ``pks`` (one narrow query, or none when the ids are known),
    takes the cards it has from the cache and reads ``points_for`` the rest; anything else that
    iterates the list gets every point."""

    def __init__(self, queryset, start=0, stop=None, pks=None):
        self.queryset, self.start, self.stop = queryset, start, stop
        if pks is not None:
            self.pks = list(pks)

    @classmethod
    def of_page(cls, page):
        """The cards of a Paginator page over a queryset."""
        if not page.paginator.count:
            return cls(page.paginator.object_list, pks=[])
        return cls(page.paginator.object_list, page.start_index() - 1, page.end_index())

    @classmethod
    def of_ids(cls, queryset, pks):
        """The points of ``queryset`` with these ids, in this order."""
        return cls(queryset, pks=pks)

    @cached_property
    def pks(self):
        if "points" in self.__dict__:
            return [point.pk for point in self.points]
        return list(self.queryset.values_list("pk", flat=True)[self.start : self.stop])

    def points_for(self, pks):
        """The points with these ids, in the list's order."""
        wanted = set(pks)
        if "points" in self.__dict__:
            return [point for point in self.points if point.pk in wanted]
        found = {point.pk: point for point in self.queryset.filter(pk__in=wanted)} if wanted else {}
        return [found[pk] for pk in self.pks if pk in found]

    @cached_property
    def points(self):
        if "pks" in self.__dict__:
            return self.points_for(self.pks)
        return list(self.queryset[self.start : self.stop])

    def __iter__(self):
        return iter(self.points)

    def __len__(self):
        return len(self.pks)

    def __bool__(self):
        return bool(self.pks)
