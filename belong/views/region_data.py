"""Download a region's whole strategy as JSON (the same file `flask export-region` writes),
and its action plan and indicators as CSV and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, abort

from belong.access import Permission, region_access
from belong.downloads import csv_download, download
from belong.extensions import db
from belong.models import Region
from belong.services import activity, plan_tables, region_export
from belong.templating.registry import get_template

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


@bp.route("/data/<any('action-plan', indicators):table>.<any(csv, json):ext>")
@region_access(Permission.VIEW)
def plan_table(region: Region, table: str, ext: str):
    """The action plan or the indicators, as CSV (labels, for a spreadsheet) or JSON (codes
    and labels, for a program), each row with its id and a link to where it is edited."""
    template = get_template(region.template_id).definition
    found = plan_tables.plan_table(region, template, table)
    if found is None:
        abort(404)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    filename = f"belong-{region.slug}-{table}-{stamp}.{ext}"  # a slug is [a-z0-9-] only
    if ext == "csv":
        header, rows = plan_tables.csv_rows(found)
        return csv_download(header, rows, filename)
    text = json.dumps(plan_tables.json_data(region, found), ensure_ascii=False, indent=2)
    return download(text, filename, "application/json")
