"""PDF/UA-1 met, not only declared: the structure tree of the demo's draft, a submitted
version and the review copy, read with pikepdf as an accessibility checker would.
belong/document/pdf_ua.py writes what WeasyPrint leaves out; these are its properties."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from flask import current_app
from sqlalchemy import select

from belong import create_app
from belong.demo.seed import load_demo
from belong.document.render import render_pdf_in
from belong.extensions import db
from belong.models import Region
from belong.services import comments, documents, versions
from belong.services.review_copy import review_copy_pdf
from belong.templating.registry import get_template
from tests.conftest import _config, _empty_tables

ROOT = Path(__file__).resolve().parent.parent
TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}


@pytest.fixture(scope="module")
def pdfs(migrated, templates_dir) -> dict[str, bytes]:
    """The demo's draft, its latest version (rendered when the demo loaded) and that
    version's review copy (with the demo's review threads)."""
    app = create_app(_config(migrated, templates_dir))
    with app.app_context():
        load_demo()
        region = db.session.scalar(select(Region).where(Region.slug == "valdoria"))
        template = get_template("intercultural-region")
        draft = documents.document_pdf(template, documents.draft_html(region, template))
        with current_app.test_request_context():
            version = versions.get_version(region, versions.latest_version(region).number)
            review = review_copy_pdf(region, version, comments.threads_of(version))
            stored = version.pdf
        _empty_tables()
        db.engine.dispose()
    return {"draft": draft, "version": stored, "review copy": review}


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf):
    """(element, parent's role) for every structure element, in order."""

    def walk(node, parent):
        yield node, parent
        for kid in _kids(node):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, str(node.S))

    for top in _kids(pdf.Root.StructTreeRoot):
        yield from walk(top, "")


def _marks(node) -> bool:
    """The element marks page content or holds an annotation, itself or below."""
    for kid in _kids(node):
        if isinstance(kid, int):
            return True
        if isinstance(kid, pikepdf.Dictionary) and (
            kid.get("/Type") in ("/MCR", "/OBJR") or ("/S" in kid and _marks(kid))
        ):
            return True
    return False


