"""The programme dashboard: every region's progress, version, review and scores."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from belong.access import admin_required
from belong.services import dashboard

bp = Blueprint("dashboard", __name__, url_prefix="/admin/dashboard")


def _sorting() -> tuple[str, bool]:
    sort = request.args.get("sort", "name")
    if sort not in dashboard.SORTS:
        sort = "name"
    return sort, request.args.get("dir") == "desc"


@bp.route("/")
@admin_required
def index():
    sort, descending = _sorting()
    rows, areas = dashboard.programme_rows(sort, descending)
    steps = max((len(r.progress) for r in rows), default=0)
    return render_template(
        "dashboard/index.html",
        rows=rows,
        areas=areas,
        steps=steps,
        sort=sort,
        descending=descending,
    )


@bp.route("/regions.csv")
@admin_required
def export():
    sort, descending = _sorting()
    rows, areas = dashboard.programme_rows(sort, descending)
    response = Response(dashboard.as_csv(rows, areas), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="programme-dashboard.csv"'
    return response
