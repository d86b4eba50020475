from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from belong import form_origin
from belong.api import problems
from belong.extensions import db
from belong.views import recovery


def init_app(app: Flask) -> None:
    recovery.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        db.session.rollback()
        if problems.is_api_request():  # the API takes no forms: only GET
            return problems.problem(405, problems.details()[405])
        app.logger.warning("CSRF refused on %s: %s", request.path, error.description)
        kept = recovery.on_csrf_error()  # a step form comes back with its text, not a dead end
        if kept is not None:
            return kept
        if not form_origin.typed_here():  # not sent from this browser's page: nothing shown
            form_origin.leave_session_alone()
            return render_template("errors/csrf.html", form_data={}, refused=True), 400
        return render_template("errors/csrf.html", form_data=request.form.to_dict(flat=True)), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if problems.is_api_request():
            return problems.from_http(error)
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have permission to do this."),
            404: _("This page does not exist, or you do not have access to it."),
            405: _("This action is not available here."),
            413: _(
                "What you sent is too large to save. Nothing was saved. "
                "Go back, shorten the longest text, and save again."
            ),
            429: _("Too many attempts. Wait a minute and try again."),
        }
        message = messages.get(error.code or 500, _("Something went wrong."))
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if problems.is_api_request():
            return problems.unexpected()
        return render_template(
            "errors/error.html",
            code=500,
            message=_("Something went wrong on our side. Nothing you saved before is lost."),
        ), 500
