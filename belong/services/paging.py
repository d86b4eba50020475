"""The one rule for lists shown a page at a time."""

from __future__ import annotations


def page_bounds(page: int, total: int, per_page: int) -> tuple[int, int]:
    """(the page to show, the number of pages): there is always at least one page, and a
    page number out of range shows the nearest page there is."""
    pages = max(1, -(-total // per_page))
    return min(max(page, 1), pages), pages
