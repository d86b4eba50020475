"""Who is asking: a personal access token in the Authorization header, never the browser's
session. The token's person becomes `current_user` for this request only, so the pages' one
access check (belong/access.py) decides for the API too; requests are counted per token
(per client address without a valid token) by the shared limiter."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from belong.access import Permission, load_region
from belong.api.problems import problem
from belong.services import api_tokens
from belong.services.ratelimit import client_address, limiter, setting

PUBLIC_ENDPOINTS = {"api.openapi"}


def _bearer_secret() -> str | None:
    kind, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" and secret.strip() else None


def _too_many():
    window = setting("API_WINDOW_SECONDS")
    return problem(
        429,
        _("Too many requests. Wait a minute and try again."),
        {"Retry-After": str(window)},
    )


def authenticate():
    """Runs before every API view: the token's person, or a problem (401, 429)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    window = setting("API_WINDOW_SECONDS")
    secret = _bearer_secret()
    token = api_tokens.authenticate(secret) if secret else None
    if token is None:
        limit = setting("API_UNAUTHENTICATED_PER_WINDOW")
        if not limiter().allow("api-anonymous", client_address(), limit, window):
            return _too_many()
        detail = (
            _("This token is not valid: it may have expired or been revoked.")
            if secret
            else _("Send a valid API token in the Authorization header: Bearer, then the token.")
        )
        return problem(401, detail, {"WWW-Authenticate": 'Bearer realm="belong"'})
    if not limiter().allow("api", str(token.id), setting("API_REQUESTS_PER_WINDOW"), window):
        return _too_many()
    # Flask-Login's current user for this request only: nothing goes into the session.
    g._login_user = token.user
    g.api_token = token
    return None


def region_read(permission: Permission = Permission.VIEW):
    """View decorator: swaps the `slug` URL argument for the region, if the token's person
    may read it (404 for outsiders, 403 for members whose role does not allow it)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, slug: str, **kwargs):
            return view(*args, region=load_region(slug, permission), **kwargs)

        return wrapped

    return decorator
