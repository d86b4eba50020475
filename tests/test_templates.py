"""Strategy templates are validated when loaded; errors name the file and the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from belong.templating.loader import TemplateError, check_all, load_template

SAMPLE = Path(__file__).parent / "data" / "templates" / "sample"
REAL = Path(__file__).resolve().parent.parent / "strategy_templates"


def _copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    return folder


def _edit(folder: Path, change) -> None:
    path = folder / "template.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_shipped_templates_are_valid():
    assert check_all(REAL) == []
    template = load_template(REAL / "intercultural-region")
    assert len(template.definition.steps) == 10
    types = {q.type for s in template.definition.steps for q in s.questions}
    assert types >= {"short_text", "long_text", "number", "date", "single_choice", "scale", "table"}


def test_sample_uses_every_question_type():
    template = load_template(SAMPLE)
    types = {q.type for s in template.definition.steps for q in s.questions}
    assert types == {
        "short_text",
        "long_text",
        "number",
        "date",
        "single_choice",
        "multiple_choice",
        "scale",
        "table",
    }


@pytest.mark.parametrize(
    ("change", "place", "problem"),
    [
        (
            lambda d: d["steps"][1]["questions"][0].update(type="slider"),
            "steps[1] (assess).questions[0] (public_statement).type",
            "Input should be",
        ),
        (
            lambda d: d["steps"][0]["questions"][4].update(options=[]),
            "steps[0] (basics).questions[4] (kind)",
            "needs at least two options",
        ),
        (
            lambda d: d["steps"][0]["questions"][1].update(id=d["steps"][0]["questions"][0]["id"]),
            "steps[0] (basics)",
            "question id 'lead' is used twice",
        ),
        (
            lambda d: d["steps"][1]["questions"][1].update(columns=[]),
            "steps[1] (assess).questions[1] (actions)",
            "a table question needs columns",
        ),
        (
            lambda d: d["steps"][1]["questions"][0].update(area="nowhere"),
            "(top level)",
            "names area 'nowhere'",
        ),
        (
            lambda d: d["steps"][0]["questions"][3].update(not_before="lead"),
            "steps[0] (basics)",
            "question 'start': not_before names 'lead', which is not another date question here",
        ),
        (
            lambda d: d["steps"][1]["questions"][1]["columns"][2].update(not_before="nowhere"),
            "steps[1] (assess).questions[1] (actions)",
            "column 'due': not_before names 'nowhere'",
        ),
        (
            lambda d: d["steps"][0]["questions"][0].update(integer=True),
            "steps[0] (basics).questions[0] (lead)",
            "only a number question takes min, max or integer",
        ),
        (lambda d: d.pop("title"), "title", "Field required"),
        (
            lambda d: d["steps"][0]["questions"][0].update(colour="red"),
            "steps[0] (basics).questions[0] (lead).colour",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_a_broken_file_names_the_file_the_place_and_the_problem(tmp_path, change, place, problem):
    folder = _copy_sample(tmp_path)
    _edit(folder, change)
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    message = str(caught.value)
    assert str(folder / "template.yaml") in message
    assert place in message
    assert problem in message


def test_invalid_yaml_gives_the_line(tmp_path):
    folder = _copy_sample(tmp_path)
    (folder / "template.yaml").write_text("id: sample\nsteps: [unclosed\n")
    with pytest.raises(TemplateError, match=r"template.yaml: line 3, column 1: not valid YAML"):
        load_template(folder)


def test_a_missing_layout_is_named(tmp_path):
    folder = _copy_sample(tmp_path)
    (folder / "document.css").unlink()
    with pytest.raises(TemplateError, match=r"document\.css is missing"):
        load_template(folder)


def test_the_cli_check_reports_every_broken_template(runner, tmp_path, app):
    folder = _copy_sample(tmp_path)
    _edit(folder, lambda d: d["steps"][0]["questions"][0].update(type="slider"))
    app.config["STRATEGY_TEMPLATES_DIR"] = str(tmp_path)
    result = runner.invoke(args=["strategy-templates", "check"])
    assert result.exit_code == 1
    assert "steps[0] (basics).questions[0] (lead).type" in result.output


def test_the_cli_check_passes_on_the_shipped_templates(runner, app):
    app.config["STRATEGY_TEMPLATES_DIR"] = str(REAL)
    result = runner.invoke(args=["strategy-templates", "check"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_the_app_refuses_to_start_with_a_broken_template(tmp_path, migrated):
    from belong import create_app

    folder = _copy_sample(tmp_path)
    _edit(folder, lambda d: d.update(version=0))
    with pytest.raises(TemplateError, match="version"):
        create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": migrated,
                "STRATEGY_TEMPLATES_DIR": str(tmp_path),
            }
        )
