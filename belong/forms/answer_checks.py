"""Checks on a posted answer: a text a column can hold, a choice among the options."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms.validators import ValidationError


class StorableText:
    """Refuse texts over the limit (characters no column holds, such as NUL, are already
    taken out by the form's text filter, belong/forms/base.py)."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, form, field) -> None:
        value = field.data
        if not isinstance(value, str):
            return
        if len(value) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This text is %(length)s character long; the limit is %(limit)s. "
                    "Shorten it, or move part of it to another question.",
                    "This text is %(length)s characters long; the limit is %(limit)s. "
                    "Shorten it, or move part of it to another question.",
                    len(value),
                    length=f"{len(value):,}",
                    limit=f"{self.max_length:,}",
                )
            )


class ChoiceOf:
    """A choice must be one of the options, or left empty."""

    def __init__(self, values: set[str]) -> None:
        self.values = values

    def __call__(self, form, field) -> None:
        if field.data not in (None, "") and field.data not in self.values:
            raise ValidationError(_l("Choose one of the options."))
