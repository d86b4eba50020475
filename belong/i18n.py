"""Interface language: the user's choice, else the browser's, among the catalogues we ship."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from belong.extensions import babel

LANGUAGES = {"en": "English"}


def select_locale() -> str:
    if not has_request_context():
        return "en"
    chosen = session.get("locale")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
