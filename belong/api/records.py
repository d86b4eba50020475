"""/api/v1/regions/<slug>/records/<kind_id>: a region's linked records of one kind
(priorities, objectives, actions, indicators in the intercultural template), in order, with
their stable keys, their stored values and the keys of the records they refer to."""

from __future__ import annotations

from flask import Blueprint, abort, url_for

from belong.access import Permission
from belong.api.auth import region_read
from belong.api.schemas import RecordItem, RecordList
from belong.api.spec import api_spec, responses
from belong.models import Region
from belong.services.records import records_of
from belong.templating.registry import get_template

bp = Blueprint("records", __name__)


@bp.get("/regions/<slug>/records/<kind_id>")
@api_spec.validate(resp=responses(HTTP_200=RecordList), tags=["records"])
@region_read(Permission.VIEW)
def index(region: Region, kind_id: str):
    """The region's records of a kind, in their order"""
    template = get_template(region.template_id).definition
    kind = template.record_kind(kind_id)
    if kind is None:
        abort(404)
    return RecordList(
        kind=kind.id,
        label=kind.plural,
        items=[
            RecordItem(
                key=record.key,
                title=record.title,
                values=record.values,
                refs={name: [r.key for r in found] for name, found in record.refs.items()},
                updated_at=record.updated_at,
                page=url_for(
                    "records.show", slug=region.slug, kind_id=kind.id, record_key=record.key
                ),
            )
            for record in records_of(region, kind.id, template)
        ],
    )
