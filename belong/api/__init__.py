"""The read-only JSON API under /api/v1/, one blueprint module per resource:

- regions.py   /regions, /regions/<slug> (progress, step by step)
- steps.py     /regions/<slug>/steps/<step_id> (questions and answers)
- versions.py  /regions/<slug>/versions[/<n>[/pdf|/released.pdf]]
- checks.py    /regions/<slug>/checks (the strategy checks, as on the region's home page)
- records.py   /regions/<slug>/records/<kind> (linked records: priorities ... indicators)

A new resource is a module here, registered in RESOURCES below and added to
tests/test_route_matrix.py.

Every view authenticates with a personal access token (auth.py), decides access with
belong/access.py like the pages, answers a pydantic model of schemas.py and is described by
spec.py at /api/v1/openapi.json; errors are problem details (problems.py)."""

from __future__ import annotations

from flask import Blueprint

from belong.api import auth, checks, records, regions, steps, versions
from belong.api.spec import description

RESOURCES = (regions, steps, versions, checks, records)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(auth.authenticate)
for _resource in RESOURCES:
    bp.register_blueprint(_resource.bp)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public)."""
    return description()
