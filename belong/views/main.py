from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user, login_required

from belong.services import regions as region_service

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


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for it at the root whatever the page links (belong/static/favicon.*)."""
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )
