"""The form that records the political adoption of a released version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from belong.forms.base import BelongForm


class AdoptionForm(BelongForm):
    body = StringField(
        _l("Adopting body"),
        description=_l("The body that adopted the strategy, e.g. the Regional Government."),
        validators=[DataRequired(message=_l("Name the body that adopted it.")), Length(max=200)],
    )
    adopted_on = DateField(
        _l("Date of the decision"),
        validators=[InputRequired(message=_l("Give the date of the decision."))],
    )
    reference = StringField(
        _l("Decision reference"),
        description=_l("As in the official register, e.g. Resolution 1187/2027."),
        validators=[
            DataRequired(message=_l("Give the reference of the decision.")),
            Length(max=120),
        ],
    )
    # Set by the confirmation page: the first post shows what will be recorded.
    confirmed = HiddenField()
