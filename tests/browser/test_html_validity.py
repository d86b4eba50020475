"""The HTML of every page type, as the server sent it, passes the W3C Nu HTML Checker
(vnu-jar from npm, run with the machine's Java)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.browser.conftest import ROOT
from tests.browser.pages import PAGES

pytestmark = pytest.mark.browser

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _served_html(page, case, url: str) -> str:
    """The last HTML document the server sent for this page (after the case's action)."""
    documents = []
    page.on(
        "response", lambda r: documents.append(r) if r.request.resource_type == "document" else None
    )
    page.goto(url)
    if case.act:
        case.act(page)
    return documents[-1].text()


def test_every_page_type_is_valid_html(open_as, site, tmp_path):
    java = shutil.which("java")
    if not VNU.is_file() or java is None:
        pytest.fail("the Nu HTML Checker needs `npm ci` and Java (default-jre-headless)")
    files = {}
    for case in PAGES:
        url = site.server(case.resolve(site))
        page = open_as(case.who, None)
        path = tmp_path / f"{case.name}.html"
        path.write_text(_served_html(page, case, url), encoding="utf-8")
        files[str(path)] = case.name
        page.context.close()
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f" line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "HTML errors:\n" + "\n".join(errors)
