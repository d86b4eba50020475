"""The strategy as a Word document: the demo's Valdoria draft read back with python-docx
(headings, the action plan table, charts with alternative text, the DRAFT marking, the
language), converted once by LibreOffice to check it opens cleanly, and the downloads: who
may have them, the cache, the command line."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import func, select

from belong import create_app
from belong.demo import seed, texts
from belong.demo.contributions import load_demo_contributions
from belong.demo.records import load_records, valdoria_records
from belong.document import word
from belong.extensions import db
from belong.models import AuditEvent, Region, Role
from belong.models.rendered_pdf import RenderedPdf
from belong.services import answers, documents, pdf_cache, versions, word_documents
from belong.services import regions as region_service
from belong.services.layout_check import full_values
from belong.templating.registry import get_template
from tests.conftest import _config, _empty_tables

ACTION_PLAN_HEADING = [
    "No.", "Action", "Specific objectives served", "Lead", "Partners", "Period", "Budget (EUR)",
]  # fmt: skip
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def valdoria(migrated, templates_dir) -> dict:
    """The demo's Valdoria (its answers and stakeholder input) as a draft DOCX, and the DOCX
    of a version submitted from it, made once."""
    app = create_app(_config(migrated, templates_dir))
    with app.app_context(), app.test_request_context():
        regions = {
            slug: region_service.create_region(
                name, slug, seed.TEMPLATE_ID, country=country, period=period
            )
            for slug, name, country, period, _author in seed.REGIONS
        }
        people = seed._people(regions)
        data = texts.load("valdoria")
        coordinator = people["coordinator@belong.example"]
        seed._answers(regions["valdoria"], data["answers"], coordinator)
        load_records(regions["valdoria"], data["plan_tables"], coordinator)
        load_demo_contributions()
        db.session.commit()
        region = regions["valdoria"]
        draft = word_documents.draft_docx(region, get_template(seed.TEMPLATE_ID))
        version = versions.submit(region, coordinator, "For the legal service")
        db.session.commit()
        key, html = word_documents.version_source(region, version)
        version_docx, _seconds = word_documents.made(region, key, html)
        _empty_tables()
        db.engine.dispose()
    made = valdoria_records(data["plan_tables"])
    actions = [r["values"]["title"] for r in made if r["kind"] == "action"]
    return {"draft": draft, "version": version_docx, "answers": data["answers"], "actions": actions}


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_chapters_and_annexes_are_word_headings(valdoria):
    document = _read(valdoria["draft"])
    level_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(level_1) >= 10
    for chapter in (
        "Foreword",
        "Executive summary",
        "1 Introduction",
        "11 Action plan, timeline and budget",
        "12 Monitoring and evaluation",
        "Annex A Stakeholder register",
        "Annex C Consultation record",
        "Annex E Traceability: from findings to indicators",
        "Annex H Glossary",
    ):
        assert chapter in level_1
    level_2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "1.1 Mandate and time frame" in level_2 and "11.1 Actions by priority area" in level_2
    # The chapter numbers are a named character style a legal service can restyle.
    first = next(p for p in document.paragraphs if p.text == "1 Introduction")
    assert first.runs[0].text == "1" and first.runs[0].style.name == "Heading Number"
    # The contents is a field Word fills from the headings (and shows the chapters until then).
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    contents = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert "11\tAction plan, timeline and budget" in contents


def test_the_action_plan_is_a_table_whose_heading_row_repeats(valdoria):
    document = _read(valdoria["draft"])
    headings = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    plan = document.tables[headings.index(ACTION_PLAN_HEADING)]
    heading_row = plan.rows[0]._tr
    assert heading_row.trPr is not None and heading_row.trPr.find(qn("w:tblHeader")) is not None
    assert plan.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    cells = {cell.text for row in plan.rows for cell in row.cells}
    assert set(valdoria["actions"]) <= cells
    assert plan.style.name == "Strategy Table"
    # The wide chapters are landscape pages, the others portrait.
    widths = {section.orientation.name for section in document.sections}
    assert widths == {"PORTRAIT", "LANDSCAPE"}


def test_charts_are_pictures_with_alternative_text(valdoria):
    document = _read(valdoria["draft"])
    described = [
        shape._inline.docPr.get("descr")
        for shape in document.inline_shapes
        if shape.type == WD_INLINE_SHAPE.PICTURE
    ]
    # Each chart's alternative text states its data (or says which table does).
    assert any(d.startswith("Self-assessment score by policy area, 0 to 100") for d in described)
    assert any(d.startswith("Timeline of the actions") for d in described)
    assert all(described)
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].content_type == "image/png"


def test_the_draft_is_marked_and_written_in_the_region_language(valdoria):
    document = _read(valdoria["draft"])
    header = document.sections[0].header.paragraphs[0]
    assert header.text == "Valdoria · Intercultural region strategy\tDraft, not adopted"
    assert header.runs[-1].style.name == "Draft Mark" and header.runs[-1].style.font.all_caps
    assert document.sections[0].different_first_page_header_footer  # not on the cover
    cover = [p for p in document.paragraphs[:4] if p.style.name == "Draft Marking"]
    assert [p.text for p in cover] == ["Draft"]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.title == "Valdoria: Intercultural region strategy 2026-2030"
    used = {p.style.name for p in document.paragraphs}
    assert {"Lead Paragraph", "Note", "Caption", "Title", "Quote"} <= used


def test_a_version_is_its_frozen_draft(valdoria):
    version, draft = _read(valdoria["version"]), _read(valdoria["draft"])
    assert "Version 1" in _text(version)
    draft_headings = [p.text for p in draft.paragraphs if p.style.name == "Heading 1"]
    assert draft_headings[0] == "Status of this draft"  # for the team, never in a version
    assert [p.text for p in version.paragraphs if p.style.name == "Heading 1"] == (
        draft_headings[1:]
    )


@pytest.fixture(scope="module")
def round_trip(valdoria, tmp_path_factory) -> bytes:
    """The draft converted to PDF by LibreOffice, once (it is slow)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: bin/check-system test installs it"
    folder = tmp_path_factory.mktemp("libreoffice")
    source = folder / "valdoria.docx"
    source.write_bytes(valdoria["draft"])
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (folder / "valdoria.pdf").read_bytes()


