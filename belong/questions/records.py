"""Places the list of a region's records of one kind (`kind:`, declared under `records:` in
the template) in a step: the step page lists them with a few summary columns, each record is
edited on its own page (belong/views/records.py). The records live in their own table
(belong/models/record.py), so this question stores no answer of its own."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from markupsafe import Markup
from wtforms import HiddenField

from belong.questions.base import QuestionType
from belong.templating.parts import Slug


class Records(QuestionType):
    type: Literal["records"]
    kind: str = Slug

    stores_answer: ClassVar[bool] = False

    def form_field(self, max_length: int) -> Any:
        return HiddenField(self.label, description=self.hint)

    def stored_value(self, data: Any) -> Any:
        return None

    def form_value(self, value: Any) -> Any:
        return None

    def is_answered(self, value: Any) -> bool:
        # The value a records question is read with is its list of records
        # (belong/services/records.py `with_records`): answered when there is one.
        return isinstance(value, list) and bool(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        if value is None or isinstance(value, list):  # a version's frozen records
            return []
        return ["a records question holds a list of records"]

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        """One record of the kind, as a document's values carry it (its fields left empty)."""
        return [{"key": f"{self.kind}-1", "title": "", "values": {}}]

    def html(self, value: Any) -> Markup:
        """Nothing: the page and the layout list the records themselves."""
        return Markup("")

    def plain_text(self, value: Any) -> str:
        """A document's records (belong/services/records.py `snapshot`), one per line, for
        comparing two versions."""
        lines = []
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict):
                fields = "; ".join(
                    f"{k}: {v}"
                    for k, v in (item.get("values") or {}).items()
                    if v not in (None, "")
                )
                lines.append(f"{item.get('title') or item.get('key')} ({fields})")
        return "\n".join(lines)

    def readable_text(self, value: Any) -> str:
        return self.plain_text(value)
