"""Every registered question type has all its parts: a schema model whose `type` is its
registry key, its own implementation of each method of the base, and its widget macro."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
import yaml
from jinja2 import Environment, FileSystemLoader, nodes
from pydantic import BaseModel

from belong.questions.base import ABSTRACT, QuestionType
from belong.questions.registry import TYPES
from belong.questions.short_text import ShortText
from belong.questions.table import CELLS
from belong.templating.loader import TemplateError, load_template
from belong.templating.schema import StrategyTemplate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "templates" / "sample"
PAGES = Environment(
    loader=FileSystemLoader(ROOT / "templates"), extensions=["jinja2.ext.i18n"], autoescape=True
)


def missing_parts(name: str, kind: type) -> list[str]:
    """What a registered type lacks; empty when it is complete. A type a table's column may
    have also needs the macro of its input in a table row."""
    missing = []
    if not (isinstance(kind, type) and issubclass(kind, QuestionType)):
        return ["a subclass of QuestionType"]
    if not issubclass(kind, BaseModel) or kind.type_name() != name:
        missing.append(f"a schema model with type Literal[{name!r}]")
    if getattr(kind, "__abstractmethods__", None):
        missing += sorted(kind.__abstractmethods__)
    for method in ABSTRACT:
        if getattr(kind, method) is getattr(QuestionType, method):
            missing.append(f"its own {method}")
    path = ROOT / "templates" / "questions" / f"{name}.html"
    if not path.is_file():
        missing.append(f"templates/questions/{name}.html")
    else:
        tree = PAGES.parse(path.read_text(encoding="utf-8"))
        macros = {m.name: [a.name for a in m.args] for m in tree.find_all(nodes.Macro)}
        if macros.get("widget") != ["q", "f"]:
            missing.append(f"a widget(q, f) macro in templates/questions/{name}.html")
        if name in CELLS and macros.get("cell") != ["c", "field", "label"]:
            missing.append(f"a cell(c, field, label) macro in templates/questions/{name}.html")
    return missing


@pytest.mark.parametrize("name", sorted(TYPES))
def test_a_registered_type_has_every_part(name):
    assert missing_parts(name, TYPES[name]) == []


def test_the_check_names_what_a_type_lacks():
    class Slider(ShortText):  # ShortText's methods, no macro of its own
        type: Literal["slider"]

    class Half(QuestionType):
        type: Literal["half"]

        def form_field(self, max_length):
            return None

    # Registered under another type's name: its model says "slider".
    assert missing_parts("short_text", Slider) == ["a schema model with type Literal['short_text']"]
    lacking = missing_parts("half", Half)
    assert "html" in lacking and "its own html" in lacking
    assert "its own form_field" not in lacking
    assert "templates/questions/half.html" in lacking
    assert missing_parts("slider", Slider) == ["templates/questions/slider.html"]


def test_the_template_schema_is_the_union_of_the_registry():
    template = load_template(SAMPLE).definition
    seen = {type(q) for step in template.steps for q in step.questions}
    seen |= {type(f) for kind in template.records for f in kind.fields}  # record fields
    assert seen == set(TYPES.values())
    assert StrategyTemplate.model_validate(template.model_dump()) == template


def _broken(tmp_path, change) -> str:
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    path = folder / "template.yaml"
    data = yaml.safe_load(path.read_text())
    change(data["steps"][0]["questions"][0])  # basics.lead, a short_text question
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    return str(caught.value)


def test_an_option_of_another_type_names_the_type_and_the_place(tmp_path):
    message = _broken(tmp_path, lambda q: q.update(options=[{"value": "a", "label": "A"}]))
    assert "steps[0] (basics).questions[0] (lead): only a " in message
    assert "question takes options; this is a short_text question" in message


def test_an_unknown_option_names_the_type_and_the_place(tmp_path):
    message = _broken(tmp_path, lambda q: q.update(colour="red"))
    assert "steps[0] (basics).questions[0] (lead).colour: Extra inputs are not permitted" in message
    assert "(in a short_text question)" in message


def test_lower_layers_do_not_import_services_or_views():
    code = (
        "import sys, belong.templating.loader, belong.questions.registry, "
        "belong.document.display, belong.document.context, belong.models\n"
        "print(sorted(m for m in sys.modules if m.startswith(('belong.services', 'belong.views'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
