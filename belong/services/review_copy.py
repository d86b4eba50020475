"""The review copy: a version's PDF with its comments as numbered notes beside the sections."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from belong.document.context import build_context
from belong.document.fetcher import ASSET_ORIGIN
from belong.document.markdown import render_markdown
from belong.document.render import STATIC
from belong.models import CommentThread, DraftVersion, Region
from belong.services import documents, pdf_cache
from belong.services.versions import version_label
from belong.templating.registry import get_template

STYLESHEET = "review-copy.css"


def _notes(threads: list[CommentThread]) -> dict[tuple[str, str], list[dict]]:
    """Notes numbered in document order, keyed by their anchor."""
    by_anchor: dict[tuple[str, str], list[dict]] = {}
    for thread in threads:
        note = {
            "resolved": thread.resolved_at is not None,
            "comments": [
                {
                    "author": c.author.name if c.author else "",
                    "when": c.created_at,
                    "edited": c.edited_at is not None,
                    "html": render_markdown(c.body),
                }
                for c in thread.comments
            ],
        }
        by_anchor.setdefault((thread.step_id, thread.question_id), []).append(note)
    return by_anchor


def review_copy_html(region: Region, version: DraftVersion, threads: list[CommentThread]) -> str:
    template = get_template(version.template_id)
    by_anchor = _notes(threads)
    with force_locale(region.language or template.definition.language):
        context = build_context(
            region,
            template,
            version.values(),
            draft=True,
            version_label=version_label(version.number),
        )
        number = 0
        placed: set[tuple[str, str]] = set()
        for chapter in context["chapters"]:
            chapter["notes"] = by_anchor.get((chapter["id"], ""), [])
            placed.add((chapter["id"], ""))
            for note in chapter["notes"]:
                number += 1
                note["number"] = number
            for question in chapter["questions"]:
                question["notes"] = by_anchor.get((chapter["id"], question["id"]), [])
                placed.add((chapter["id"], question["id"]))
                for note in question["notes"]:
                    number += 1
                    note["number"] = number
        others = [n for key, notes in by_anchor.items() if key not in placed for n in notes]
        for note in others:
            number += 1
            note["number"] = number
        return render_template(
            "review/review_copy.html",
            doc=context,
            version=version,
            others=others,
            note_count=number,
            stylesheet=f"{ASSET_ORIGIN}static/{STYLESHEET}",
        )


def review_copy_pdf(region: Region, version: DraftVersion, threads: list[CommentThread]) -> bytes:
    """Rendered once for each state of the version's comments (their text is in the HTML,
    hence in the key), then served from the PDF cache like the draft."""
    template = get_template(version.template_id)
    html = review_copy_html(region, version, threads)
    key = pdf_cache.cache_key(template, html, assets=(STATIC / STYLESHEET,))
    cached = pdf_cache.lookup(key, region)
    if cached is not None:
        return cached
    return pdf_cache.render_and_store(region, template, html, key, documents.document_pdf)
