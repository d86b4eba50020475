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
    types |= {f.type for kind in template.definition.records for f in kind.fields}
    assert types == {
        "records",
        "reference",
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
            "only a number question takes min, max, integer or year",
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


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOP-SECRET-LINE {{ 6 * 7 }}")
    return secret


def test_a_symbolic_link_in_a_template_folder_is_refused_naming_it(runner, app, tmp_path):
    folder = _copy_sample(tmp_path)
    secret = _secret(tmp_path)
    (folder / "notes.html").symlink_to(secret)
    (folder / "shared").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    message = str(caught.value)
    assert f"{folder / 'notes.html'}: a symbolic link (to {secret})" in message
    assert f"{folder / 'shared'}: a symbolic link (to {secret.parent})" in message
    app.config["STRATEGY_TEMPLATES_DIR"] = str(tmp_path)
    shutil.rmtree(tmp_path / "outside")  # the check lists folders: leave only the template
    result = runner.invoke(args=["strategy-templates", "check"])
    assert result.exit_code == 1
    assert f"{folder / 'notes.html'}: a symbolic link" in result.output


def test_a_linked_layout_or_stylesheet_outside_the_folder_is_refused(tmp_path):
    folder = _copy_sample(tmp_path)
    (folder / "document.css").unlink()
    (folder / "document.css").symlink_to(_secret(tmp_path))
    with pytest.raises(TemplateError, match=r"document\.css: a symbolic link"):
        load_template(folder)
    _edit(folder, lambda d: d.update(document={"layout": "../outside/secret.txt"}))
    (folder / "document.css").unlink()
    shutil.copy(SAMPLE / "document.css", folder / "document.css")
    with pytest.raises(TemplateError, match=r"document\.layout: String should match pattern"):
        load_template(folder)


def test_a_link_put_in_after_loading_is_not_followed_into_the_preview(tmp_path, migrated):
    """Files can change under a running app: the layout loader and the stylesheet route
    resolve the real path and keep to the folder."""
    from jinja2 import TemplateNotFound

    from belong import create_app
    from belong.document.render import render_html

    folder = _copy_sample(tmp_path / "templates")
    secret = _secret(tmp_path)
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": migrated,
            "STRATEGY_TEMPLATES_DIR": str(folder.parent),
        }
    )
    client = app.test_client()
    css = client.get("/template-assets/sample/document.css")
    assert css.status_code == 200
    css.close()
    with app.app_context():
        from belong.templating.registry import get_template

        template = get_template("sample")
    (folder / "document.css").unlink()
    (folder / "document.css").symlink_to(secret)
    (folder / "document.html").unlink()
    (folder / "document.html").symlink_to(secret)
    response = client.get("/template-assets/sample/document.css")
    assert response.status_code == 404
    assert b"TOP-SECRET" not in response.data
    with app.app_context(), pytest.raises(TemplateNotFound):
        render_html(template, {}, asset_url=str)
    assert template.own_file("document.css") is None
    assert template.own_file("template.yaml") == (folder / "template.yaml").resolve()


def _check(runner, app, root: Path):
    app.config["STRATEGY_TEMPLATES_DIR"] = str(root)
    return runner.invoke(args=["strategy-templates", "check"])


def test_the_cli_check_renders_the_layout_with_nothing_answered(runner, app, tmp_path):
    folder = _copy_sample(tmp_path)
    assert _check(runner, app, tmp_path).exit_code == 0  # the sample as shipped renders
    layout = folder / "document.html"
    lines = layout.read_text().splitlines()
    lines.insert(11, "<p>{{ undefined_thing.attr.x }}</p>")  # becomes line 12
    layout.write_text("\n".join(lines))
    load_template(folder)  # the definition itself is valid: only rendering finds this
    result = _check(runner, app, tmp_path)
    assert result.exit_code == 1
    assert (
        f"{layout}:12: the layout fails to render with nothing answered (en): "
        "UndefinedError: 'undefined_thing' is undefined"
    ) in result.output
    assert "valid" not in result.output


def test_the_cli_check_renders_the_layout_with_every_question_answered(runner, app, tmp_path):
    """A filter error in a part included only for a released version with approvers."""
    folder = _copy_sample(tmp_path)
    block = folder / "_release_block.html"
    block.write_text(block.read_text().replace('approvers|join(", ")', "approvers|sum"))
    line = next(n for n, text in enumerate(block.read_text().splitlines(), 1) if "|sum" in text)
    result = _check(runner, app, tmp_path)
    assert result.exit_code == 1
    assert f"{block}:{line}: the layout fails to render with every question answered (en): " in (
        result.output
    )
    assert "TypeError" in result.output
    assert "nothing answered" not in result.output


def test_a_layout_syntax_error_is_named_by_the_check(runner, app, tmp_path):
    folder = _copy_sample(tmp_path)
    (folder / "document.html").write_text("<p>{% if draft %}never closed</p>")
    result = _check(runner, app, tmp_path)
    assert result.exit_code == 1
    assert f"{folder / 'document.html'}:1: the layout fails to render" in result.output
    assert "TemplateSyntaxError" in result.output


def test_every_question_type_gets_a_typical_value(app):
    from belong.forms.questions import is_answered
    from belong.services.layout_check import full_values

    definition = load_template(SAMPLE).definition
    values = full_values(definition)
    for step in definition.steps:
        for question in step.questions:
            assert is_answered(question, values[(step.id, question.id)]), question.id


def test_the_pdf_fetcher_does_not_follow_a_link_out_of_the_folder(tmp_path):
    """A stylesheet swapped for a link after loading: the PDF renderer refuses it."""
    from weasyprint.urls import FatalURLFetchingError

    from belong.document.render import pdf_asset_url, render_pdf_in

    folder = _copy_sample(tmp_path)
    secret = _secret(tmp_path)
    html = f'<link rel="stylesheet" href="{pdf_asset_url("document.css")}"><p>Body</p>'
    assert render_pdf_in(folder, html).startswith(b"%PDF")
    (folder / "document.css").unlink()
    (folder / "document.css").symlink_to(secret)
    refused: list[str] = []
    with pytest.raises(FatalURLFetchingError):
        render_pdf_in(folder, html, refused=refused)
    assert refused == [pdf_asset_url("document.css")]


def test_the_check_renders_a_new_regions_draft_with_its_empty_consultation_record(
    runner, app, tmp_path
):
    folder = _copy_sample(tmp_path)
    annex = folder / "_consultation_annex.html"
    annex.write_text(annex.read_text().replace("{% else %}", "{% else %}{{ nobody.here }}"))
    result = _check(runner, app, tmp_path)
    assert result.exit_code == 1
    assert f"{annex}:28: the layout fails to render with nothing answered (en): " in result.output
    assert "'nobody' is undefined" in result.output
