"""The programme dashboard: every region's progress, version, review and scores."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from belong import page_cache
from belong.access import admin_required
from belong.downloads import download
from belong.services import dashboard
from belong.services.progress import StepState

bp = Blueprint("dashboard", __name__, url_prefix="/admin/dashboard")
REGIONS_PER_PAGE = 25


def _sorting() -> tuple[str, bool]:
    sort = request.args.get("sort", "name")
    if sort not in dashboard.SORTS:
        sort = "name"
    return sort, request.args.get("dir") == "desc"


@bp.route("/")
@admin_required
def index():
    sort, descending = _sorting()

    def content() -> str:
        # A page of regions at a time (the sort runs over all of them; the CSV has every row).
        page = request.args.get("page", 1, type=int)
        listed = dashboard.programme_page(sort, descending, page=page, per_page=REGIONS_PER_PAGE)
        return render_template(
            "dashboard/_content.html",
            rows=listed.rows,
            areas=listed.areas,
            sort=sort,
            descending=descending,
            page=listed.page,
            pages=listed.pages,
            total=listed.total,
            state_labels={state: state.label for state in StepState},  # once, not per dot
        )

    return page_cache.programme_page(
        "dashboard", content, lambda body: render_template("dashboard/index.html", content=body)
    )


@bp.route("/regions.csv")
@admin_required
def export():
    sort, descending = _sorting()
    rows, areas = dashboard.programme_rows(sort, descending)
    return download(dashboard.as_csv(rows, areas), "programme-dashboard.csv", "text/csv")
