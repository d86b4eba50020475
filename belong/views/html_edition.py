"""The document as a web page to download, beside its PDF and Word files: the draft and each
released version, with the same access as their PDFs."""

from __future__ import annotations

from flask import Blueprint, abort

from belong import database
from belong.access import Permission, region_access
from belong.downloads import download
from belong.extensions import db
from belong.models import Region
from belong.services import activity, documents, html_editions
from belong.services import versions as version_service

bp = Blueprint("html_edition", __name__, url_prefix="/r/<slug>")


def _send(region: Region, page: str, filename: str, **detail):
    database.write_next()
    activity.record("html_edition_downloaded", region, **detail)
    db.session.commit()
    return download(page.encode("utf-8"), filename, "text/html")


@bp.route("/document.html")
@region_access(Permission.VIEW)
def draft(region: Region):
    page = html_editions.draft_page(region)
    return _send(region, page, documents.download_name(region, extension="html"))


@bp.route("/versions/<int:number>/released.html")
@region_access(Permission.VIEW)
def released(region: Region, number: int):
    version = version_service.get_version(region, number)
    if version is None or version.released_at is None:
        abort(404)
    page = html_editions.released_page(region, version)
    name = documents.download_name(region, f"v{number}-released-strategy", "html")
    return _send(region, page, name, number=number)
