"""Errors of the API as RFC 9457 problem details: the one place that writes them."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from belong.api.schemas import Problem

PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail)
    response = Response(json.dumps(body.model_dump()), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def details() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Send a valid API token in the Authorization header: Bearer, then the token."),
        403: _("Your role in this region does not allow reading this."),
        404: _("There is nothing here, or your token may not read it."),
        405: _("The API only reads: use GET."),
        413: _("The request is too large."),
        429: _("Too many requests. Wait a minute and try again."),
        503: _("The service is busy. Try again shortly."),
    }


def from_http(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="belong"'
    return problem(status, details().get(status, _("Something went wrong.")), headers)


def unexpected() -> Response:
    return problem(500, _("Something went wrong on our side."))
