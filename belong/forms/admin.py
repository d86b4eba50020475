from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Regexp

from belong.forms.base import BelongForm
from belong.forms.validators import normalised_email, not_look_alike
from belong.models import Role
from belong.services.regions import SLUG_MAX_LENGTH, SLUG_PATTERN

ROLE_LABELS = {
    Role.COORDINATOR: _l("Coordinator"),
    Role.EDITOR: _l("Editor"),
    Role.CONTRIBUTOR: _l("Contributor"),
    Role.REVIEWER: _l("Reviewer"),
}

# What each role may do, said beside the choice (belong/access.py decides it).
ROLE_HELP = {
    Role.COORDINATOR: _l(
        "Everything in this region: writes every step, invites and removes members, "
        "submits and releases versions."
    ),
    Role.EDITOR: _l(
        "Writes the answers of the steps, adopts stakeholder input and answers review "
        "comments; cannot invite people or submit versions."
    ),
    Role.CONTRIBUTOR: _l(
        "Reads the draft and gives input on the steps; never changes the answers. "
        "For stakeholders outside the team."
    ),
    Role.REVIEWER: _l("Reads the draft and the submitted versions, comments and gives a verdict."),
}


class RegionForm(BelongForm):
    name = StringField(
        _l("Region name"), [InputRequired(_l("Enter the region's name.")), Length(max=120)]
    )
    slug = StringField(
        _l("Short name for addresses"),
        [
            InputRequired(_l("Enter a short name.")),
            Length(max=SLUG_MAX_LENGTH),
            Regexp(
                SLUG_PATTERN,
                message=_l("Use lower-case letters, digits and hyphens, e.g. north-valley."),
            ),
        ],
        description=_l("Used in the region's web address; cannot be changed later."),
    )
    country = StringField(_l("Country"), [Length(max=80)])
    period = StringField(
        _l("Strategy period"), [Length(max=40)], description=_l("For example 2026-2030.")
    )
    template_id = SelectField(_l("Strategy template"))
    language = SelectField(
        _l("Language of the strategy"),
        description=_l("The template's texts and the strategy document come in this language."),
    )


class InviteForm(BelongForm):
    name = StringField(
        _l("Full name"), [InputRequired(_l("Enter the person's name.")), Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        [
            InputRequired(_l("Enter an email address.")),
            Email(_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
            not_look_alike,
        ],
        filters=[normalised_email],
    )
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        default=Role.CONTRIBUTOR.value,
    )
    organisation = StringField(_l("Organisation"), [Length(max=160)])
    category = SelectField(_l("Stakeholder category"), choices=[])


class RegionLanguageForm(BelongForm):
    """The language of a region's strategy; `confirmed` carries the language the person
    confirmed on the page that says what changes."""

    language = SelectField(
        _l("Language of the strategy"),
        description=_l("Only the languages the strategy template is available in are offered."),
    )
    confirmed = HiddenField()
