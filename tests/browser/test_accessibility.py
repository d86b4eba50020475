"""axe-core (npm, served from node_modules) on every page type in every interface language:
no violation of the WCAG 2.1 A and AA rules. Each failure lists the rule, impact and elements."""

from __future__ import annotations

import pytest

from belong.i18n import LANGUAGES
from tests.browser.conftest import ROOT
from tests.browser.pages import NOT_PAGES, PAGES, PageCase

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                         resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


@pytest.fixture(scope="session")
def axe_script() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does).")
    return str(AXE)


def _report(case: PageCase, lang: str, violations: list[dict]) -> str:
    lines = [f"{case.name} ({lang}): {len(violations)} accessibility violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}")
        lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
def test_no_wcag_violations(case, lang, open_as, site, axe_script):
    # axe is injected as a script tag, which the app's CSP rightly forbids: bypass it here only.
    path = case.resolve(site)
    page = open_as(case.who, None, lang=lang, bypass_csp=True)
    response = page.goto(site.server(path))
    assert response.status == case.status, f"{case.name}: HTTP {response.status}"
    if case.act:
        case.act(page)
    # The document and the public consultation have their own language, the region's.
    if case.name not in ("preview", "consult", "consult-comment"):
        assert page.locator("html").get_attribute("lang") == lang
    assert page.title().strip(), f"{case.name}: the page has no title"
    page.add_script_tag(path=axe_script)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert not violations, _report(case, lang, violations)


def test_every_page_type_is_covered(live_server):
    """A new HTML page must join the list in pages.py (or say here why it is not a page)."""
    covered = {case.endpoint for case in PAGES}
    routes = {
        rule.endpoint
        for rule in live_server.app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
    }
    missing = sorted(routes - covered - set(NOT_PAGES))
    assert not missing, f"page types with no accessibility check: {missing}"
