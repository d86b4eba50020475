from __future__ import annotations

import functools
from pathlib import Path

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from belong.access import ROLE_PERMISSIONS, Permission
from belong.services import regions as region_service
from belong.services import waiting as waiting_service

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    if current_user.is_admin:
        return redirect(url_for("admin.regions"))
    memberships = region_service.memberships_of(current_user)
    if len(memberships) == 1:
        return redirect(url_for("regions.home", slug=memberships[0].region.slug))
    return render_template("main/index.html", memberships=memberships)


@bp.route("/waiting")
@login_required
def waiting():
    """Versions waiting for the reader's review, and threads waiting for their team's answer."""
    answering = [
        (m.region, waiting_service.threads_waiting(m.region))
        for m in region_service.memberships_of(current_user)
        if Permission.EDIT_ANSWERS in ROLE_PERMISSIONS[m.role]
    ]
    return render_template(
        "main/waiting.html",
        reviews=waiting_service.reviews_waiting(current_user),
        threads=[(region, found) for region, found in answering if found],
    )


ICONS = {"ico": "image/vnd.microsoft.icon", "svg": "image/svg+xml"}


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for it at the root whatever the page links."""
    return _icon_response("ico")


@bp.route("/favicon.svg")
def favicon_svg():
    return _icon_response("svg")


def _icon_response(kind: str):
    response = current_app.response_class(
        _icon(current_app.static_folder, kind), mimetype=ICONS[kind]
    )
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@functools.cache
def _icon(folder: str, kind: str) -> bytes:
    """Read once and served from memory: a file handed to a browser that drops the connection
    (they often do for icons) is never left open."""
    return (Path(folder) / f"favicon.{kind}").read_bytes()
