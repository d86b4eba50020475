"""The review copy: a version's document, assembled like every other (same chapters and
annexes), with the review threads as numbered notes after the sections they concern."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from belong.document import placement
from belong.document.fetcher import ASSET_ORIGIN
from belong.document.markdown import render_markdown
from belong.document.render import STATIC
from belong.formatting import format_moment
from belong.models import CommentThread, DraftVersion, Region
from belong.services import documents, pdf_cache
from belong.services.documents import Purpose
from belong.services.versions import edition_of
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template

STYLESHEET = "review-copy.css"


def _anchor(thread: CommentThread) -> str:
    return f"{thread.step_id}--{thread.question_id}" if thread.question_id else ""


def _concerns(definition, thread: CommentThread) -> tuple[str, bool]:
    """What the thread is about, as the document names it; True when it is a whole step."""
    step = next((s for s in definition.steps if s.id == thread.step_id), None)
    if step is None:
        return thread.step_id, not thread.question_id
    if not thread.question_id:
        return step.title, True
    question = next((q for q in step.questions if q.id == thread.question_id), None)
    return (question.label if question else thread.question_id), False


def _note(definition, thread: CommentThread) -> dict:
    concerns, whole_step = _concerns(definition, thread)
    return {
        "open": thread.resolved_at is None,
        "concerns": concerns,
        "whole_step": whole_step,
        "comments": [
            {
                "author": c.author.name if c.author else "",
                "when": format_moment(c.created_at),
                "edited": c.edited_at is not None,
                "html": render_markdown(c.body),
            }
            for c in thread.comments
        ],
    }


def _where(definition, thread: CommentThread, found: dict[str, tuple[int, int]]):
    """Where the document shows the thread's question; a whole step's thread goes with the
    first of its questions that the document shows."""
    anchor = _anchor(thread)
    if anchor:
        return found.get(anchor)
    step = next((s for s in definition.steps if s.id == thread.step_id), None)
    if step is None:
        return None
    spots = [found[f"{step.id}--{q.id}"] for q in step.questions if f"{step.id}--{q.id}" in found]
    return min(spots) if spots else None


def review_copy_html(region: Region, version: DraftVersion, threads: list[CommentThread]) -> str:
    template = get_template(version.template_id)
    html = documents.document_html(region, template, edition_of(version, Purpose.REVIEW))
    definition = template.in_language(region.language).definition
    ids = {f"{s.id}--{q.id}" for s in definition.steps for q in s.questions}
    found = placement.places(html, ids)
    with force_locale(documents.document_locale(region, template)):
        placed: list[tuple[tuple[int, int], dict]] = []
        others: list[dict] = []
        for thread in threads:
            note = _note(definition, thread)
            spot = _where(definition, thread, found)
            if spot is None:
                others.append(note)
            else:
                placed.append((spot, note))
        placed.sort(key=lambda item: item[0][0])  # numbered in the order of the document
        number = 0
        for note in [n for _spot, n in placed] + others:
            number += 1
            note["number"] = number
        by_spot: dict[int, list[dict]] = {}
        for (_start, after), note in placed:
            by_spot.setdefault(after, []).append(note)
        blocks = [
            (after, render_template("review/_review_notes.html", notes=notes))
            for after, notes in by_spot.items()
        ]
        body_start = html.index(">", html.index("<body")) + 1
        blocks.append(
            (
                body_start,
                render_template(
                    "review/review_copy_cover.html",
                    version=version,
                    submitted=format_moment(version.submitted_at),
                    note_count=number,
                    open_count=sum(1 for t in threads if t.resolved_at is None),
                ),
            )
        )
        rest = render_template("review/_review_notes.html", notes=others, others=True)
        blocks.append((html.rindex("</body>"), rest))
    stylesheet = f'<link rel="stylesheet" href="{ASSET_ORIGIN}static/review-copy.css">\n'
    blocks.append((html.index("</head>"), stylesheet))
    return placement.insert(html, blocks)


def review_copy_source(
    region: Region, version: DraftVersion, threads: list[CommentThread]
) -> tuple[LoadedTemplate, str, str]:
    """The review copy's template, HTML and PDF cache key (over its HTML, hence every
    comment's text and state, and its stylesheet)."""
    template = get_template(version.template_id)
    html = review_copy_html(region, version, threads)
    return template, html, pdf_cache.cache_key(template, html, assets=(STATIC / STYLESHEET,))


def review_copy_pdf(region: Region, version: DraftVersion, threads: list[CommentThread]) -> bytes:
    """Rendered once for each state of the version's comments, then served from the PDF
    cache like the draft (here in this call; the download hands it to pdf_jobs)."""
    template, html, key = review_copy_source(region, version, threads)
    cached = pdf_cache.lookup(key, region)
    if cached is not None:
        return cached
    return pdf_cache.render_and_store(region, template, html, key, documents.document_pdf)
