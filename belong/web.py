"""Response headers and template helpers shared by every page."""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from belong.access import Permission, can
from belong.document.markdown import render_markdown
from belong.formatting import FILTERS
from belong.services.plan_tables import download_for

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def with_styles(response, *styles: str):
    """A page with its own <style> elements (the region's accent colour on a copy of its
    document), let through by their hashes; no other inline style is allowed."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
        if s
    ]
    if hashes:
        policy = CSP.replace("style-src 'self'", "style-src 'self' " + " ".join(hashes))
        response.headers["Content-Security-Policy"] = policy
    return response


# The largest value of an id or number column (PostgreSQL's integer, 32 bits signed).
LARGEST_ID = 2**31 - 1


class RowId(IntegerConverter):
    """`<int:...>` in every route: a number an id column can hold, so a larger one is a page
    that does not exist, not an overflow in the database or its driver."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowId  # before the blueprints add their routes
    app.jinja_env.globals.update(can=can, Permission=Permission, plan_table_download=download_for)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters.update(FILTERS)  # figures and dates in the reader's language

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if current_user and current_user.is_authenticated and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
