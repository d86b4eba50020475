"""Assemble a region's draft document as HTML and PDF."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
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


def draft_html(region: Region, template: LoadedTemplate, *, asset_url) -> str:
    values = answer_values([region.id])[region.id]
    with force_locale(region.language or template.definition.language):
        context = build_context(region, template, values, draft=True, on=date.today())
        return render_html(template, context, asset_url=asset_url)


def draft_pdf(region: Region, template: LoadedTemplate) -> bytes:
    html = draft_html(region, template, asset_url=pdf_asset_url)
    try:
        return render_pdf(template, html)
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise RenderFailed(str(exc)) from exc


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
