from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, send_from_directory, url_for

from belong.access import Permission, region_access
from belong.extensions import db
from belong.models import Region
from belong.services import activity, documents
from belong.templating.registry import get_template

bp = Blueprint("document", __name__)


@bp.route("/r/<slug>/document")
@region_access(Permission.VIEW)
def preview(region: Region):
    template = get_template(region.template_id)
    html = documents.draft_html(
        region,
        template,
        asset_url=lambda name: url_for("document.asset", template_id=template.id, name=name),
    )
    return Response(html, mimetype="text/html")


@bp.route("/r/<slug>/document.pdf")
@region_access(Permission.VIEW)
def pdf(region: Region):
    template = get_template(region.template_id)
    try:
        data = documents.draft_pdf(region, template)
    except documents.RenderFailed as exc:
        current_app.logger.error("PDF of %s failed: %s", region.slug, exc)
        abort(500)
    activity.record("pdf_downloaded", region)
    db.session.commit()
    return documents.pdf_response(data, documents.download_name(region))


@bp.route("/template-assets/<template_id>/<path:name>")
def asset(template_id: str, name: str):
    """The document stylesheet, for the HTML preview (only the declared file)."""
    template = get_template(template_id)
    if name != template.definition.document.stylesheet:
        abort(404)
    return send_from_directory(template.folder, name, max_age=300)
