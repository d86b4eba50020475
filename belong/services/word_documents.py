"""The strategy as a Word document: the draft's and each version's DOCX, made from the
same HTML as their PDF (documents.document_html, assembled by `document_context`) and kept
in the document cache (belong/services/pdf_cache.py) under the same rule as the PDF: found
again by the hash of everything that decides its bytes."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from flask import Response

from belong import database
from belong.document.word import html_to_docx
from belong.downloads import download as file_download
from belong.extensions import db
from belong.models import DraftVersion, Region
from belong.services import activity, documents, pdf_cache
from belong.services.documents import Purpose
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def draft_source(region: Region, template: LoadedTemplate) -> tuple[str, Callable[[], str]]:
    """The draft DOCX's cache key, and its HTML when it must be made."""
    html = functools.cache(lambda: documents.draft_html(region, template))
    return documents.draft_key(region, template, html, kind=pdf_cache.DOCX), html


def version_source(
    region: Region, version: DraftVersion, *, released: bool = False
) -> tuple[str, Callable[[], str]]:
    """A submitted version's DOCX: its frozen answers, as its PDF has them; `released`: as
    its released PDF (no DRAFT marking, the approvers on the cover)."""
    from belong.services.versions import edition_of, release_edition

    template = get_template(version.template_id)
    edition = release_edition(version) if released else edition_of(version, Purpose.VERSION)
    html = documents.document_html(region, template, edition)
    return pdf_cache.cache_key(template, html, kind=pdf_cache.DOCX), lambda: html


def made(region: Region, key: str, html: Callable[[], str]) -> tuple[bytes, float | None]:
    """The DOCX from the cache, or made now: (its bytes, the seconds it took to make, or
    None when it came from the cache). The caller keeps a new one with `keep`."""
    cached = pdf_cache.lookup(key, region)
    if cached is not None:
        return cached, None
    started = time.perf_counter()
    data = html_to_docx(html())
    return data, time.perf_counter() - started


def keep(region: Region, key: str, data: bytes, seconds: float | None) -> None:
    if seconds is not None:
        pdf_cache.store(region, key, data, seconds, pdf_cache.DOCX)


def draft_docx(region: Region, template: LoadedTemplate) -> bytes:
    """The draft's DOCX, made only when something that decides its bytes changed."""
    key, html = draft_source(region, template)
    data, seconds = made(region, key, html)
    keep(region, key, data, seconds)
    return data


def download(
    region: Region, key: str, html: Callable[[], str], *, name: str, action: str, **detail
) -> Response:
    """A Word download for a page or the API: made outside the write lock (or found in the
    cache), then kept, the download recorded as `action` and committed, in one transaction."""
    data, seconds = made(region, key, html)
    database.write_next()
    keep(region, key, data, seconds)
    activity.record(action, region, **detail)
    db.session.commit()
    return docx_response(data, documents.download_name(region, name, "docx"))


def version_download(region: Region, version: DraftVersion, *, released: bool = False) -> Response:
    """A submitted version's DOCX (as its PDF, or as its released PDF) as a download."""
    key, html = version_source(region, version, released=released)
    number = version.number
    if released:
        return download(
            region,
            key,
            html,
            name=f"v{number}-strategy",
            action="version_downloaded",
            number=number,
            format="docx",
            released=True,
        )
    return download(
        region,
        key,
        html,
        name=f"v{number}-draft",
        action="version_downloaded",
        number=number,
        format="docx",
    )


def docx_response(data: bytes, filename: str) -> Response:
    return file_download(data, filename, MIMETYPE)
