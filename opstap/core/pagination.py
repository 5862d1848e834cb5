"""A page of a list and the size of the list, read in one statement."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window

SIZE = "_list_size"


class SizedPaginator(Paginator):
    """A paginator of a queryset whose page brings the list's size along (`COUNT(*) OVER ()`).

    A head paging through the team's 1,037 dossiers, sorted by name, had them read twice: once
    to count them, once to sort them and take the page's 25. With the count as a window over
    the same rows, one read gives both. Only a whole number from 1 up is read that way; a page
    past the end (no row to carry the count) and a number under 1 are answered as
    `Paginator.get_page` answers them: counted, then the last page. What is not a whole number
    is the first page, as there.
    """

    def get_page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError(number)
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # as Paginator.get_page: what is not a whole number is the first page
        if wanted < 1:
            return super().get_page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(
            self.object_list.annotate(**{SIZE: Window(Count("*"))})[bottom : bottom + self.per_page]
        )
        if not rows:
            return super().get_page(number)
        self.count = getattr(rows[0], SIZE)  # Paginator.count is a cached property
        return self._get_page(rows, wanted, self)
