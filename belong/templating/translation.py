"""Translations of a strategy template's texts, merged over its definition.

A template folder may hold `translations/<lang>.yaml`: the template's texts in another
language, keyed by the ids of the definition (ids, types, points and rules stay in the
definition). Every key must name something the definition has; anything else is an error that
names the file and the path. A text left out falls back to the definition's language.

    language: es
    same_as_source: [...]         # texts that are rightly the same as in the definition
    title: ...
    description: ...
    primer: ...
    stakeholder_categories: {<value>: <label>}
    areas: {<id>: <label>}
    records:
      <kind id>:
        label: ...
        plural: ...
        fields:
          <field id>: {label: ..., hint: ..., options: {...}, columns: {...}}   # as a question
    steps:
      <step id>:
        title: ...
        summary: ...
        guidance: ...
        prompts: [...]            # as many as the definition has, in the same order
        questions:
          <question id>:
            label: ...
            hint: ...
            options: {<value>: <label>}
            columns:
              <column id>: {label: ..., hint: ..., options: {<value>: <label>}}
    checks:
      <check id>: {title: ..., advice: ...}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FOLDER = "translations"
TOP_TEXTS = ("title", "description", "primer")
STEP_TEXTS = ("title", "summary", "guidance")
QUESTION_TEXTS = ("label", "hint", "evidence_hint")
CHECK_TEXTS = ("title", "advice")
KIND_TEXTS = ("label", "plural")


class TranslationError(Exception):
    """A translation file that cannot be used; the message names the file and the path."""


def translation_files(folder: Path) -> dict[str, Path]:
    """The translation files of a template folder, by language code."""
    directory = folder / FOLDER
    if not directory.is_dir():
        return {}
    return {p.stem: p for p in sorted(directory.glob("*.yaml"))}


def read_translation(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TranslationError(f"{path}:{where}: not valid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise TranslationError(f"{path}: (top level): expected a mapping of keys to values")
    return data


def _unshared(value: Any) -> Any:
    """A copy in which no two places share a mapping or a list. A definition shares lists
    through YAML anchors (`options: *low_medium_high`); each place is translated on its own,
    as languages word them differently ("Wpływ: Niski" but "Zainteresowanie: Niskie")."""
    if isinstance(value, dict):
        return {key: _unshared(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unshared(item) for item in value]
    return value


class _Merger:
    """Copies the texts of one translation file onto a copy of the definition's raw data."""

    def __init__(self, path: Path, base: dict[str, Any]) -> None:
        self.path = path
        self.merged = _unshared(base)
        self.problems: list[str] = []
        self.untranslated: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(where, "expected a mapping of keys to values")
            return {}
        return value

    def text(self, target: dict[str, Any], key: str, value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "expected a non-empty text")
        elif key not in target or not target[key]:
            self.fail(where, "the template has no such text to translate")
        else:
            target[key] = value

    def texts(self, target: dict, given: dict, keys: tuple[str, ...], where: str) -> None:
        for key, value in given.items():
            if key in keys:
                self.text(target, key, value, f"{where}.{key}".lstrip("."))
        for key in keys:
            if target.get(key) and key not in given:
                self.untranslated.append(f"{where}.{key}".lstrip("."))

    def labels(self, items: list[dict], given: Any, key: str, where: str) -> None:
        """`{<value or id>: <label>}` over a list of options or areas."""
        by_key = {item[key]: item for item in items or []}
        for item_key, label in self.mapping(given, where).items():
            item = by_key.get(str(item_key))
            if item is None:
                hint = " (quote keys such as 'yes' and 'no')" if isinstance(item_key, bool) else ""
                self.fail(f"{where}.{item_key}", f"the template has no such {key}{hint}")
            else:
                self.text(item, "label", label, f"{where}.{item_key}")
        done = {str(k) for k in self.mapping(given, where)} if isinstance(given, dict) else set()
        self.untranslated += [f"{where}.{k}" for k in by_key if k not in done]

    def unknown(self, given: dict, allowed: set[str], where: str) -> None:
        for key in given:
            if key not in allowed:
                self.fail(f"{where}.{key}".lstrip("."), "unknown key")

    def each(self, items: Any, given: Any, where: str, noun: str, handle) -> None:
        """The translated texts of a list of items with ids (steps, checks, record kinds and
        their fields, questions, columns): `handle(item, its texts, its path)` for each one
        given; an id the template lacks is an error; the items not given stay untranslated."""
        by_id = {item["id"]: item for item in items or []}
        given = self.mapping(given, where)
        for item_id, text in given.items():
            at = f"{where}.{item_id}"
            if item_id not in by_id:
                self.fail(at, f"the template has no such {noun}")
                continue
            handle(by_id[item_id], self.mapping(text, at), at)
        self.untranslated += [f"{where}.{i}" for i in by_id if i not in given]

    def merge(self, data: dict[str, Any]) -> None:
        allowed = {"language", "same_as_source", *TOP_TEXTS, "stakeholder_categories", "areas"}
        self.unknown(data, allowed | {"steps", "checks", "records"}, "")
        self.texts(self.merged, data, TOP_TEXTS, "")
        self.labels(
            self.merged.get("stakeholder_categories"),
            data.get("stakeholder_categories"),
            "value",
            "stakeholder_categories",
        )
        self.labels(self.merged.get("areas"), data.get("areas"), "id", "areas")
        self.each(
            self.merged.get("records"), data.get("records"), "records", "record kind", self.kind
        )
        self.each(self.merged.get("steps"), data.get("steps"), "steps", "step", self.step)
        self.each(self.merged.get("checks"), data.get("checks"), "checks", "check", self.check)

    def check(self, check: dict, given: dict, where: str) -> None:
        self.unknown(given, set(CHECK_TEXTS), where)
        self.texts(check, given, CHECK_TEXTS, where)

    def kind(self, kind: dict, given: dict, where: str) -> None:
        self.unknown(given, {*KIND_TEXTS, "fields"}, where)
        self.texts(kind, given, KIND_TEXTS, where)
        self.each(
            kind.get("fields"), given.get("fields"), f"{where}.fields", "field", self.question
        )

    def step(self, step: dict, given: dict, where: str) -> None:
        self.unknown(given, {*STEP_TEXTS, "prompts", "questions"}, where)
        self.texts(step, given, STEP_TEXTS, where)
        prompts = step.get("prompts") or []
        if "prompts" in given:
            translated = given["prompts"]
            if not isinstance(translated, list) or len(translated) != len(prompts):
                self.fail(f"{where}.prompts", f"expected a list of {len(prompts)} texts, in order")
            elif not all(isinstance(p, str) and p.strip() for p in translated):
                self.fail(f"{where}.prompts", "every prompt must be a non-empty text")
            else:
                step["prompts"] = list(translated)
        elif prompts:
            self.untranslated.append(f"{where}.prompts")
        questions = step.get("questions")
        self.each(
            questions, given.get("questions"), f"{where}.questions", "question", self.question
        )

    def question(self, item: dict, given: dict, where: str) -> None:
        self.item(item, given, where, True)

    def column(self, item: dict, given: dict, where: str) -> None:
        self.item(item, given, where, False)

    def item(self, item: dict, given: dict, where: str, is_question: bool) -> None:
        allowed = {*QUESTION_TEXTS, "options"} | ({"columns"} if is_question else set())
        self.unknown(given, allowed, where)
        self.texts(item, given, QUESTION_TEXTS, where)
        if item.get("options"):
            self.labels(item["options"], given.get("options"), "value", f"{where}.options")
        elif "options" in given:
            self.fail(f"{where}.options", "the template has no options here")
        self.each(
            item.get("columns"), given.get("columns"), f"{where}.columns", "column", self.column
        )


