"""The intercultural region strategy document: the demo region's PDF holds every answer,
its chapters, charts and scores; nothing unanswered or unplaced is dropped."""

from __future__ import annotations

import html as html_lib
import io
import re
import shutil
from datetime import UTC, date, datetime

import pytest
import yaml
from flask import current_app
from flask_babel import format_date, format_decimal
from pypdf import PdfReader
from sqlalchemy import select

from belong import create_app
from belong.demo.seed import _demo_answers, load_demo
from belong.document.markdown import render_markdown
from belong.extensions import db
from belong.models import AssessmentSnapshot, Region, User
from belong.services import comments, documents, pdf_jobs, versions
from belong.services.progress import StepState, step_progress
from belong.services.review_copy import review_copy_pdf
from belong.templating.loader import load_template
from belong.templating.registry import get_template
from tests.conftest import _config, _empty_tables

TEMPLATE_ID = "intercultural-region"
CHAPTERS = [
    "Foreword",
    "Executive summary",
    "1 Introduction",
    "2 The intercultural approach",
    "3 How the strategy was developed",
    "4 Regional context and diagnosis",
    "5 Where we stand: the intercultural self-assessment",
    "6 Vision and strategic objectives",
    "7 Priority areas",
    "8 Cross-cutting themes",
    "9 Intercultural competence and capacity building",
    "10 Governance and multi-level coordination",
    "11 Action plan, timeline and budget",
    "12 Monitoring and evaluation",
    "Annex A Stakeholder register",
    "Annex B Public consultation and adoption",
    "Glossary",
]


