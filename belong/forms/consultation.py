"""Forms of the public consultation: opening it, a comment of the public, moderating and
answering comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from belong.forms.answer_checks import StorableText
from belong.forms.base import BelongForm
from belong.models import CommentResponse

MAX_COMMENT = 5_000
MAX_QUESTIONS = 5
MAX_QUESTION = 300


def checkboxes(label, **kwargs) -> SelectMultipleField:
    return SelectMultipleField(
        label, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), **kwargs
    )


class OpenConsultationForm(BelongForm):
    version = SelectField(_l("Version to consult on"), choices=[])
    opens_on = DateField(
        _l("Opens on"), [InputRequired(_l("Give the day the consultation opens."))]
    )
    closes_on = DateField(
        _l("Closes on"),
        [InputRequired(_l("Give the day the consultation closes."))],
        description=_l("Comments are taken until the end of this day."),
    )
    introduction = TextAreaField(
        _l("Introduction"),
        [
            DataRequired(_l("Write a few lines that tell the public what you ask them.")),
            StorableText(5_000),
        ],
        description=_l("Shown at the top of the public page."),
    )
    categories = checkboxes(
        _l("Stakeholder categories offered"),
        choices=[],
        description=_l("A commenter may say which of these they belong to; it is optional."),
    )
    questions = TextAreaField(
        _l("Short general questions (optional)"),
        [StorableText(MAX_QUESTIONS * (MAX_QUESTION + 1))],
        description=_l("One question a line, at most five."),
    )
    privacy_notice = TextAreaField(
        _l("Privacy notice"),
        [DataRequired(_l("Say what is kept, for how long and who sees it.")), StorableText(5_000)],
        description=_l("What is kept, for how long, who sees it. Shown beside every comment form."),
    )
    keep_personal_data_until = DateField(
        _l("Names and organisations are erased on"),
        [InputRequired(_l("Give the day names and organisations are erased."))],
        description=_l(
            "Comments keep their text, category and answer; names and organisations go."
        ),
    )
    publish_names = BooleanField(_l("Names may be published with the comments whose senders agree"))

    def question_list(self) -> list[str]:
        return [line.strip() for line in (self.questions.data or "").splitlines() if line.strip()]

    def validate_questions(self, field) -> None:
        lines = self.question_list()
        if len(lines) > MAX_QUESTIONS:
            raise ValidationError(_l("Ask at most five questions."))
        if any(len(line) > MAX_QUESTION for line in lines):
            raise ValidationError(_l("Keep each question under 300 characters."))

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The consultation cannot close before it opens."))

    def validate_keep_personal_data_until(self, field) -> None:
        if self.closes_on.data and field.data and field.data < self.closes_on.data:
            raise ValidationError(
                _l("Names are needed until the consultation closes; choose a later day.")
            )


class PublicCommentForm(BelongForm):
    body = TextAreaField(
        _l("Your comment"),
        [DataRequired(_l("Write your comment before sending it.")), StorableText(MAX_COMMENT)],
        description=_l("Up to 5,000 characters."),
    )
    name = StringField(_l("Your name (optional)"), [StorableText(120)])
    organisation = StringField(_l("Your organisation (optional)"), [StorableText(160)])
    category = SelectField(_l("You are writing as (optional)"), choices=[], default="")
    consent = BooleanField(_l("The team may publish my comment on this page"))
    # Left empty by people; programs that fill in every field fill it in.
    website = StringField(_l("Leave this field empty"))

    def set_categories(self, options: list[tuple[str, str]]) -> None:
        self.category.choices = [SelectChoice("", _l("I prefer not to say"))] + [
            SelectChoice(value, label) for value, label in options
        ]


class HideForm(BelongForm):
    reason = TextAreaField(
        _l("Why it is hidden"),
        [DataRequired(_l("Say why the comment is hidden.")), StorableText(2_000)],
    )


RESPONSES = [
    SelectChoice(CommentResponse.ADOPTED.value, _l("Adopted: the draft was changed")),
    SelectChoice(CommentResponse.NOTED.value, _l("Noted")),
    SelectChoice(CommentResponse.DECLINED.value, _l("Declined")),
]


class AnswerForm(BelongForm):
    response = RadioField(
        _l("Answer"), choices=RESPONSES, validators=[InputRequired(_l("Choose an answer."))]
    )
    reason = TextAreaField(
        _l("Reason"),
        [
            DataRequired(_l("Give the reason; it is published with the comment.")),
            StorableText(5_000),
        ],
        description=_l("Published on the consultation page beside the comment."),
    )
    changed = checkboxes(_l("Answers of the strategy it changed"), choices=[])
