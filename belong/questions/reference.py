"""A choice among the region's existing records of one kind (`kind:`), stored as the chosen
record's key, or a list of keys with `multiple: true`: a priority, an objective or an action is
chosen where it is needed, never typed again. The choices are the records that exist when the
form is built (belong/forms/records.py sets them); the page and the document show the chosen
records' titles (belong/services/records.py resolves them)."""

from __future__ import annotations

from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from belong.questions.base import QuestionType
from belong.questions.common import is_empty, word_problem
from belong.templating.parts import Slug


class AmongChoices:
    """The posted keys name records offered in the form (checked when the form is posted,
    against the choices the form was given then)."""

    def __call__(self, form, field) -> None:
        offered = {str(choice.value) for choice in field.choices or []}
        data = field.data if isinstance(field.data, list) else [field.data]
        if any(item not in offered for item in data if item not in (None, "")):
            raise ValidationError(_l("Choose among the records listed."))


class Reference(QuestionType):
    type: Literal["reference"]
    kind: str = Slug
    multiple: bool = False

    def form_field(self, max_length: int) -> Any:
        if self.multiple:
            return SelectMultipleField(
                self.label,
                [AmongChoices()],
                choices=[],
                validate_choice=False,
                widget=ListWidget(prefix_label=False),
                option_widget=CheckboxInput(),
                description=self.hint,
            )
        return RadioField(
            self.label, [AmongChoices()], choices=[], validate_choice=False, description=self.hint
        )

    def keys(self, value: Any) -> list[str]:
        """The keys a stored value names, in order."""
        if is_empty(value):
            return []
        items = value if isinstance(value, list) else [value]
        return [str(item) for item in items if item not in (None, "")]

    def stored_value(self, data: Any) -> Any:
        if self.multiple:
            return [str(item) for item in data or [] if item] or None
        return data or None

    def form_value(self, value: Any) -> Any:
        keys = self.keys(value)
        return keys if self.multiple else (keys[0] if keys else None)

    def is_answered(self, value: Any) -> bool:
        return bool(self.keys(value))

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        if value is not None and not isinstance(value, (str, list)):
            return [f"{type(value).__name__} where a record key is expected"]
        return [p for key in self.keys(value) if (p := word_problem(key))][:1]

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return [f"{self.kind}-1"] if self.multiple else f"{self.kind}-1"

    def html(self, value: Any, titles: dict[str, str] | None = None) -> Markup:
        keys = self.keys(value)
        if not keys:
            return Markup("")
        names = [escape((titles or {}).get(key, key)) for key in keys]
        if len(names) == 1:
            return Markup(f"<p>{names[0]}</p>")  # noqa: S704 - escaped parts
        return Markup("<ul>" + "".join(f"<li>{n}</li>" for n in names) + "</ul>")  # noqa: S704

    def plain_text(self, value: Any) -> str:
        return ", ".join(self.keys(value))

    def readable_text(self, value: Any) -> str:
        return ", ".join(self.keys(value))
