from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from belong.extensions import db
from belong.forms.auth import LoginForm, SetPasswordForm
from belong.models.base import utcnow
from belong.services import accounts, activity
from belong.services.ratelimit import client_address, limiter
from belong.views.util import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        address = client_address()
        if limiter().blocked(form.email.data, address):
            current_app.logger.warning("login rate limit reached from %s", address)
            form.form_errors.append(
                ngettext(
                    "Too many failed attempts to sign in. Wait %(num)s minute and try "
                    "again, or choose a new password with the link below.",
                    "Too many failed attempts to sign in. Wait %(num)s minutes and try "
                    "again, or choose a new password with the link below.",
                    limiter().window // 60,
                )
            )
            response = current_app.make_response(render_template("auth/login.html", form=form))
            response.status_code = 429
            response.headers["Retry-After"] = str(limiter().window)
            return response
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            limiter().failed(form.email.data, address)
            form.form_errors.append(_("The email address or password is not right."))
        else:
            limiter().succeeded(form.email.data, address)
            session.clear()  # a new session on login
            user.last_seen_at = utcnow()
            login_user(user)
            activity.record("login", user=user)
            db.session.commit()
            current_app.logger.info("login user=%s", user.id)
            return redirect(safe_next(url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.session_version += 1  # this session id no longer loads anywhere
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    try:
        pending = accounts.token_user(token)
    except accounts.InvalidToken:
        return render_template("auth/token_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.use_token(token, form.password.data)
        except accounts.InvalidToken:
            db.session.rollback()
            return render_template("auth/token_invalid.html"), 404
        db.session.commit()
        logout_user()
        session.clear()
        login_user(user)
        if pending.purpose == "reset":
            flash(_("Your new password is set. You are signed out everywhere else."), "success")
        else:
            flash(_("Your password is set. Welcome to Belong."), "success")
        return redirect(url_for("main.index"))
    return render_template(
        "auth/set_password.html", form=form, user=pending.user, purpose=pending.purpose
    )
