"""Load strategy template folders, validating each file and naming what is wrong."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from belong.templating.schema import UNKNOWN_TYPE, StrategyTemplate
from belong.templating.translation import (
    Coverage,
    TranslationError,
    coverage,
    merge_translation,
    read_translation,
    translation_files,
)

DEFINITION = "template.yaml"


class TemplateError(Exception):
    """A template file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class LoadedTemplate:
    definition: StrategyTemplate
    folder: Path
    # The definition in each language it exists in (its own and its translations).
    variants: Mapping[str, StrategyTemplate] = field(default_factory=dict)
    # Per translated language: the paths of texts still shown in the definition's language.
    untranslated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Per translated language: how many of the definition's texts it really translates.
    coverage: Mapping[str, Coverage] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.definition.id

    @cached_property
    def definition_key(self) -> str:
        """The template's id and a digest of its definition: it changes with the definition."""
        digest = hashlib.sha256(self.definition.model_dump_json().encode()).hexdigest()[:32]
        return f"{self.id}:{digest}"

    @property
    def languages(self) -> tuple[str, ...]:
        """The definition's own language first, then its translations."""
        base = next(iter(self.variants), self.definition.language)
        return (base, *sorted(lang for lang in self.variants if lang != base))

    def coverage_line(self) -> str:
        """`intercultural-region: en (source), es 100 %, pl 97 %`, for the check."""
        parts = [f"{self.languages[0]} (source)"]
        parts += [f"{lang} {self.coverage[lang].percent} %" for lang in self.languages[1:]]
        return f"{self.id}: {', '.join(parts)}"

    def in_language(self, language: str | None) -> LoadedTemplate:
        """This template with its texts in `language` (unchanged if it has no such translation)."""
        chosen = self.variants.get(language or "")
        if chosen is None or chosen is self.definition:
            return self
        return replace(self, definition=chosen)

    def own_file(self, name: str) -> Path | None:
        """The file `name` of the folder, if it really lies inside it: a link or a path that
        leads out (to /etc/passwd, to another folder) is never followed."""
        root = self.folder.resolve()
        path = (root / name).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None

    def layout_path(self) -> Path:
        return self.folder / self.definition.document.layout

    def stylesheet_path(self) -> Path:
        return self.folder / self.definition.document.stylesheet


def _location(data: object, loc: tuple) -> tuple[str, str | None]:
    """Render a pydantic error location as `steps[2] (context).questions[0] (lead)`, and
    name the question type it was checked as (the union's tag, left out of the place)."""
    parts: list[str] = []
    node = data
    kind = None
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" ({node['id']})"
            parts.append(label)
        else:
            if key in {"function-after", "function-before"} or str(key).startswith("function-"):
                continue
            if isinstance(node, dict) and key in (node.get("type"), UNKNOWN_TYPE):
                kind = key if key != UNKNOWN_TYPE else None
                continue
            parts.append(("." if parts else "") + str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)", kind


def _validated(path: Path, data: dict) -> StrategyTemplate:
    try:
        return StrategyTemplate.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            place, kind = _location(data, tuple(err["loc"]))
            message = err["msg"].removeprefix("Value error, ")
            if kind is not None and kind not in message:
                message += f" (in a {kind} question)"
            lines.append(f"{path}: {place}: {message}")
        raise TemplateError("\n".join(lines)) from exc


def _refuse_links(folder: Path) -> None:
    """A template folder holds its own files: a symbolic link could bring any file of the
    server into the preview or the PDF."""
    links = [folder] if folder.is_symlink() else []
    for parent, folders, files in os.walk(folder):  # does not descend into linked folders
        links += [p for name in sorted(folders + files) if (p := Path(parent) / name).is_symlink()]
    if links:
        raise TemplateError(
            "\n".join(
                f"{link}: a symbolic link (to {os.readlink(link)}); a template folder must "
                "hold its files themselves"
                for link in links
            )
        )


def load_template(folder: Path) -> LoadedTemplate:
    _refuse_links(folder)
    path = folder / DEFINITION
    if not path.is_file():
        raise TemplateError(f"{path}: file is missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateError(f"{path}:{where}: not valid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: (top level): expected a mapping of keys to values")
    definition = _validated(path, data)
    if definition.id != folder.name:
        raise TemplateError(
            f"{path}: id: {definition.id!r} must match the folder name {folder.name!r}"
        )
    variants, untranslated, covered = {definition.language: definition}, {}, {}
    for language, translation_path in translation_files(folder).items():
        try:
            texts = read_translation(translation_path)
            merged, missing = merge_translation(translation_path, data, texts)
        except TranslationError as exc:
            raise TemplateError(str(exc)) from exc
        variants[language] = _validated(translation_path, merged)
        untranslated[language] = tuple(missing)
        covered[language] = coverage(data, merged, texts)
    template = LoadedTemplate(definition, folder, variants, untranslated, covered)
    for needed in (template.layout_path(), template.stylesheet_path()):
        if not needed.is_file():
            raise TemplateError(f"{path}: document: {needed.name} is missing from {folder}")
    return template


def load_all(root: Path) -> dict[str, LoadedTemplate]:
    """Every template folder under root; the first broken file stops the load."""
    templates: dict[str, LoadedTemplate] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        template = load_template(folder)
        templates[template.id] = template
    if not templates:
        raise TemplateError(f"{root}: no strategy template folders found")
    return templates


def check_all(
    root: Path, further: Callable[[LoadedTemplate], list[str]] | None = None
) -> list[str]:
    """Validate every folder and collect the errors instead of stopping at the first;
    `further` checks each template that loads (the CLI renders its layout)."""
    problems: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            template = load_template(folder)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        if further is not None:
            problems += further(template)
    return problems
