"""Was a refused form typed in this browser?

Text posted with a stale security token, or after the sign-in ended, is given back to be
saved (belong/views/recovery.py). Another site, or another page on this site, can post a
form too, without a token; it must never get its text offered back as the editor's own.

So a refused form's text is offered only when it carries a CSRF token this browser was given:
its signature is ours and its secret is the current session's, or one of the last few
sessions' secrets that this browser keeps in an HttpOnly cookie (the cookie outlives signing
out, so a tab left open across a sign-out still proves itself). Nobody else can read that
cookie or the pages holding those tokens, so nobody else can make such a post.

A refused form also never changes the session cookie: a post without a valid token cannot
sign anybody out."""

from __future__ import annotations

import hmac

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer

COOKIE = "belong_forms"  # "__Host-belong_forms" over HTTPS: no other (sub)domain can set it
SESSIONS_REMEMBERED = 5
REMEMBER_FOR = 30 * 24 * 3600  # seconds


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, left untouched on a refused form."""

    def save_session(self, app, session, response):
        if g.get("leave_session_alone"):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = _SessionInterface()
    app.after_request(_remember_session_secret)


def leave_session_alone() -> None:
    """This response changes neither the session nor this browser's remembered secrets."""
    g.leave_session_alone = True


def _cookie_name() -> str:
    return ("__Host-" if current_app.config["SESSION_COOKIE_SECURE"] else "") + COOKIE


def _cookie_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="belong-form-origin")


def _remembered() -> list[str]:
    raw = request.cookies.get(_cookie_name())
    if not raw:
        return []
    try:
        secrets = _cookie_serializer().loads(raw)
    except BadData:
        return []
    return [s for s in secrets if isinstance(s, str)] if isinstance(secrets, list) else []


def _remember_session_secret(response):
    secret = session.get("csrf_token")
    if g.get("leave_session_alone") or not isinstance(secret, str):
        return response
    remembered = _remembered()
    if secret in remembered:
        return response
    remembered = [*remembered, secret][-SESSIONS_REMEMBERED:]
    response.set_cookie(
        _cookie_name(),
        _cookie_serializer().dumps(remembered),
        max_age=REMEMBER_FOR,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response


def typed_here() -> bool:
    """Does the posted form carry a security token this browser was given (however old)?"""
    token = request.form.get("csrf_token", "")
    signer = URLSafeTimedSerializer(
        current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key,
        salt="wtf-csrf-token",
    )
    try:
        secret = signer.loads(token)
    except BadData:
        return False
    if not isinstance(secret, str):
        return False
    known = [session.get("csrf_token"), *_remembered()]
    return any(isinstance(k, str) and hmac.compare_digest(k, secret) for k in known)