def test_libreoffice_opens_it_cleanly(round_trip):
    reader = PdfReader(io.BytesIO(round_trip))
    assert 25 <= len(reader.pages) <= 80
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Intercultural region strategy" in pages[0] and "Draft" in pages[0]
    assert "Status of this draft" in pages[1]  # the draft opens with its status
    contents = next(page for page in pages if page.startswith("Contents") or " Contents " in page)
    assert "Action plan, timeline and budget" in contents
    text = "\n".join(pages)
    for chapter in ("1 Introduction", "11 Action plan, timeline and budget", "Annex H Glossary"):
        assert chapter in text
    assert "Regional interpreting and mediation network in health and social care" in text
    assert re.search(r"draft, not adopted", pages[2], re.IGNORECASE)
    assert f"Page 3 of {len(reader.pages)}" in pages[2]


def test_any_layout_html_becomes_word_paragraphs_lists_tables_and_links():
    """What answers may hold (Markdown's HTML) and what a template's layout may write."""
    html = (
        '<html lang="pl"><head><title>Plan</title></head><body>'
        "<section class='chapter'><h2>Rozdział</h2><p>Text\ufffe with <strong>bold</strong>,"
        ' <a href="https://example.org/plan">a link</a> and <em>more</em>.</p>'
        "<ol><li>first</li><li>second<ul><li>inner</li></ul></li></ol>"
        "<ol><li>again one</li></ol>"
        "<table><caption>Figures</caption><thead><tr><th>Area</th><th>Value</th></tr></thead>"
        "<tbody><tr><td><h3>In a cell</h3><p>one</p><p>two</p></td><td class='n'>12</td></tr>"
        "<tr><td colspan='2'>both columns</td></tr></tbody></table>"
        "<pre>line one\nline two</pre></section></body></html>"
    )
    document = _read(word.html_to_docx(html))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Rozdział") in paragraphs  # the layout's chapters were h2
    assert ("Normal", "Text with bold, a link and more.") in paragraphs
    assert ("List Number", "first") in paragraphs and ("List Bullet 2", "inner") in paragraphs
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    first_list, second_list = (p._p.pPr.numPr.numId.val for p in (numbered[0], numbered[2]))
    assert first_list != second_list  # the second list starts again at 1
    assert ("Caption", "Figures") in paragraphs
    assert ("Preformatted Text", "line one\nline two") in paragraphs
    link = document.paragraphs[1].hyperlinks[0]
    assert link.text == "a link" and link.address == "https://example.org/plan"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Area", "Value"]
    assert [p.text for p in table.rows[1].cells[0].paragraphs] == ["In a cell", "one", "two"]
    assert table.rows[1].cells[1].paragraphs[0].style.name == "Table Figure"
    assert table.rows[2].cells[0].text == "both columns" and len(table.rows[2].cells) == 2
    assert document.core_properties.language == "pl-PL"


def test_every_question_type_answered_makes_a_word_document(app):
    """The sample template's layout with every question of every type answered."""
    template = get_template("sample")
    region = Region(name="Sample", slug="sample", template_id="sample", language="de")
    edition = documents.Edition(
        documents.Purpose.DRAFT, full_values(template.definition), None, history=()
    )
    html = documents.document_html(region, template, edition)
    document = _read(word.html_to_docx(html))
    text = _text(document)
    translated = template.in_language("de").definition
    shown = [q for step in translated.steps for q in step.questions if q.label in html]
    assert len(shown) >= 8  # hidden questions (their condition unmet) are in neither
    for step in translated.steps:
        assert step.title in [p.text.split(" ", 1)[-1] for p in document.paragraphs]
    for question in shown:
        assert question.label in text
    assert document.core_properties.language == "de-DE"
    assert document.sections[0].header.paragraphs[0].text.endswith("\tEntwurf")


# The downloads


