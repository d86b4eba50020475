"""The document cache: a rendered document (a PDF, or its Word version) is kept under the
hash of everything that decides its bytes, so an unchanged strategy is served without
rendering it again.

The key is taken over the final HTML (which holds every answer, the region's details, the
language and the date), the template's files (layout, stylesheet, definition), and what
turns the HTML into the document: for a PDF the render options and the WeasyPrint version,
for a DOCX the export's code and its libraries' versions. Rows live in the database, so
several app servers and the PDF worker share one cache; only the newest few of each kind
per region are kept.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from belong.document import pdf_ua
from belong.document.render import PDF_OPTIONS
from belong.extensions import db
from belong.models import Region
from belong.models.rendered_pdf import RenderedPdf
from belong.templating.loader import LoadedTemplate

KEEP_PER_REGION = 3  # of each kind
PDF, DOCX = "pdf", "docx"


def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


@lru_cache(maxsize=2)
def _static_part(kind: str = PDF) -> bytes:
    if kind == DOCX:
        from belong.document.word import builder_identity

        return b"docx\0" + builder_identity()
    return json.dumps(
        {
            "weasyprint": _weasyprint_version(),
            "options": PDF_OPTIONS,
            "pdf_ua": pdf_ua.REVISION,  # the structure tree's completion
        },
        sort_keys=True,
    ).encode()


def _folder_stamp(folder: Path) -> tuple:
    return tuple(
        (str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


@lru_cache(maxsize=32)
def _folder_digest(folder: Path, stamp: tuple) -> bytes:
    """The hash of every file of a template folder; recomputed when one changes."""
    digest = hashlib.sha256()
    for name, _mtime, _size in stamp:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.digest()


def template_digest(template: LoadedTemplate) -> bytes:
    """The template's identity, version and every file of its folder."""
    head = template.id.encode() + b"\0" + str(template.definition.version).encode()
    return head + _folder_digest(template.folder, _folder_stamp(template.folder))


def cache_key(
    template: LoadedTemplate, html: str, *, assets: tuple[Path, ...] = (), kind: str = PDF
) -> str:
    """`assets`: files outside the template that the HTML uses (the review copy's
    stylesheet); `kind`: the document made of the HTML, PDF or DOCX."""
    digest = hashlib.sha256()
    digest.update(_static_part(kind))
    digest.update(template_digest(template))
    for path in assets:
        digest.update(path.read_bytes() + b"\0")
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def lookup(key: str, region: Region | None = None) -> bytes | None:
    query = select(RenderedPdf.pdf).where(RenderedPdf.key == key)
    if region is not None:
        query = query.where(RenderedPdf.region_id == region.id)
    return db.session.scalar(query)


def exists(key: str, region: Region) -> bool:
    query = select(RenderedPdf.id).where(RenderedPdf.key == key, RenderedPdf.region_id == region.id)
    return db.session.scalar(query) is not None


def store(region: Region, key: str, pdf: bytes, seconds: float, kind: str = PDF) -> None:
    """Keep a rendered document; a concurrent render of the same key is harmless."""
    try:
        with db.session.begin_nested():
            db.session.add(
                RenderedPdf(
                    key=key,
                    region_id=region.id,
                    kind=kind,
                    pdf=pdf,
                    size=len(pdf),
                    render_seconds=seconds,
                )
            )
    except IntegrityError:
        return
    same = (RenderedPdf.region_id == region.id, RenderedPdf.kind == kind)
    newest = select(RenderedPdf.id).where(*same)
    newest = newest.order_by(RenderedPdf.id.desc()).limit(KEEP_PER_REGION)
    db.session.execute(
        delete(RenderedPdf).where(*same, RenderedPdf.id.not_in(list(db.session.scalars(newest))))
    )
    db.session.flush()


def render_and_store(
    region: Region, template: LoadedTemplate, html: str, key: str, render, kind: str = PDF
) -> bytes:
    """render(template, html) -> bytes, timed and kept under `key`."""
    started = time.perf_counter()
    data = render(template, html)
    store(region, key, data, time.perf_counter() - started, kind)
    return data
