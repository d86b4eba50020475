"""Which languages a template exists in, offered when a region is created, and which of them
a reader reads a region's questions in."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from flask_babel import get_locale
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


def reading_language(template: LoadedTemplate, region_language: str | None) -> str | None:
    """The language a reader reads a region's questions, guidance and primer in: their
    interface language when the template has it, else the region's. The document and the
    answers stay in the region's language."""
    locale = get_locale()
    interface = locale.language if locale is not None else None
    return interface if interface in template.languages else region_language


def language_in_readers_words(code: str | None) -> str:
    """A language as the reader calls it in the interface's language ("Spanish", "hiszpański"),
    for sentences; lists use `language_name`."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or str(code)
    except (ValueError, TypeError):
        return str(code or "")


def answers_language_note(region_language: str | None) -> str | None:
    """The language a region's answers are written in, in the reader's words, when the
    reader's interface is in another language; else None."""
    locale = get_locale()
    if not region_language or locale is None or locale.language == region_language:
        return None
    return language_in_readers_words(region_language)


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
