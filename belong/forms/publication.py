"""The publication settings form: logo, accent colour, imprint details, EU funding, signatory.
The images and the colour are checked by the rules in belong/services/publication.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from belong.forms.base import BelongForm
from belong.services import publication
from belong.services.publication import LICENCES, ImageRefused


def _checked_image(field):
    """The field's upload decoded and re-encoded (None: no file chosen)."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return publication.check_image(upload.read(publication.IMAGE_MAX_BYTES + 1))
    except ImageRefused as refused:
        raise ValidationError(str(refused)) from None


class PublicationForm(BelongForm):
    logo = FileField(
        _l("Logo"),
        description=_l("PNG or JPEG, at most 800 kB and 4000 pixels on each side."),
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    accent = StringField(
        _l("Brand colour"),
        description=_l(
            "The accent colour of the documents, as # and six hexadecimal digits, e.g. #1d5a8c. "
            "It must be dark enough for white text on it and for headings on white paper."
        ),
        validators=[Length(max=7)],
    )
    publisher = StringField(
        _l("Publisher"),
        description=_l("The body that publishes the strategy, as named in the imprint."),
        validators=[Length(max=200)],
    )
    contact = TextAreaField(
        _l("Address and contact"),
        description=_l("Postal address, e-mail or telephone, as printed in the imprint."),
        validators=[Length(max=1000)],
    )
    licence = SelectField(
        _l("Licence"),
        choices=[
            SelectChoice("", _l("Not stated")),
            *(SelectChoice(code, label) for code, label in LICENCES.items()),
        ],
        validate_choice=True,
    )
    eu_funded = BooleanField(_l("European Union funds paid for this work"))
    eu_statement = TextAreaField(
        _l("EU funding statement"),
        description=_l("As your grant agreement requires, e.g. “Co-funded by the European Union.”"),
        validators=[Length(max=1000)],
    )
    emblem = FileField(
        _l("EU emblem"),
        description=_l("The emblem file your grant agreement provides: PNG or JPEG."),
    )
    remove_emblem = BooleanField(_l("Remove the emblem"))
    signatory_name = StringField(
        _l("Signatory of the foreword"),
        description=_l("The name printed under the foreword."),
        validators=[Length(max=200)],
    )
    signatory_title = StringField(
        _l("Title of the signatory"),
        description=_l("E.g. Minister for Social Affairs."),
        validators=[Length(max=200)],
    )

    checked_logo = None
    checked_emblem = None

    def validate_logo(self, field):
        self.checked_logo = _checked_image(field)

    def validate_emblem(self, field):
        self.checked_emblem = _checked_image(field)

    def validate_accent(self, field):
        value = (field.data or "").strip()
        field.data = value.lower()
        if value:
            problem = publication.colour_problem(value)
            if problem:
                raise ValidationError(problem)

    def validate_eu_statement(self, field):
        if self.eu_funded.data and not (field.data or "").strip():
            raise ValidationError(
                _l("Give the funding statement, or untick that EU funds paid for the work.")
            )

    def values(self) -> dict:
        return {
            "accent": self.accent.data or "",
            "publisher": self.publisher.data or "",
            "contact": self.contact.data or "",
            "licence": self.licence.data or "",
            "eu_funded": bool(self.eu_funded.data),
            "eu_statement": (self.eu_statement.data or "") if self.eu_funded.data else "",
            "signatory_name": self.signatory_name.data or "",
            "signatory_title": self.signatory_title.data or "",
        }
