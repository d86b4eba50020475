"""The templates loaded for this app, kept on the app (not a global), loaded at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, g, has_app_context

from belong.templating.languages import reading_language
from belong.templating.loader import LoadedTemplate, load_all

EXTENSION_KEY = "belong.templates"


# Parsed templates by folder and file state: a process that builds several apps (tests,
# workers) parses each unchanged folder once; an edited file is read again.
_LOADED: dict[tuple, dict[str, LoadedTemplate]] = {}


def _fingerprint(root: Path) -> tuple:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return (str(root.resolve()), *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def init_app(app: Flask) -> None:
    root = Path(app.config["STRATEGY_TEMPLATES_DIR"])
    key = _fingerprint(root)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_all(root)
    app.extensions[EXTENSION_KEY] = _LOADED[key]


def all_templates() -> dict[str, LoadedTemplate]:
    return current_app.extensions[EXTENSION_KEY]


def get_template(template_id: str, language: str | None = None) -> LoadedTemplate:
    """The template with its texts in `language`; by default, on a region's pages, in the
    language its reader reads it in (belong/templating/languages.py: theirs when the template
    has it, else the region's). Documents ask for the region's language themselves."""
    template = all_templates().get(template_id)
    if template is None:
        abort(404)
    if language is None and has_app_context():
        region = g.get("region")
        if region is not None and region.template_id == template_id:
            language = reading_language(template, region.language)
    return template.in_language(language)


def step_title(region, step_id: str) -> str:
    """A step's title as the current reader reads the region's template (inside
    `force_language_of(person)`: as that person does), for notifications and mail."""
    template = all_templates().get(region.template_id)
    if template is None:
        return step_id
    step = template.in_language(reading_language(template, region.language)).definition
    found = step.step(step_id)
    return found.title if found is not None else step_id
