"""Assemble a region's draft document as HTML and PDF."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from belong import page_cache
from belong.document.bounded import RenderLimitExceeded, render_pdf_bounded
from belong.document.chain import chain_context
from belong.document.chart import COLOURS
from belong.document.context import build_context
from belong.document.render import pdf_asset_url, render_html, render_pdf
from belong.downloads import download
from belong.formatting import format_day
from belong.i18n import babel_locale
from belong.models import AssessmentSnapshot, Region
from belong.services import pdf_cache, publication, records, strategy_figures
from belong.services.assessments import region_assessment
from belong.services.consultations import annex_with_public_record
from belong.services.contributions import consultation_annex
from belong.services.draft_status import draft_status
from belong.services.regions import answer_values
from belong.templating.loader import LoadedTemplate


class RenderFailed(Exception):
    pass


class DocumentTooLarge(RenderFailed):
    """The document needed more time or memory than a render may take."""


class Purpose(enum.StrEnum):
    """What a document is made for. Each is assembled by `document_context`, the one path,
    so the draft, a version, its release and its review copy cannot drift apart."""

    DRAFT = "draft"  # the live draft: preview and PDF
    VERSION = "version"  # a submitted version, frozen
    RELEASE = "release"  # the released version: no DRAFT marking, the approvers on the cover
    # A released version whose political adoption is recorded: its cover says who adopted
    # it, when and by which decision (belong/services/adoptions.py).
    ADOPTED = "adopted"
    REVIEW = "review"  # a version's review copy, with the review notes beside the sections


@dataclass(frozen=True)
class Edition:
    """What one document is made of besides its region and template: the answers, the
    consultation record (None: the document has no such annex), and what version it is."""

    purpose: Purpose
    values: dict[tuple[str, str], Any]
    consultation: dict[str, Any] | None
    version_label: str = ""
    on: date | None = None  # the date on the cover; today when not given
    approvers: tuple[str, ...] = ()
    approved_on: date | None = None  # when the last of the approvers approved
    # A stored version's moment of submission: the self-assessment history is read as it was
    # then (None: as it is now).
    as_of: datetime | None = None
    # Stands in for the region's recorded self-assessments (the layout check has no database).
    history: tuple[AssessmentSnapshot, ...] | None = None
    # The "Status of this draft" page (belong/services/draft_status.py): the live draft only.
    status: dict[str, Any] | None = None
    # (body, date, decision reference) of a recorded adoption; only the ADOPTED edition has
    # one, and no other document claims an adoption.
    adoption: tuple[str, date, str] | None = None
    # The publication settings (logo, accent, imprint; belong/services/publication.py): the
    # draft's are today's, a version's what it froze. None: the document has none.
    publication: dict[str, Any] | None = None


def document_locale(region: Region, template: LoadedTemplate) -> str:
    """The locale a region's documents are written in (dates, numbers, texts)."""
    return babel_locale(region.language or template.definition.language)


def draft_edition(region: Region, template: LoadedTemplate) -> Edition:
    """The live draft: today's answers and today's consultation record (the stakeholders'
    input and the latest consultation of the public)."""
    translated = template.in_language(region.language).definition
    values = answer_values([region.id])[region.id]
    values.update(records.snapshot(region, translated))  # frozen with a version's answers
    return Edition(
        Purpose.DRAFT,
        values,
        annex_with_public_record(consultation_annex(region, translated), region, translated),
        status=draft_status(region, translated, values),
        publication=publication.snapshot(region),
    )


def document_context(region: Region, template: LoadedTemplate, edition: Edition) -> dict:
    """The layout's context for any document of the region (plain values only); call it in
    `force_locale(document_locale(...))` with the template in the region's language."""
    context = build_context(
        region,
        template,
        edition.values,
        draft=edition.purpose not in (Purpose.RELEASE, Purpose.ADOPTED),
        on=edition.on or date.today(),
        version_label=edition.version_label,
    )
    context["purpose"] = edition.purpose.value
    context["priority_colours"] = list(COLOURS)
    context["assessment"] = region_assessment(
        region,
        template.definition,
        edition.values,
        until=edition.as_of,
        history=None if edition.history is None else list(edition.history),
    )
    chain = records.from_snapshot(template.definition, edition.values)
    context["records"] = chain
    context["figures"] = strategy_figures.figures(template.definition, chain)
    context["chain"] = chain_context(template.definition, chain, context["figures"])
    context["participation"] = strategy_figures.participation(
        template.definition, chain, edition.consultation, _("Not specified")
    )
    if edition.consultation is not None:
        context["consultation"] = edition.consultation
    if edition.status is not None and edition.purpose is Purpose.DRAFT:
        context["status"] = edition.status
    context["publication"] = publication.document_publication(region, edition.publication)
    if edition.approvers:
        context["approvers"] = list(edition.approvers)
        context["approved_on"] = format_day(edition.approved_on or edition.on or date.today())
    if edition.purpose is Purpose.ADOPTED and edition.adoption is not None:
        body, adopted_on, reference = edition.adoption
        context["adoption"] = {"body": body, "on": format_day(adopted_on), "reference": reference}
    return context


