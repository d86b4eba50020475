from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from belong.forms.auth import new_password, repeated_password
from belong.forms.base import BelongForm
from belong.forms.validators import normalised_email
from belong.services.accounts import MAX_PASSWORD


class ChangePasswordForm(BelongForm):
    current = PasswordField(
        _l("Current password"),
        [InputRequired(_l("Enter your current password.")), Length(max=MAX_PASSWORD)],
    )
    password = new_password(_l("Choose a new password."))
    confirm = repeated_password(_l("Repeat the new password"), _l("Repeat the new password."))


class ForgotPasswordForm(BelongForm):
    email = EmailField(
        _l("Email address"),
        [InputRequired(_l("Enter your email address.")), Length(max=254)],
        description=_l("The address you sign in with."),
        filters=[normalised_email],
    )
