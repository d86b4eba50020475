"""In-app notifications: the list with its unread count, mark read, e-mail preference,
and the mail outbox for admins in development."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update

from belong.access import admin_required
from belong.extensions import db
from belong.forms.review import MailPreferenceForm
from belong.models import Notification
from belong.models.base import utcnow
from belong.services import mail

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    notes = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == current_user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(200)
        )
    )
    form = MailPreferenceForm(data={"mode": mail.mode_of(current_user)})
    return render_template("notifications/index.html", notes=notes, form=form)


@bp.route("/<int:note_id>/read", methods=["POST"])
@login_required
def read(note_id: int):
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    if note.link.startswith("/") and not note.link.startswith("//"):
        return redirect(note.link)
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/mail", methods=["POST"])
@login_required
def mail_preference():
    form = MailPreferenceForm()
    if form.validate_on_submit():
        mail.set_mode(current_user, form.mode.data)
        db.session.commit()
        flash(_("Your e-mail preference is saved."), "success")
    else:
        flash(_("Choose how you want to receive e-mail."), "error")
    return redirect(url_for("notifications.index"))


@bp.route("/outbox")
@admin_required
def outbox():
    """Mail that would have been sent; only where no real mail leaves (development)."""
    if current_app.config["ENV_NAME"] == "production":
        abort(404)
    return render_template("notifications/outbox.html", messages=mail.outbox())