def text_paths(data: dict[str, Any]) -> dict[str, str]:
    """Every text of a template's raw data a translation can give, by its path in a
    translation file (prompts as `steps.<id>.prompts[<n>]`)."""
    found: dict[str, str] = {}

    def add(where: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            found[where] = value

    def labels(items: Any, key: str, where: str) -> None:
        for item in items or []:
            add(f"{where}.{item[key]}", item.get("label"))

    def item(node: dict, where: str) -> None:
        for key in QUESTION_TEXTS:
            add(f"{where}.{key}", node.get(key))
        labels(node.get("options"), "value", f"{where}.options")
        for column in node.get("columns") or []:
            item(column, f"{where}.columns.{column['id']}")

    for key in TOP_TEXTS:
        add(key, data.get(key))
    labels(data.get("stakeholder_categories"), "value", "stakeholder_categories")
    labels(data.get("areas"), "id", "areas")
    for kind in data.get("records") or []:
        where = f"records.{kind['id']}"
        for key in KIND_TEXTS:
            add(f"{where}.{key}", kind.get(key))
        for field in kind.get("fields") or []:
            item(field, f"{where}.fields.{field['id']}")
    for step in data.get("steps") or []:
        where = f"steps.{step['id']}"
        for key in STEP_TEXTS:
            add(f"{where}.{key}", step.get(key))
        for number, prompt in enumerate(step.get("prompts") or []):
            add(f"{where}.prompts[{number}]", prompt)
        for question in step.get("questions") or []:
            item(question, f"{where}.questions.{question['id']}")
    for check in data.get("checks") or []:
        for key in CHECK_TEXTS:
            add(f"checks.{check['id']}.{key}", check.get(key))
    return found


# Names every language writes alike; acronyms (AMIF, ESF+), numbers and addresses count too.
PROPER_NAMES = frozenset({"EU-BELONG"})
_WORD = re.compile(r"https?://\S+|[^\W_][\w+\-]*")


def is_neutral(text: str) -> bool:
    """A text with no word to translate: only proper names, acronyms, numbers, addresses."""
    return all(
        word in PROPER_NAMES
        or word.startswith(("http://", "https://"))
        or re.fullmatch(r"[\d.,\-]+|[A-Z][A-Z\d+\-]+", word)
        for word in _WORD.findall(text)
    )


@dataclass(frozen=True)
class Coverage:
    """How much of a template one translation covers."""

    total: int
    # Paths of texts still in the definition's language: left out, or copied unchanged
    # without being listed in `same_as_source` and without being a name or a number.
    in_source: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Rounded down, so 100 means every text."""
        return 100 if not self.total else 100 * (self.total - len(self.in_source)) // self.total


def coverage(base: dict[str, Any], merged: dict[str, Any], data: dict[str, Any]) -> Coverage:
    """Compare the texts of the definition with those of its merged translation."""
    same = {text.strip() for text in data.get("same_as_source") or []}
    source, translated = text_paths(base), text_paths(merged)
    in_source = tuple(
        where
        for where, text in source.items()
        if translated.get(where, text).strip() == text.strip()
        and text.strip() not in same
        and not is_neutral(text)
    )
    return Coverage(len(source), in_source)


def _check_same_as_source(merger: _Merger, base: dict[str, Any], data: dict[str, Any]) -> None:
    """`same_as_source` lists texts of the definition; a stale entry would hide nothing."""
    given = data.get("same_as_source")
    if given is None:
        return
    if not isinstance(given, list) or not all(isinstance(t, str) and t.strip() for t in given):
        merger.fail("same_as_source", "expected a list of non-empty texts")
        return
    texts = {text.strip() for text in text_paths(base).values()}
    for text in given:
        if text.strip() not in texts:
            merger.fail("same_as_source", f"{text!r} is not a text of the template")


def merge_translation(
    path: Path, base: dict[str, Any], data: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The definition's raw data with the translated texts, and the paths left untranslated.
    Raises TranslationError naming every unknown or ill-formed key."""
    language = path.stem
    merger = _Merger(path, base)
    if data.get("language") != language:
        merger.fail("language", f"must be {language!r}, the name of the file")
    if language == base.get("language"):
        merger.fail("language", "is the language of the definition itself")
    merger.merge(data)
    _check_same_as_source(merger, base, data)
    if merger.problems:
        raise TranslationError("\n".join(merger.problems))
    merger.merged["language"] = language
    return merger.merged, merger.untranslated
