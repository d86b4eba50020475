from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from belong.forms.base import BelongForm
from belong.forms.validators import normalised_email
from belong.services.accounts import MAX_PASSWORD, MIN_PASSWORD


class LoginForm(BelongForm):
    email = EmailField(
        _l("Email address"),
        [InputRequired(_l("Enter your email address."))],
        filters=[normalised_email],
    )
    password = PasswordField(_l("Password"), [InputRequired(_l("Enter your password."))])


def new_password(choose_message) -> PasswordField:
    """The new-password field: one length rule for setting, resetting and changing it."""
    return PasswordField(
        _l("New password"),
        [
            InputRequired(choose_message),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=lazy_ngettext(
                    "Use between %(min)s and %(num)s character.",
                    "Use between %(min)s and %(num)s characters.",
                    MAX_PASSWORD,
                    min=MIN_PASSWORD,
                ),
            ),
        ],
        description=_l("At least 8 characters. A short sentence is easy to remember."),
    )


def repeated_password(label, message) -> PasswordField:
    return PasswordField(
        label, [InputRequired(message), EqualTo("password", _l("The passwords differ."))]
    )


class SetPasswordForm(BelongForm):
    password = new_password(_l("Choose a password."))
    confirm = repeated_password(_l("Repeat the password"), _l("Repeat the password."))
