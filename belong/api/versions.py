"""/api/v1/regions/<slug>/versions: submitted versions, their metadata and their PDFs."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _

from belong import database
from belong.access import Permission
from belong.api.auth import region_read
from belong.api.problems import problem
from belong.api.schemas import Problem, VersionItem, VersionLinks, VersionList
from belong.api.spec import api_spec, responses
from belong.extensions import db
from belong.models import DraftVersion, Region
from belong.models.base import utcnow
from belong.services import activity, documents, pdf_jobs, word_documents
from belong.services import versions as version_service

bp = Blueprint("versions", __name__)


def aware(moment):
    """SQLite gives back naive datetimes; every stored one is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=utcnow().tzinfo)


def _item(region: Region, version: DraftVersion) -> VersionItem:
    where = {"slug": region.slug, "number": version.number}
    released = version.released_at is not None
    return VersionItem(
        number=version.number,
        message=version.message,
        submitted_at=aware(version.submitted_at),
        submitted_by=version.submitted_by.name if version.submitted_by else None,
        pdf_ready=version.pdf_ready,
        sha256=version.sha256 or None,
        released_at=aware(version.released_at),
        released_sha256=version.released_sha256,
        links=VersionLinks(
            self=url_for("api.versions.show", **where),
            pdf=url_for("api.versions.pdf", **where),
            docx=url_for("api.versions.docx", **where),
            released_pdf=url_for("api.versions.released_pdf", **where) if released else None,
            page=url_for("review.version", **where),
        ),
    )


def _version_or_404(region: Region, number: int) -> DraftVersion:
    version = version_service.get_version(region, number)
    if version is None:
        abort(404)
    return version


@bp.get("/regions/<slug>/versions")
@api_spec.validate(resp=responses(HTTP_200=VersionList), tags=["versions"])
@region_read(Permission.VIEW)
def index(region: Region):
    """The region's submitted versions, newest first"""
    return VersionList(versions=[_item(region, v) for v in version_service.versions_of(region)])


@bp.get("/regions/<slug>/versions/<int:number>")
@api_spec.validate(resp=responses(HTTP_200=VersionItem), tags=["versions"])
@region_read(Permission.VIEW)
def show(region: Region, number: int):
    """One submitted version"""
    return _item(region, _version_or_404(region, number))


def _preparing():
    return problem(
        503,
        _("The PDF is being prepared. Try again in a minute."),
        {"Retry-After": "30"},
    )


@bp.get("/regions/<slug>/versions/<int:number>/pdf")
@api_spec.validate(resp=responses("HTTP_200", HTTP_503=Problem), tags=["versions"])
@region_read(Permission.VIEW)
def pdf(region: Region, number: int):
    """The version's PDF (application/pdf), exactly as submitted

    While it renders: 503 with Retry-After."""
    version = _version_or_404(region, number)
    if not version.pdf_ready:
        pdf_jobs.ensure_version(version, version_service.page_link(region, version))
        pdf_jobs.wait_for_version(version)
        db.session.refresh(version)
    if not version.pdf_ready:
        return _preparing()
    data = version.pdf
    database.write_next()
    activity.record("version_downloaded", region, number=number)
    db.session.commit()
    return documents.pdf_response(data, documents.download_name(region, f"v{number}-draft"))


@bp.get("/regions/<slug>/versions/<int:number>/docx")
@api_spec.validate(resp=responses("HTTP_200"), tags=["versions"])
@region_read(Permission.VIEW)
def docx(region: Region, number: int):
    """The version as a Word document (DOCX), from its frozen answers as its PDF"""
    return word_documents.version_download(region, _version_or_404(region, number))


@bp.get("/regions/<slug>/versions/<int:number>/released.pdf")
@api_spec.validate(resp=responses("HTTP_200", HTTP_503=Problem), tags=["versions"])
@region_read(Permission.VIEW)
def released_pdf(region: Region, number: int):
    """The released PDF (application/pdf) of a released version

    404 when the version is not released; while it renders, 503 with Retry-After."""
    version = _version_or_404(region, number)
    if version.released_at is None:
        abort(404)
    if not version.released_sha256:
        pdf_jobs.ensure_release(version)
        pdf_jobs.wait_for_release(version)
        db.session.refresh(version)
    if not version.released_sha256:
        return _preparing()
    return documents.pdf_response(
        version.released_pdf, documents.download_name(region, f"v{number}-strategy")
    )
