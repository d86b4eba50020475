"""The main pages at desktop and phone widths: screenshots for a person to review (written to
tests/artifacts/screenshots, not committed), and no sideways scrolling at 320 px (WCAG 1.4.10)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.browser.pages import PAGES

pytestmark = pytest.mark.browser

SHOTS = [case for case in PAGES if "screenshot" in case.tags]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("case", SHOTS, ids=[c.name for c in SHOTS])
def test_main_pages_fit_the_screen(case, width, open_as, site):
    path = case.resolve(site)
    page = open_as(case.who, None, viewport=WIDTHS[width])
    page.goto(site.server(path))
    if case.act:
        case.act(page)
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{case.name}-{width}.png"), full_page=True)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(el => !el.closest(".table-scroll")
                && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(el => el.tagName + "." + el.className)"""
    )
    width_used = page.evaluate("document.documentElement.scrollWidth")
    viewport = WIDTHS[width]["width"]
    assert width_used <= viewport, f"{case.name} scrolls sideways at {viewport}px: {overflow}"
