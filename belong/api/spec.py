"""The OpenAPI description, generated from the views and their pydantic models by spectree:
each API view is decorated with `api_spec.validate(...)`, which names its query model and
its responses, and checks the query (a bad one is a 422 problem)."""

from __future__ import annotations

import copy

from flask import abort
from flask_babel import gettext as _
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData

from belong.api.problems import MEDIA_TYPE, problem
from belong.api.schemas import Problem


def _problem_on_bad_query(req, resp, error, instance, model_adapter) -> None:
    if error is not None:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
        abort(problem(422, _("Check these parameters: %(names)s.", names=", ".join(fields))))


BEARER = SecuritySchemeData(type=SecureType.HTTP, scheme="bearer")
api_spec = SpecTree(
    "flask",
    mode="strict",  # only the API's views, not the pages
    title="Belong API",
    version="1",
    description=(
        "Read-only access to the regions a person may see in Belong: progress, steps and "
        "answers, versions and their PDFs. Authenticate with a personal access token, made on "
        "the account page: `Authorization: Bearer <token>`. Errors are RFC 9457 problem "
        "details. Links in responses are paths on this server."
    ),
    security_schemes=[
        SecurityScheme(name="token", data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer"))
    ],
    security={"token": []},
    before=_problem_on_bad_query,
    validation_error_model=Problem,
    page_templates={},
    naming_strategy=lambda model: model.__name__,
)


def responses(*codes: str, **ok) -> Response:
    """`codes` without a JSON body (e.g. "HTTP_200" of a PDF), `ok` with one (HTTP_200=Model),
    and the problems every authenticated API view can answer."""
    problems = {f"HTTP_{status}": Problem for status in (401, 403, 404, 429)}
    return Response(*codes, **problems, **ok)


PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def description() -> dict:
    """The generated description, with the media types spectree cannot state: problems are
    application/problem+json, and the PDF routes (paths ending in pdf) answer application/pdf."""
    spec = copy.deepcopy(api_spec.spec)
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                content = response.get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                if schema.get("$ref", "").endswith("/Problem"):
                    response["content"] = {MEDIA_TYPE: {"schema": schema}}
                elif status == "200" and path.endswith("pdf"):
                    response["content"] = PDF
    return spec
