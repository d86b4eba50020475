"""The question types a template may use: the YAML `type` to the class that owns it.
A new type is one module here, one macro (templates/questions/<type>.html) and one line below."""

from __future__ import annotations

from belong.questions.base import QuestionType
from belong.questions.date import Date
from belong.questions.long_text import LongText
from belong.questions.multiple_choice import MultipleChoice
from belong.questions.number import Number
from belong.questions.records import Records
from belong.questions.reference import Reference
from belong.questions.scale import Scale
from belong.questions.short_text import ShortText
from belong.questions.single_choice import SingleChoice
from belong.questions.table import Table

TYPES: dict[str, type[QuestionType]] = {
    kind.type_name(): kind
    for kind in (
        ShortText,
        LongText,
        Number,
        Date,
        SingleChoice,
        MultipleChoice,
        Scale,
        Table,
        Reference,
        Records,
    )
}