def _squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing do not matter."""
    return re.sub(r"[\W_]+", "", html_lib.unescape(text)).casefold()


@pytest.fixture(scope="module")
def demo(migrated, templates_dir):
    """The demo loaded once, with an earlier baseline recorded, rendered once."""
    app = create_app(_config(migrated, templates_dir))
    with app.app_context():
        load_demo()
        region = db.session.scalar(select(Region).where(Region.slug == "valdoria"))
        db.session.add(
            AssessmentSnapshot(
                region_id=region.id,
                label="Baseline",
                taken_at=datetime(2024, 3, 1, tzinfo=UTC),
                scores={"overall": 30.0, "answered": 120, "total": 120, "areas": {"media": 0.0}},
            )
        )
        db.session.commit()
        template = get_template(TEMPLATE_ID)
        html = documents.draft_html(region, template)
        pdf = documents.document_pdf(template, html)
        reader = PdfReader(io.BytesIO(pdf))
        text = "\n".join(_body_text(page.extract_text()) for page in reader.pages)
        expected = _expected_texts(template.definition, _demo_answers()["answers"])
        editions = _version_editions(region)
        _empty_tables()  # release the database before the other tests use it
        db.engine.dispose()
    return {
        "html": html,
        "pdf": pdf,
        "reader": reader,
        "text": text,
        "expected": expected,
        **editions,
    }


def _version_editions(region) -> dict[str, bytes]:
    """The demo's latest submitted version, released (its reviewer approved it; it has open
    threads), and its review copy: the PDFs a reviewer and the government receive."""
    with current_app.test_request_context():
        version = versions.get_version(region, versions.latest_version(region).number)
        coordinator = db.session.scalar(
            select(User).where(User.email == "coordinator@belong.example")
        )
        still_open = len(versions.open_threads_of(version))
        versions.release(region, version, coordinator, open_threads_accepted=still_open)
        db.session.commit()
        pdf_jobs.release_job(version.id)  # what the runner does after the release
        db.session.refresh(version)
        review_copy = review_copy_pdf(region, version, comments.threads_of(version))
        return {
            "version_pdf": version.pdf,
            "released_pdf": version.released_pdf,
            "review_copy_pdf": review_copy,
        }


RUNNING = re.compile(
    r"Valdoria · Intercultural region strategy DRAFT, NOT ADOPTED\n.*Page \d+ of \d+\s*$"
)

MARKERS = re.compile(r"^\s*(?:•|\d{1,2}\.)\s*$", re.MULTILINE)


def _body_text(page_text: str) -> str:
    """A page's text without its running header and footer and the list markers the
    extraction puts apart, which would otherwise split text that runs on to the next page."""
    return MARKERS.sub("", RUNNING.sub("", page_text))


def _expected_texts(definition, data) -> list[tuple[str, str]]:
    """(where, text) for every demo answer, as a reader would see it in the document."""
    out: list[tuple[str, str]] = []

    def shown(item, value) -> str:
        kind = item.type
        if value in (None, ""):
            return ""
        if kind == "long_text":
            return re.sub(r"<[^>]+>", " ", str(render_markdown(value)))
        if kind == "number":
            return format_decimal(value)
        if kind == "date":
            return format_date(date.fromisoformat(value), "long")
        if kind == "single_choice":
            return next(o.label for o in item.options if o.value == value)
        return str(value)

    for step in definition.steps:
        for question in step.questions:
            value = data.get(step.id, {}).get(question.id)
            where = f"{step.id}.{question.id}"
            if question.type in ("table", "records"):  # the register's rows are records
                for n, row in enumerate(value or []):
                    for column in definition.columns_of(question):
                        cell = shown(column, row.get(column.id))
                        if cell:
                            out.append((f"{where}[{n}].{column.id}", cell))
            elif question.type == "scale":
                label = next(o.label for o in question.options if o.value == value["choice"])
                out.append((where, label))
                out.append((where + ".evidence", value["evidence"]))
            elif question.type == "multiple_choice":
                for choice in value:
                    out.append(
                        (where, next(o.label for o in question.options if o.value == choice))
                    )
            else:
                out.append((where, shown(question, value)))
    return out


def test_every_demo_answer_appears_in_the_pdf(demo):
    # a table written in an answer gets a numbered caption, set between its text and the table
    text = _squash(re.sub(r"^Table \d+\. .*$", "", demo["text"], flags=re.MULTILINE))
    missing = [where for where, expected in demo["expected"] if _squash(expected) not in text]
    assert not missing
    assert len(demo["expected"]) > 400  # the check covers table cells, not only long texts


def test_the_outline_lists_every_chapter_and_annex(demo):
    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(demo["reader"].outline))
    for chapter in CHAPTERS:
        assert any(title.endswith(chapter) for title in outline), chapter
    assert "7.1 Fair and accessible public services" in outline  # second level: sections
    top = [item.title for item in demo["reader"].outline if not isinstance(item, list)]
    assert "1 Introduction" in top and "7.1 Fair and accessible public services" not in top


def test_the_latest_version_its_release_and_review_copy_have_the_drafts_annexes(demo):
    """The chapters and annexes (the outline's first level); the fixture's draft has a
    baseline recorded after the version, so its sections may differ."""
    draft = [item.title for item in demo["reader"].outline if not isinstance(item, list)]
    assert "Annex C Consultation record" in draft and "Annex H Glossary" in draft
    assert "Annex E Traceability: from findings to indicators" in draft
    # Only the live draft opens with its status page.
    assert draft[0] == "Status of this draft"
    draft = draft[1:]
    for name in ("version_pdf", "released_pdf", "review_copy_pdf"):
        reader = PdfReader(io.BytesIO(demo[name]))
        assert [i.title for i in reader.outline if not isinstance(i, list)] == draft, name
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Annex C Consultation record" in " ".join(text.split()), name


def test_the_released_cover_claims_no_adoption(demo):
    """The demo's answers name an adopting body and a date; release is the reviewers'
    approval, and the cover says only that."""
    cover = " ".join(PdfReader(io.BytesIO(demo["released_pdf"])).pages[0].extract_text().split())
    assert "Adopted by" not in cover and "adopted by" not in cover
    assert "Released for adoption · Version 2" in cover
    assert "Not yet an adopted policy of the regional government." in cover
    assert re.search(r"Approved in review by Piotr Zielinski on \d{1,2} \w+ 20\d\d", cover)


def test_the_draft_opens_with_its_status_and_the_demo_passes_every_check(demo):
    status = " ".join(demo["reader"].pages[1].extract_text().split())
    assert status.startswith("Status of this draft")
    assert "10 of 10 steps completed (100 %)." in status
    assert "11 passed, 0 with a warning, 0 failed, of 11 checks. Every strategy check passes." in (
        status
    )
    assert "Open review threads" in status


def test_contents_page_gives_page_numbers(demo):
    # every check passes, so the draft's status keeps page 2 and the contents start page 3
    contents = demo["reader"].pages[2].extract_text()
    assert contents.startswith("Contents") or "\nContents\n" in contents
    match = re.search(r"Action plan, timeline and budget\s*(\d+)", contents)
    assert match
    page = int(match.group(1))
    assert "Action plan, timeline and budget" in demo["reader"].pages[page - 1].extract_text()


def test_pdf_declares_title_language_and_tagging_and_has_no_attachments(demo):
    reader = demo["reader"]
    assert reader.metadata.title == "Valdoria: Intercultural region strategy 2026-2030"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.attachments == {}
    assert 20 <= len(reader.pages) <= 80  # 120 self-assessment answers, full action cards


def test_cover_header_and_footer(demo):
    reader = demo["reader"]
    cover = reader.pages[0].extract_text()
    for expected in ("Valdoria", "Intercultural region strategy", "2026-2030"):
        assert expected in cover
    assert re.search(r"D\s?R\s?A\s?F\s?T", cover)  # the letter-spaced mark
    fifth = reader.pages[4].extract_text()
    assert f"Page 5 of {len(reader.pages)}" in fifth
    assert "Valdoria · Intercultural region strategy" in fifth
    assert "DRAFT, NOT ADOPTED" in fifth


def test_self_assessment_chart_scores_and_progress_are_in_the_pdf(app, demo):
    text = demo["text"]
    assert "Figure 1. Self-assessment score by policy area" in text
    assert "Overall score: 44 / 100" in text
    labels = [area.label for area in get_template(TEMPLATE_ID).definition.areas]
    for label in labels:
        # the chart (SVG text), the score table, the progress chart and table, the annex
        assert text.count(label) >= 4, label
    assert "Progress against the baseline" in text
    assert "Figure 2." in text
    assert re.search(r"Media and communication\s*0\s*21\s*\+21", text)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in demo["html"]
    assert "<script" not in demo["html"]


def test_action_plan_is_grouped_with_budget_totals_and_timeline(demo):
    text = demo["text"]
    assert "The plan has 11 actions with a total budget of EUR 11,880,000" in text
    assert "Figure 3. Timeline of the actions" in text
    squashed = _squash(text)
    for area, total in [
        ("Fair and accessible public services", "3,310,000"),  # with the training plan
        ("Work, skills and recognition", "3,750,000"),
        ("Schools and young people", "1,300,000"),
        ("Shared spaces and participation", "3,520,000"),
    ]:
        assert _squash(area + total) in squashed, area
    # The budget is complete: the costs beyond the actions (coordination, evaluation,
    # surveys, reporting) add to it, in the text and in every total.
    assert "add EUR 949,000, for a budget of EUR 12,829,000 in all." in " ".join(text.split())
    assert _squash("Total 4,629,495 8,004,505 195,000 12,829,000") in squashed  # by status
    # ESF+: 60% of 1,450,000 + 50% of 2,100,000, and the two evaluations (65,000 + 75,000)
    assert _squash("ESF+ 2,060,000") in squashed
    assert "A11" in text  # the action cards


def _draft(values) -> documents.Edition:
    """A draft of these answers, without a consultation record."""
    return documents.Edition(documents.Purpose.DRAFT, values, None)


def test_every_question_has_a_place_and_unanswered_ones_are_marked(app, make):
    region = make.region("empty", template_id=TEMPLATE_ID)
    template = get_template(TEMPLATE_ID)
    html = documents.document_html(region, template, _draft({}))
    for step in template.definition.steps:
        for question in step.questions:
            # a question that applies only once another is answered is left out of the draft
            applies = step.scope.condition(question) is None
            assert (f'id="{step.id}--{question.id}"' in html) is applies, question.id
    # An empty draft collapses: each part is one line naming the step where it is filled in
    # (by its title, never its number), and every step is named somewhere.
    collapsed = re.findall(r'<p class="unanswered part-empty">(.*?)</p>', html, re.S)
    assert len(collapsed) >= 14
    assert all("Not yet written. This part is filled in at the step" in c for c in collapsed)
    for step in template.definition.steps:
        assert any(f"“{html_lib.escape(step.title, quote=False)}”" in c for c in collapsed), step.id
    assert not re.search(r"\bsteps?\s+\d", html, re.IGNORECASE)
    assert "0/100" not in html and "<small>/100</small>" not in html
    assert "Not yet assessed" in html
    assert "This summary is assembled from the vision and the objectives" in html
    assert "Annex G" not in html  # no fallback annex when every question is placed


def test_a_question_the_layout_does_not_place_still_appears(app, make, tmp_path):
    folder = tmp_path / TEMPLATE_ID
    shutil.copytree(get_template(TEMPLATE_ID).folder, folder)
    data = yaml.safe_load((folder / "template.yaml").read_text(encoding="utf-8"))
    data["steps"][0]["questions"].append(
        {"id": "extra_note", "type": "long_text", "label": "A question added later", "hint": "x"}
    )
    (folder / "template.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    template = load_template(folder)
    region = make.region("later", template_id=TEMPLATE_ID)
    html = documents.document_html(
        region, template, _draft({("mandate", "extra_note"): "Written *after* the layout."})
    )
    assert "Further answers" in html
    assert 'id="mandate--extra_note"' in html
    assert "Written <em>after</em> the layout." in html


def test_each_step_completes_only_when_its_required_questions_are_answered(app):
    definition = get_template(TEMPLATE_ID).definition
    data = _demo_answers()["answers"]
    for step in definition.steps:
        full = {q.id: data[step.id].get(q.id) for q in step.questions}
        assert step_progress(step, full).state is StepState.COMPLETED, step.id
        required = [q for q in step.questions if q.required]
        assert required, step.id
        for question in required:
            result = step_progress(step, {**full, question.id: None})
            assert result.state is StepState.IN_PROGRESS
            assert result.missing_required == (question.id,)


def test_the_template_teaches_each_step_and_scores_every_area(app):
    definition = get_template(TEMPLATE_ID).definition
    assert len(definition.steps) == 10
    for step in definition.steps:
        for heading in (
            "What this step is for",
            "What good looks like",
            "Example",
            "Who to involve",
        ):
            assert f"### {heading}" in step.guidance, (step.id, heading)
        assert step.prompts, step.id
        assert all(q.hint for q in step.questions), step.id
    scored = [q for s in definition.steps for q in s.questions if q.type == "scale"]
    assert all(q.area and q.evidence for q in scored)
    assert {q.area for q in scored} == {a.id for a in definition.areas}
    assert len(definition.areas) == 17
    principles = definition.record_kind("action").field("principles").options
    assert [o.value for o in principles] == [
        "real_equality",
        "diversity_advantage",
        "interaction",
        "participation",
    ]


def test_the_document_speaks_in_chapters_and_annexes_never_in_steps(demo):
    """The application's step numbers mean nothing to a reader of the strategy."""
    text = " ".join(demo["text"].split())
    assert not re.search(r"\bsteps?\s+\d", text, re.IGNORECASE)
    assert "Input by step" not in text
    assert "Stakeholder mapping and participation plan (Chapter 3)" in text
    assert "Governance, monitoring and evaluation (Chapters 10 and 12)" in text
    assert "See Annex B." in text


def test_every_table_and_figure_is_numbered_in_order(demo):
    """Numbers are given as the document is assembled: none skips, every table has one."""
    text = demo["text"]
    # each number twice: in the list of figures and tables at the front, then in its caption
    count = demo["html"].count("<table")
    assert count > 40
    tables = [int(n) for n in re.findall(r"^Table (\d+)\. \S", text, re.MULTILINE)]
    assert tables == [*range(1, count + 1), *range(1, count + 1)]
    figures = [int(n) for n in re.findall(r"^Figure (\d+)\. \S", text, re.MULTILINE)]
    assert figures == [1, 2, 3, 1, 2, 3]
    squashed = " ".join(text.split())
    scores = re.search(r"Table (\d+)\. Self-assessment scores", squashed).group(1)
    assert f"(0 to 100). Table {scores} gives the same figures." in squashed
    plan = re.search(r"Table (\d+)\. Actions by priority area", squashed).group(1)
    assert f"are in Table {plan} and in the action cards (Annex D)" in squashed


def test_every_chart_states_its_data_in_its_text_alternative(demo):
    descriptions = re.findall(r"<desc>(.*?)</desc>", demo["html"])
    assert len(descriptions) == 3
    scores, progress, timeline = descriptions
    assert "Commitment 67" in scores or re.search(r"Commitment \d+;", scores)
    assert re.search(
        r"Media and communication: Baseline \(.*?\) [\d–]+, Current answers \d+", progress
    )
    assert re.search(r"A1 .*?: \d{1,2} \w{3} 20\d\d to \d{1,2} \w{3} 20\d\d;", timeline)


def test_valdoria_plans_its_adoption_and_no_document_claims_one(demo):
    """The demo's consultation step plans the path (procedure, bodies, dates); nothing is
    recorded, so neither the draft nor the released version says it was adopted."""
    draft = " ".join(demo["text"].split())
    assert "Planned date of adoption 16 March 2027" in draft
    assert "Regional Council for Coexistence Gives an opinion 28 January 2027" in draft
    pages = PdfReader(io.BytesIO(demo["released_pdf"])).pages
    released = " ".join(" ".join(p.extract_text() for p in pages).split())
    for text in (draft, released):
        assert "No adoption has been recorded for this document." in text
        assert "was adopted by" not in text and "Adopted by" not in text


def test_every_demo_record_appears_in_the_pdf(demo):
    text = _squash(demo["text"])
    from belong.demo.records import valdoria_records

    made = valdoria_records(_demo_answers()["plan_tables"])
    titles = [
        r["values"].get("title") or r["values"].get("statement") or r["values"]["name"]
        for r in made
    ]
    assert len(titles) > 50
    assert [t for t in titles if _squash(t) not in text] == []
