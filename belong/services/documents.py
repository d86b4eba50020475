"""Assemble a region's draft document as HTML and PDF."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Response
from flask_babel import force_locale

from belong.document.context import build_context
from belong.document.render import pdf_asset_url, render_html, render_pdf
from belong.models import Region
from belong.services.regions import answer_values
from belong.templating.loader import LoadedTemplate


class RenderFailed(Exception):
    pass


def document_html(
    region: Region,
    template: LoadedTemplate,
    values: dict[tuple[str, str], Any],
    *,
    asset_url=pdf_asset_url,
    draft: bool = True,
    version_label: str = "",
    on: date | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The document for any set of answer values (the live draft or a stored version),
    in the region's language. `extra` adds plain values to the layout's context."""
    template = template.in_language(region.language)  # the region's template translation
    with force_locale(region.language or template.definition.language):
        context = build_context(
            region,
            template,
            values,
            draft=draft,
            on=on or date.today(),
            version_label=version_label,
        )
        context.update(extra or {})
        return render_html(template, context, asset_url=asset_url)


def document_pdf(template: LoadedTemplate, html: str) -> bytes:
    try:
        return render_pdf(template, html)
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise RenderFailed(str(exc)) from exc


def draft_html(region: Region, template: LoadedTemplate, *, asset_url=pdf_asset_url) -> str:
    return document_html(
        region, template, answer_values([region.id])[region.id], asset_url=asset_url
    )


def draft_pdf(region: Region, template: LoadedTemplate) -> bytes:
    return document_pdf(template, draft_html(region, template))


def download_name(region: Region, suffix: str = "draft-strategy") -> str:
    return f"{region.name}-{suffix}.pdf"


def pdf_response(data: bytes, filename: str) -> Response:
    """A PDF download whose file name is safe whatever the region is called."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "strategy.pdf"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
