"""Render the layout (sandboxed Jinja) and the PDF (WeasyPrint with the locked fetcher)."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import gettext, ngettext
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from belong.document.fetcher import ASSET_ORIGIN, AssetFetcher
from belong.document.numbering import number_figures_and_tables
from belong.formatting import FILTERS
from belong.templating.loader import LoadedTemplate
from belong.text import clean_text

STATIC = Path(__file__).resolve().parent.parent / "static"
# Parts every strategy template may include (e.g. the public consultation in its annex); a
# template's own file of the same name comes first.
SHARED_LAYOUTS = Path(__file__).resolve().parent / "layouts"


class FolderLoader(FileSystemLoader):
    """Layouts and the files they include, from the template folder only: a symbolic link
    put there after start-up is not followed out of it."""

    def __init__(self, folder: Path) -> None:
        self.root = folder.resolve()
        super().__init__(self.root)

    def get_source(self, environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise TemplateNotFound(template)
        return source, filename, uptodate


@lru_cache(maxsize=16)
def _environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FolderLoader(folder), FolderLoader(SHARED_LAYOUTS)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = gettext
    env.globals["ngettext"] = ngettext
    env.filters.update(FILTERS)  # figures and dates in the document's language
    return env


def render_html(template: LoadedTemplate, context: dict[str, Any], *, asset_url) -> str:
    """asset_url(name) gives the stylesheet's address: the app's route in the preview,
    the fetcher's origin in the PDF."""
    layout = _environment(template.folder).get_template(template.definition.document.layout)
    return number_figures_and_tables(
        layout.render(**context, asset_url=asset_url),
        figure=lambda n: gettext("Figure %(num)s", num=n),
        table=lambda n: gettext("Table %(num)s", num=n),
    )


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
    """The one way a PDF is made: tagged (PDF/UA-1, its structure completed by
    belong/document/pdf_ua.py), no presentational hints, locked fetcher."""
    return render_pdf_in(template.folder, html)


def render_pdf_in(folder: Path, html: str, *, refused: list[str] | None = None) -> bytes:
    """render_pdf for a template folder (what a bounded child process receives);
    `refused` collects the URLs the fetcher turned away. The HTML's text is cleaned as text
    coming in is (belong/text.py), so rows stored before that rule print as well."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    from belong.document.pdf_ua import finish

    fetcher = AssetFetcher({"template": folder, "static": STATIC})
    if refused is not None:
        fetcher.refused = refused
    with _fewer_collections():
        document = HTML(
            string=clean_text(html), base_url=ASSET_ORIGIN + "template/", url_fetcher=fetcher
        )
        return document.write_pdf(finisher=finish, **PDF_OPTIONS)


# A render allocates millions of short-lived objects and few reference cycles. With the
# default thresholds (700, 10, 10) the cyclic collector sweeps the whole heap several
# times per strategy, about a tenth of the render's CPU time; with a first threshold of
# 50,000 it runs a handful of young collections and peak memory stays the same.
_RENDER_GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def _fewer_collections():
    """Raise the collector's first threshold while any render runs; restore it after the
    last one (renders may overlap in threads when PDF_RENDER_ISOLATION is "inline")."""
    global _gc_renders, _gc_saved
    with _gc_lock:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_RENDER_GC_THRESHOLD, _gc_saved[0]), *_gc_saved[1:])
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
