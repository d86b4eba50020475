from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms.validators import ValidationError

from belong.services.accounts import mixed_scripts, normalise_email


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


def normalised_email(value):
    """A field filter: the one spelling of an address (belong.services.accounts), so that
    rate limits, look-ups and new accounts all see the same address."""
    return normalise_email(value) if isinstance(value, str) else value


def not_look_alike(form, field) -> None:
    """Refuse an address that mixes look-alike alphabets (a Cyrillic "а" among Latin
    letters): it would become a second account that passes for someone else's."""
    if isinstance(field.data, str) and mixed_scripts(field.data):
        raise ValidationError(
            _(
                "This address mixes letters of different alphabets (for example Latin and "
                "Cyrillic), so it can pass for another address. Type it again with the "
                "keyboard you normally use."
            )
        )
