from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from belong.services.accounts import MAX_PASSWORD, MIN_PASSWORD


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        [InputRequired(_l("Enter your current password.")), Length(max=MAX_PASSWORD)],
    )
    password = PasswordField(
        _l("New password"),
        [
            InputRequired(_l("Choose a new password.")),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=_l(
                    "Use between %(min)s and %(max)s characters.",
                    min=MIN_PASSWORD,
                    max=MAX_PASSWORD,
                ),
            ),
        ],
        description=_l("At least 8 characters. A short sentence is easy to remember."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        [
            InputRequired(_l("Repeat the new password.")),
            EqualTo("password", _l("The passwords differ.")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        [InputRequired(_l("Enter your email address.")), Length(max=254)],
        description=_l("The address you sign in with."),
    )
