"""/api/v1/regions/<slug>/checks: the strategy checks of the region's answers as they are now
(belong/services/strategy_checks.py decides them, as for the region's home page)."""

from __future__ import annotations

from flask import Blueprint, url_for

from belong.access import Permission
from belong.api.auth import region_read
from belong.api.schemas import CheckItem, CheckList
from belong.api.spec import api_spec, responses
from belong.models import Region
from belong.services import strategy_checks
from belong.templating.registry import get_template

bp = Blueprint("checks", __name__)


@bp.get("/regions/<slug>/checks")
@api_spec.validate(resp=responses(HTTP_200=CheckList), tags=["checks"])
@region_read(Permission.VIEW)
def index(region: Region):
    """The strategy checks: failures first, then warnings, then the checks passed"""
    results = strategy_checks.ordered(
        strategy_checks.region_checks(region, get_template(region.template_id).definition)
    )
    return CheckList(
        counts=strategy_checks.counts(results),
        items=[
            CheckItem(
                id=r.check.id,
                status=r.status.value,
                title=r.title,
                detail=r.detail,
                advice=r.advice,
                step=r.step_id,
                question=r.question_id,
                page=url_for("steps.show", slug=region.slug, step_id=r.step_id, _anchor=r.anchor),
            )
            for r in results
        ],
    )
