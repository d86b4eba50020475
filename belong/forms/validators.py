from flask_babel import gettext as _
from wtforms.validators import ValidationError

from belong.services.accounts import mixed_scripts, normalise_email


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
