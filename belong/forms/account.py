from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from belong.forms.auth import new_password, repeated_password
from belong.forms.base import BelongForm
from belong.forms.validators import normalised_email
from belong.services.accounts import MAX_PASSWORD
from belong.services.api_tokens import EXPIRY_DAYS


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


class ApiTokenForm(BelongForm):
    name = StringField(
        _l("Name"),
        [InputRequired(_l("Give the token a name.")), Length(max=80)],
        description=_l("What the token is for, e.g. the monitoring dashboard of the region."),
    )
    days = SelectField(
        _l("Expires after"),
        choices=[],
        coerce=int,
        default=90,
        validate_choice=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.days.choices = [
            (days, ngettext("%(num)s day", "%(num)s days", days)) for days in EXPIRY_DAYS
        ]
