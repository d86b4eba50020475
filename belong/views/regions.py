from __future__ import annotations

from flask import Blueprint, render_template

from belong import page_cache
from belong.access import Permission, region_access
from belong.models import Region
from belong.services import summaries, versions
from belong.services.progress import StepState
from belong.templating.registry import get_template

bp = Blueprint("regions", __name__, url_prefix="/r/<slug>")


@bp.route("/")
@region_access(Permission.VIEW)
def home(region: Region):
    template = get_template(region.template_id).definition

    def content() -> str:
        found = summaries.summary(region)
        progress = found.progress
        return render_template(
            "regions/_home.html",
            region=region,
            template=template,
            progress=progress,
            percent=found.percent,
            completed=sum(1 for p in progress if p.state is StepState.COMPLETED),
            next_step=next((p.step for p in progress if p.state is not StepState.COMPLETED), None),
            latest_version=versions.latest_version(region),
        )

    return page_cache.page(
        region,
        "home",
        content,
        lambda body: render_template(
            "regions/home.html", region=region, template=template, content=body
        ),
    )


@bp.route("/primer")
@region_access(Permission.VIEW)
def primer(region: Region):
    template = get_template(region.template_id)
    return render_template("regions/primer.html", region=region, template=template.definition)