def document_html(
    region: Region, template: LoadedTemplate, edition: Edition, *, asset_url=pdf_asset_url
) -> str:
    """The document of an edition, in the region's language."""
    template = template.in_language(region.language)  # the region's template translation
    with force_locale(document_locale(region, template)):
        return render_html(
            template, document_context(region, template, edition), asset_url=asset_url
        )


def document_pdf(template: LoadedTemplate, html: str) -> bytes:
    """The PDF of a document's HTML, made in a child process bounded by PDF_TIMEOUT_SECONDS
    and PDF_MEMORY_MB (PDF_RENDER_ISOLATION = "inline" renders in this process instead)."""
    config = current_app.config
    try:
        if config.get("PDF_RENDER_ISOLATION", "subprocess") == "inline":
            return render_pdf(template, html)
        return render_pdf_bounded(
            template.folder,
            html,
            timeout=config["PDF_TIMEOUT_SECONDS"],
            memory_mb=config.get("PDF_MEMORY_MB"),
            delay=float(config.get("PDF_RENDER_DELAY_SECONDS") or 0),
        )
    except (RenderLimitExceeded, MemoryError) as exc:
        raise DocumentTooLarge(str(exc) or "out of memory") from exc
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise RenderFailed(str(exc)) from exc


def draft_html(region: Region, template: LoadedTemplate, *, asset_url=pdf_asset_url) -> str:
    return document_html(region, template, draft_edition(region, template), asset_url=asset_url)


def draft_key(
    region: Region, template: LoadedTemplate, html: Callable[[], str], kind: str = pdf_cache.PDF
) -> str:
    """The document cache key of the region's draft as it is today (its PDF, or its DOCX).
    Kept until the region's content changes (belong/page_cache.py), so a download of an
    unchanged draft does not assemble the whole document to hash it; `html` gives the draft's
    HTML when it must."""
    return page_cache.region_value(
        region,
        f"draft-{kind}-key",
        lambda: pdf_cache.cache_key(template, html(), kind=kind),
        date.today().isoformat(),
        pdf_cache.template_digest(template).hex(),
    )


def draft_pdf(region: Region, template: LoadedTemplate) -> bytes:
    """The draft's PDF, rendered only when something that decides its bytes changed."""
    html = draft_html(region, template)
    key = pdf_cache.cache_key(template, html)
    cached = pdf_cache.lookup(key, region)
    if cached is not None:
        return cached
    return pdf_cache.render_and_store(region, template, html, key, document_pdf)


@dataclass(frozen=True)
class HeavyAnswer:
    """One of the answers that weigh most in a document (where to shorten it)."""

    step_id: str
    step_title: str
    question_id: str
    question_label: str
    characters: int


def heaviest_answers(region: Region, template: LoadedTemplate, count: int = 3) -> list[HeavyAnswer]:
    """The region's answers with the most text, longest first: the place that makes its
    document too large to render (the renderer's time and memory grow with text and tables)."""
    values = answer_values([region.id])[region.id]
    found = [
        HeavyAnswer(
            step.id,
            step.title,
            question.id,
            question.label,
            len(question.plain_text(values[(step.id, question.id)])),
        )
        for step in template.definition.steps
        for question in step.questions
        if values.get((step.id, question.id)) not in (None, "", [], {})
    ]
    return sorted(found, key=lambda heavy: heavy.characters, reverse=True)[:count]


def download_name(region: Region, suffix: str = "draft-strategy", extension: str = "pdf") -> str:
    return f"{region.name}-{suffix}.{extension}"


def pdf_response(data: bytes, filename: str) -> Response:
    """A PDF download whose file name is safe whatever the region is called."""
    return download(data, filename, "application/pdf")
