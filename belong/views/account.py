"""A person's own account: change the password, ask for a reset link, API access tokens."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    abort,
    copy_current_request_context,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user

from belong.extensions import db
from belong.forms.account import ApiTokenForm, ChangePasswordForm, ForgotPasswordForm
from belong.forms.base import BelongForm
from belong.services import account_security, api_tokens
from belong.services.ratelimit import limiter, setting

bp = Blueprint("account", __name__)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            account_security.change_password(user, form.current.data, form.password.data)
        except account_security.WrongPassword:
            form.current.errors.append(_("This is not your current password."))
        else:
            db.session.commit()
            login_user(user)  # this session carries on with the new session version
            flash(
                _("Your password is changed. You are signed out everywhere else."),
                "success",
            )
            return redirect(url_for("main.index"))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("account/change_password.html", form=form), status


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        response = redirect(url_for("auth.login"))
        # A few links per address and window: nobody can flood someone's mailbox.
        if limiter().allow("reset", form.email.data, setting("RESET_MAILS_PER_ADDRESS")):
            # Looking the address up, making the link and mailing it happen after the answer
            # has gone, so the answer takes as long whether or not the address has an account.
            send = partial(_send_reset_link, form.email.data)
            response.call_on_close(copy_current_request_context(send))
        else:
            current_app.logger.warning("password reset limit reached for one address")
        # The same answer whether or not the address has an account.
        flash(
            ngettext(
                "If an account uses this address, we have sent it a link to choose a new "
                "password. The link works once, for %(num)s hour.",
                "If an account uses this address, we have sent it a link to choose a new "
                "password. The link works once, for %(num)s hours.",
                account_security.reset_hours(),
            ),
            "info",
        )
        return response
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("account/forgot_password.html", form=form), status


def _send_reset_link(email: str) -> None:
    """Runs once the answer is sent: nobody waits for it, and nothing it raises reaches them."""
    try:
        issued = account_security.request_password_reset(email)
        db.session.commit()
        if issued is not None:
            user, secret = issued
            account_security.send_reset_link(user, url_for("auth.set_password", token=secret))
    except Exception:  # the answer has gone; the operator reads the log
        db.session.rollback()
        current_app.logger.exception("could not make a password reset link")


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The person's API access tokens. A new token's secret is shown in the answer to the
    form, once: never put in the session (a signed, readable cookie) nor kept in clear."""
    user = current_user._get_current_object()
    form = ApiTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            token, secret = api_tokens.create(user, form.name.data, form.days.data)
        except api_tokens.TooManyTokens as refused:
            form.name.errors.append(
                ngettext(
                    "You have %(num)s token, the most one person may have. Revoke one first.",
                    "You have %(num)s tokens, the most one person may have. Revoke one first.",
                    refused.args[0],
                )
            )
        else:
            db.session.commit()
            created = (token, secret)
            form = ApiTokenForm(formdata=None)
    status = 422 if form.is_submitted() and form.errors else 201 if created else 200
    return render_template(
        "account/tokens.html",
        form=form,
        tokens=api_tokens.tokens_of(user),
        created=created,
        is_expired=api_tokens.is_expired,
    ), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_token(token_id: int):
    """Confirm, then revoke: programs using the token lose access at once."""
    user = current_user._get_current_object()
    token = next((t for t in api_tokens.tokens_of(user) if t.id == token_id), None)
    if token is None:
        abort(404)
    form = BelongForm()
    if form.validate_on_submit():
        api_tokens.revoke(user, token.id)
        db.session.commit()
        flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
        return redirect(url_for("account.tokens"))
    return render_template("account/revoke_token.html", token=token, form=form)
