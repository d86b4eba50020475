"""Download a region's whole strategy as JSON (the same file `flask export-region` writes)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint

from belong.access import Permission, region_access
from belong.downloads import download
from belong.extensions import db
from belong.models import Region
from belong.services import activity, region_export

bp = Blueprint("region_data", __name__, url_prefix="/r/<slug>")


@bp.route("/export.json")
@region_access(Permission.EXPORT_DATA)
def export(region: Region):
    text = region_export.to_json(region_export.export_region(region))
    activity.record("region_exported", region)
    db.session.commit()
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    filename = f"belong-{region.slug}-{stamp}.json"  # a slug is [a-z0-9-] only
    return download(text, filename, "application/json")
