"""The document as a downloadable web page (WCAG 2.1 AA; issue 20 point 4): the draft and
each released version, assembled by the same path as their PDFs (belong/services/documents.py)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from belong.document.html_edition import html_edition, inline_asset_url, stylesheet_names
from belong.document.render import STATIC
from belong.models import DraftVersion, Region
from belong.services import documents
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template

EDITION_STYLESHEET = STATIC / "html-edition.css"


def edition_page(region: Region, template: LoadedTemplate, edition: documents.Edition) -> str:
    """One self-contained HTML file: the document, its stylesheets inlined, images inline."""
    html = documents.document_html(region, template, edition, asset_url=inline_asset_url)
    folder = template.folder.resolve()
    css = []
    for name in stylesheet_names(html):
        path = (folder / name).resolve()
        if path.is_file() and path.is_relative_to(folder):
            css.append(path.read_text(encoding="utf-8"))
    css.append(EDITION_STYLESHEET.read_text(encoding="utf-8"))
    with force_locale(documents.document_locale(region, template)):
        label = _("Skip to the document")
    return html_edition(html, "\n".join(css), skip_label=label)


def draft_page(region: Region) -> str:
    template = get_template(region.template_id)
    return edition_page(region, template, documents.draft_edition(region, template))


def released_page(region: Region, version: DraftVersion) -> str:
    """A released version's web page: its release edition, as its released PDF."""
    from belong.services.versions import release_edition

    template = get_template(version.template_id)
    return edition_page(region, template, release_edition(version))