def _content_ids(element) -> set[tuple[tuple[int, int], int]]:
    """(page, content id) of what an element marks itself: its own page's ids, and those of
    other pages through marked-content references (a part joined across a page break)."""
    ids = set()
    for kid in _kids(element):
        if isinstance(kid, int):
            ids.add((element.Pg.objgen, kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            ids.add((kid.Pg.objgen, int(kid.MCID)))
    return ids


def _links(pdf: pikepdf.Pdf) -> list:
    return [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Link"]


@pytest.mark.parametrize("name", ["draft", "version", "review copy"])
def test_the_structure_tree_states_what_the_html_says(pdfs, name):
    pdf = pikepdf.open(io.BytesIO(pdfs[name]))
    elements = list(_elements(pdf))
    roles = [str(e.S) for e, _ in elements]

    # Every header cell says what it heads (45 tables, 212 header cells in the demo).
    headers = [e for e, _ in elements if e.S == "/TH"]
    assert roles.count("/Table") > 40 and len(headers) > 200
    scopes = {str(h.A.get("/Scope")) for h in headers}
    assert scopes == {"/Column", "/Row"}, scopes

    # The contents are a TOC of TOCI, one link per entry, described by its text.
    entries = [e for e, _ in elements if e.S == "/TOCI"]
    assert roles.count("/TOC") == 3 and len(entries) >= 20
    assert "/L" not in {parent for e, parent in elements if e.S == "/TOCI"}
    internal = [a for a in _links(pdf) if "/Dest" in a]
    # One link per contents entry, then the cross-references in the text ("Table 3").
    assert len(internal) >= len(entries)
    texts = [str(a.Contents) for a in internal]
    assert texts[:3] == ["Foreword", "Executive summary", "1 Introduction"]
    assert "12 Monitoring and evaluation" in texts and "A Stakeholder register" in texts
    assert not any(re.fullmatch(r"[a-z0-9_-]+", t) for t in texts)  # no anchor ids

    # A link is one element: never a link inside a link.
    assert not [e for e, parent in elements if e.S == "/Link" and parent == "/Link"]

    # A chapter cut by page breaks is one Sect again (WeasyPrint makes a tree per page).
    sections = [e for e in _kids(pdf.Root.StructTreeRoot.K[0]) if e.S == "/Sect"]
    assert len(sections) < len(pdf.pages) * 2 / 3

    # No empty structure element (a table's empty cell keeps its place).
    empty = [str(e.S) for e, _ in elements if str(e.S) not in TABLE_PARTS and not _marks(e)]
    assert empty == []

    # Charts: the caption inside its Figure, the alt text stating the scores.
    figures = [e for e, _ in elements if e.S == "/Figure"]
    # The region's logo (cover, back cover) and EU emblem (imprint): images named by their
    # alt text, with no caption of their own.
    images = [f for f in figures if str(f.get("/Alt", "")).startswith(LOGO_ALTS)]
    assert len(images) == 3, [str(f.get("/Alt", "")) for f in figures]
    figures = [f for f in figures if f not in images]
    assert len(figures) >= 2
    for figure in figures:
        assert any(getattr(k, "S", None) == "/Caption" for k in _kids(figure))
    scores = str(figures[0].Alt)
    assert scores.startswith("Self-assessment score by policy area")
    assert len(re.findall(r"\b\d+\b", scores)) >= 14  # one figure per policy area
    timeline = str(figures[-1].Alt)
    assert timeline.startswith("Timeline of the actions")
    assert re.search(r"A1\b.*\b20\d\d\b", timeline)  # each action with its dates


LOGO_ALTS = ("Logo of Regional Government of Valdoria", "Emblem of the European Union")


@pytest.mark.parametrize("name", ["draft", "review copy"])
def test_the_parent_tree_still_leads_to_every_element(pdfs, name):
    """After the links were merged, every marked-content id and every annotation is found
    from the parent tree at the element that holds it (what readers follow)."""
    pdf = pikepdf.open(io.BytesIO(pdfs[name]))
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(pdf.pages):
        for mcid, element in enumerate(entries[number]):
            if isinstance(element, pikepdf.Dictionary):
                assert (page.objgen, mcid) in _content_ids(element)
    for annotation in _links(pdf):
        element = entries[int(annotation.StructParent)]
        objrs = [k for k in _kids(element) if isinstance(k, pikepdf.Dictionary)]
        assert element.S == "/Link"
        assert any(k.get("/Obj") == annotation for k in objrs)


def test_scope_headers_and_language_come_from_the_html():
    """A row group's header heads the cells of its group (not those of the next group);
    lang= becomes /Lang; a link is described by its text."""
    html = """<!doctype html><html lang="en"><head><title>t</title></head><body>
    <table><thead><tr><th scope="col">Action</th><th scope="col">Budget</th></tr></thead>
    <tbody><tr><th scope="rowgroup" colspan="2">Work</th></tr>
    <tr><th scope="row">A1</th><td>10</td></tr></tbody>
    <tbody><tr><th scope="rowgroup" colspan="2">Schools</th></tr>
    <tr><th scope="row">A2</th><td>20</td></tr></tbody></table>
    <p id="top">Motto: <span lang="de">Vielfalt gemeinsam gestalten</span>.</p>
    <p><a href="#top">Back <span>to the</span> top</a></p></body></html>"""
    folder = ROOT / "strategy_templates" / "intercultural-region"
    pdf = pikepdf.open(io.BytesIO(render_pdf_in(folder, html)))
    elements = [e for e, _ in _elements(pdf)]
    headers = [e for e in elements if e.S == "/TH"]
    scopes = [str(h.A.Scope) for h in headers]
    assert scopes == ["/Column", "/Column", "/Row", "/Row", "/Row", "/Row"]
    _action, budget, work, a1, schools, a2 = (str(h.ID) for h in headers)
    first, second = ({str(h) for h in e.A.Headers} for e in elements if e.S == "/TD")
    assert first == {budget, work, a1} and second == {budget, schools, a2}
    assert [str(e.Lang) for e in elements if "/Lang" in e] == ["de"]
    (link,) = _links(pdf)
    assert str(link.Contents) == "Back to the top"
