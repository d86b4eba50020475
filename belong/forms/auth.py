from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from belong.services.accounts import MAX_PASSWORD, MIN_PASSWORD


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), [InputRequired(_l("Enter your email address."))])
    password = PasswordField(_l("Password"), [InputRequired(_l("Enter your password."))])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        [
            InputRequired(_l("Choose a password.")),
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
        _l("Repeat the password"),
        [
            InputRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The passwords differ.")),
        ],
    )
