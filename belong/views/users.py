"""The programme admin's list of people, with disabling and enabling accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from belong.access import admin_required
from belong.extensions import db
from belong.services import account_security

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _user_or_404(user_id: int):
    user = account_security.get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/")
@admin_required
def index():
    return render_template("users/index.html", users=account_security.all_users())


@bp.route("/<int:user_id>/disable", methods=["GET"])
@admin_required
def confirm_disable(user_id: int):
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("users.index"))
    return render_template("users/confirm_disable.html", user=user)


@bp.route("/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable(user_id: int):
    user = _user_or_404(user_id)
    try:
        account_security.disable_user(user, current_user._get_current_object())
    except account_security.CannotDisableSelf:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("users.index"))
    db.session.commit()
    flash(
        _("%(name)s can no longer sign in; their open sessions have ended.", name=user.name),
        "success",
    )
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable(user_id: int):
    user = _user_or_404(user_id)
    account_security.enable_user(user, current_user._get_current_object())
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("users.index"))
