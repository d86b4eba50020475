"""Render the layout (sandboxed Jinja) and the PDF (WeasyPrint with the locked fetcher)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import gettext
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from belong.document.fetcher import ASSET_ORIGIN, AssetFetcher
from belong.templating.loader import LoadedTemplate

STATIC = Path(__file__).resolve().parent.parent / "static"


@lru_cache(maxsize=16)
def _environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = gettext
    return env


def render_html(template: LoadedTemplate, context: dict[str, Any], *, asset_url) -> str:
    """asset_url(name) gives the stylesheet's address: the app's route in the preview,
    the fetcher's origin in the PDF."""
    layout = _environment(template.folder).get_template(template.definition.document.layout)
    return layout.render(**context, asset_url=asset_url)


def pdf_asset_url(name: str) -> str:
    return f"{ASSET_ORIGIN}template/{name}"


# Everything WeasyPrint is told besides the HTML; part of the PDF cache key.
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",
    "presentational_hints": False,
    "attachments": None,
    "custom_metadata": False,
}


def render_pdf(template: LoadedTemplate, html: str) -> bytes:
    """The one way a PDF is made: tagged (PDF/UA-1), no presentational hints, locked fetcher."""
    return render_pdf_in(template.folder, html)


def render_pdf_in(folder: Path, html: str, *, refused: list[str] | None = None) -> bytes:
    """render_pdf for a template folder (what a bounded child process receives);
    `refused` collects the URLs the fetcher turned away."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    fetcher = AssetFetcher({"template": folder, "static": STATIC})
    if refused is not None:
        fetcher.refused = refused
    document = HTML(string=html, base_url=ASSET_ORIGIN + "template/", url_fetcher=fetcher)
    return document.write_pdf(**PDF_OPTIONS)
