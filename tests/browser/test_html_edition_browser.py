"""The document as a web page (issue 20, point 4), opened in real Chromium as the downloaded
file would be: axe-core finds no serious or critical WCAG 2.1 A/AA violation, nothing is
fetched from anywhere, and the page does not scroll sideways on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import COORDINATOR
from tests.browser.pages import V
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def edition(site) -> str:
    response = site.request_for(COORDINATOR).get(site.server(f"{V}/document.html"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "attachment" in response.headers["content-disposition"]
    return response.text()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_web_page_edition_meets_wcag_aa_and_fetches_nothing(browser, edition, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.set_content(edition, wait_until="load")
        assert requests == []  # styles inline, images as data: URLs, no fonts or scripts
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("main#main").count() == 1
        assert page.locator("a.skip-link[href='#main']").count() == 1
        assert page.locator("nav.toc").count() == 1
        assert page.locator("img.cover-logo").get_attribute("alt") == (
            "Logo of Regional Government of Valdoria, Department of Social Affairs"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, "\n".join(
            f"- {v['id']} [{v['impact']}]: {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in serious
        )
    finally:
        context.close()