def test_the_draft_downloads_as_docx_and_is_kept_in_the_cache(client, make, as_user, monkeypatch):
    made: list[str] = []
    real = word_documents.html_to_docx

    def spy(html):
        made.append(html)
        return real(html)

    monkeypatch.setattr(word_documents, "html_to_docx", spy)
    region = make.region("alpha", name="Alpha")
    user = as_user(Role.CONTRIBUTOR, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", user)
    db.session.commit()

    home = client.get("/r/alpha/").get_data(as_text=True)
    assert 'href="/r/alpha/document.docx"' in home
    first = client.get("/r/alpha/document.docx")
    assert first.status_code == 200 and first.mimetype == DOCX_TYPE
    assert 'filename="Alpha-draft-strategy.docx"' in first.headers["Content-Disposition"]
    assert "Department of Welcome" in _text(_read(first.data))
    second = client.get("/r/alpha/document.docx")
    assert second.data == first.data and len(made) == 1, "an unchanged draft was made again"
    downloads = select(func.count()).where(AuditEvent.action == "docx_downloaded")
    assert db.session.scalar(downloads) == 2

    answers.set_answer(region, "basics", "lead", "Department of Belonging", user)
    db.session.commit()
    third = client.get("/r/alpha/document.docx")
    assert len(made) == 2
    assert "Department of Belonging" in _text(_read(third.data))


def test_a_docx_does_not_push_the_pdfs_out_of_the_cache(app, make):
    region = make.region("alpha")
    for n in range(pdf_cache.KEEP_PER_REGION):
        pdf_cache.store(region, f"{n:064x}", b"%PDF", 0.1)
    for n in range(10, 15):
        pdf_cache.store(region, f"{n:064x}", b"PK docx", 0.1, pdf_cache.DOCX)
    db.session.commit()
    kinds = db.session.execute(
        select(RenderedPdf.kind, func.count()).group_by(RenderedPdf.kind).order_by(RenderedPdf.kind)
    ).all()
    assert [tuple(row) for row in kinds] == [("docx", 3), ("pdf", 3)]


def test_a_version_downloads_as_it_was_submitted(client, make, as_user, app):
    region = make.region("alpha", name="Alpha")
    user = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Submitted text", user)
    with app.test_request_context():
        versions.submit(region, user, "First")
    db.session.commit()
    answers.set_answer(region, "basics", "lead", "Later text", user)
    db.session.commit()

    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert 'href="/r/alpha/versions/1.docx"' in page
    response = client.get("/r/alpha/versions/1.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert 'filename="Alpha-v1-draft.docx"' in response.headers["Content-Disposition"]
    text = _text(_read(response.data))
    assert "Submitted text" in text and "Later text" not in text and "Version 1" in text
    assert client.get("/r/alpha/versions/2.docx").status_code == 404


def test_a_released_version_downloads_without_the_draft_marking(client, make, as_user, app):
    region = make.region("alpha", name="Alpha")
    coordinator = as_user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    answers.set_answer(region, "basics", "lead", "Released text", coordinator)
    with app.test_request_context():
        version = versions.submit(region, coordinator, "First")
    db.session.commit()
    assert client.get("/r/alpha/versions/1/released.docx").status_code == 404  # not yet
    with app.test_request_context():
        versions.give_verdict(region, version, reviewer, True, "Ready.")
        versions.release(region, version, coordinator)
    db.session.commit()

    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert 'href="/r/alpha/versions/1/released.docx"' in page
    response = client.get("/r/alpha/versions/1/released.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert 'filename="Alpha-v1-strategy.docx"' in response.headers["Content-Disposition"]
    released = _read(response.data)
    text = _text(released)
    assert "Released text" in text and "Released for adoption · Version 1" in text
    assert f"Approved in review by {reviewer.name}" in text
    assert "Draft" not in [p.text for p in released.paragraphs]
    assert "\t" not in released.sections[0].header.paragraphs[0].text  # no marking beside it
    draft_marked = _read(client.get("/r/alpha/versions/1.docx").data)
    assert draft_marked.sections[0].header.paragraphs[0].text.endswith("\tDraft")


def test_another_region_gets_not_found(client, make, as_user):
    make.region("alpha")
    beta = make.region("beta")
    as_user(Role.COORDINATOR, beta)
    assert client.get("/r/alpha/document.docx").status_code == 404
    assert client.get("/r/alpha/versions/1.docx").status_code == 404
    assert client.get("/r/alpha/versions/1/released.docx").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, make):
    make.region("alpha")
    response = client.get("/r/alpha/document.docx")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_command_writes_the_draft(runner, make, tmp_path):
    region = make.region("alpha", name="Alpha")
    user = make.user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Written by the command", user)
    db.session.commit()
    target = tmp_path / "alpha.docx"
    result = runner.invoke(args=["export-docx", "alpha", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    assert "Written by the command" in _text(_read(target.read_bytes()))
    kept = select(func.count()).where(RenderedPdf.kind == "docx")
    assert db.session.scalar(kept) == 1  # the next download comes from the cache

    missing = runner.invoke(args=["export-docx", "nowhere", "-o", str(tmp_path / "x.docx")])
    assert missing.exit_code == 1 and "no region with the short name 'nowhere'" in missing.output
    assert not Path(tmp_path / "x.docx").exists()
