"""Paging a long list: which page, how many, and the page links to show. Pure."""

from __future__ import annotations

PER_PAGE = 50


def pages_for(total: int, page: int, per_page: int = PER_PAGE) -> tuple[int, int]:
    """(the page, clamped to 1..pages; the number of pages, at least 1) for `total` rows."""
    pages = max(1, -(-total // per_page))
    return min(max(page, 1), pages), pages


class Paged:
    """What a page of a list knows about its place: mixed into the page dataclasses, which
    hold `page` and `pages`."""

    page: int
    pages: int

    @property
    def first_number(self) -> int:
        """The 1-based number of the page's first row in the whole list."""
        return (self.page - 1) * PER_PAGE + 1

    def nearby(self, width: int = 3) -> list[int | None]:
        """Page numbers for the page links: the first, the last and those within `width` of
        this one; None marks a gap."""
        wanted = {1, self.pages, *range(self.page - width, self.page + width + 1)}
        shown: list[int | None] = []
        for n in sorted(p for p in wanted if 1 <= p <= self.pages):
            if shown and shown[-1] is not None and n > shown[-1] + 1:
                shown.append(None)
            shown.append(n)
        return shown
