from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from belong.forms.admin import ROLE_LABELS
from belong.forms.base import BelongForm


class MemberForm(BelongForm):
    """Change a member's role, organisation and stakeholder category."""

    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    organisation = StringField(_l("Organisation"), [Length(max=160)])
    category = SelectField(_l("Stakeholder category"), choices=[])
