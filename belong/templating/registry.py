"""The templates loaded for this app, kept on the app (not a global), loaded at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app

from belong.templating.loader import LoadedTemplate, load_all

EXTENSION_KEY = "belong.templates"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = load_all(Path(app.config["STRATEGY_TEMPLATES_DIR"]))


def all_templates() -> dict[str, LoadedTemplate]:
    return current_app.extensions[EXTENSION_KEY]


def get_template(template_id: str) -> LoadedTemplate:
    template = all_templates().get(template_id)
    if template is None:
        abort(404)
    return template
