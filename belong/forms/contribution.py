from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from belong.forms.answer_checks import StorableText
from belong.forms.base import BelongForm
from belong.models import ContributionStatus

MAX_CONTRIBUTION = 20_000


class ContributionForm(BelongForm):
    prompt = SelectField(_l("What is your input about?"), choices=[], default="general")
    body = TextAreaField(
        _l("Your input"),
        [DataRequired(_l("Write your input before sending it.")), StorableText(MAX_CONTRIBUTION)],
        description=_l(
            "Markdown works: **bold**, *italic*, lists with -. "
            "You can edit it until the team adopts it."
        ),
    )
    show_organisation = BooleanField(
        _l("My organisation may be named in the consultation record of the strategy")
    )
    show_name = BooleanField(_l("I may be named in the consultation record as an individual"))
    version = HiddenField()

    def set_prompts(self, prompts: tuple[str, ...]) -> None:
        self.prompt.choices = [SelectChoice("general", _l("A general remark on this step"))] + [
            SelectChoice(str(i), p) for i, p in enumerate(prompts)
        ]

    def prompt_index(self) -> int | None:
        value = self.prompt.data
        return int(value) if value and value.isdigit() else None

    def seen_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None


DECISIONS = [
    SelectChoice(ContributionStatus.ADOPTED.value, _l("Adopt it into the draft")),
    SelectChoice(ContributionStatus.NOTED.value, _l("Note it")),
    SelectChoice(ContributionStatus.DECLINED.value, _l("Decline it, with a reason")),
]


class DecisionForm(BelongForm):
    decision = RadioField(
        _l("Decision"), choices=DECISIONS, validators=[InputRequired(_l("Choose a decision."))]
    )
    insert_into = SelectField(
        _l("Insert its text into an answer"),
        choices=[],
        default="",
        description=_l(
            "Only when adopting. The text is added at the end of the chosen answer, "
            "where you can then edit it."
        ),
    )
    reason = TextAreaField(
        _l("Reason"),
        [StorableText(5_000)],
        description=_l("Required when declining; the contributor sees it."),
    )
    version = HiddenField()

    def set_questions(self, questions) -> None:
        self.insert_into.choices = [SelectChoice("", _l("Do not insert"))] + [
            SelectChoice(q.id, q.label) for q in questions
        ]

    def validate_reason(self, field) -> None:
        if (
            self.decision.data == ContributionStatus.DECLINED.value
            and not (field.data or "").strip()
        ):
            raise ValidationError(_l("Say why it is declined; the contributor will see this."))

    def validate_insert_into(self, field) -> None:
        if field.data and self.decision.data != ContributionStatus.ADOPTED.value:
            raise ValidationError(_l("Text is inserted only when the input is adopted."))

    def seen_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None
