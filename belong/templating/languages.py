"""Which languages a template exists in, offered when a region is created."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from belong.templating.loader import LoadedTemplate


def language_name(code: str) -> str:
    """A language under its own name ("español"), as its speakers look for it."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:]


def template_language_choices(templates: Iterable[LoadedTemplate]) -> list[SelectChoice]:
    codes: list[str] = []
    for template in templates:
        codes += [code for code in template.languages if code not in codes]
    return [SelectChoice(code, language_name(code)) for code in codes]


def offer_languages(form, templates: dict[str, LoadedTemplate]) -> None:
    """The choices of the form's `language` field; a form sent without one (a client that
    predates the field) gets the chosen template's own language."""
    form.language.choices = template_language_choices(templates.values())
    chosen = templates.get(form.template_id.data or "")
    if form.language.data is None:
        form.language.data = (chosen or next(iter(templates.values()))).languages[0]


def language_fits_template(form, templates: dict[str, LoadedTemplate]) -> bool:
    """The chosen template must exist in the chosen language; else an error on the field."""
    template = templates.get(form.template_id.data)
    if template is None or form.language.data in template.languages:
        return True
    form.language.errors = [
        *form.language.errors,
        _(
            "“%(template)s” is available in: %(languages)s. Choose one of these.",
            template=template.definition.title,
            languages=", ".join(language_name(code) for code in template.languages),
        ),
    ]
    return False
