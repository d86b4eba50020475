"""`import-region` checks the whole file before writing anything: the region form's short-name
rule, the template's languages, the step form's answer limits, the invitation form's e-mail
rule and the recorded SHA-256 of every PDF. A refused file leaves the database untouched."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import (
    Answer,
    AnswerRevision,
    DraftVersion,
    Membership,
    Region,
    Role,
    User,
)
from belong.services import answers as answer_service
from belong.services import region_export

COUNTED = (Region, User, Membership, Answer, AnswerRevision, DraftVersion)


def _counts() -> dict[str, int]:
    db.session.expire_all()
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


@pytest.fixture
def export(app, make) -> dict:
    """Region alpha exported with answers, a history and a submitted version, renamed to
    beta so that the file as it is would import."""
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    answer_service.set_answer(region, "basics", "lead", "Inclusion office", coordinator)
    answer_service.set_answer(region, "basics", "statement", "We commit.", coordinator)
    answer_service.set_answer(region, "assess", "actions", [{"action": "Desks"}], coordinator)
    db.session.commit()
    make.version(region, coordinator)
    data = json.loads(region_export.to_json(region_export.export_region(region)))
    data["region"]["slug"] = "beta"
    return data


def _import(runner, tmp_path, data: dict):
    path = tmp_path / "region.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return runner.invoke(args=["import-region", str(path)])


def _answer_index(data: dict, question_id: str) -> int:
    return next(
        i for i, a in enumerate(data["tables"]["answers"]) if a["question_id"] == question_id
    )


def test_the_unchanged_export_imports(app, runner, tmp_path, export):
    """The cases below fail only for what they change."""
    before = _counts()
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 0, result.output
    assert _counts()["Region"] == before["Region"] + 1
    assert _counts()["DraftVersion"] == before["DraftVersion"] + 1


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("beta\r\n", "region.slug 'beta\\r\\n': holds a line break or control character"),
        ("beta\n", "region.slug 'beta\\n': holds a line break or control character"),
        ("../../admin", "region.slug '../../admin': Use lower-case letters, digits and hyphens"),
        ("", "region.slug '': Enter a short name."),
        ("   ", "region.slug '   ': Use lower-case letters, digits and hyphens"),
        ("north valley", "region.slug 'north valley': Use lower-case letters"),
        (None, "region.slug: None is not text"),
        ("a" * 61, "Field cannot be longer than 60 characters."),
    ],
)
def test_a_short_name_the_region_form_refuses_is_refused(
    app, runner, tmp_path, export, slug, message
):
    before = _counts()
    export["region"]["slug"] = slug
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert "nothing imported" in result.output and message in result.output
    assert _counts() == before


def test_the_region_form_rule_refuses_a_trailing_line_break_too(app):
    """One rule for both: the admin form no longer lets "beta\\n" through ($ did)."""
    from werkzeug.datastructures import MultiDict

    from belong.forms.admin import RegionForm

    form = RegionForm(formdata=MultiDict({"slug": "beta\n"}), meta={"csrf": False})
    assert not form.slug.validate(form)


def test_a_name_with_a_line_break_is_kept_on_one_line(app, runner, tmp_path, export):
    """Names follow the rule of typed text (belong.text): line breaks become spaces."""
    export["region"]["name"] = "Beta\r\nInjected: header"
    export["region"]["slug"] = "beta"
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 0, result.output
    region = db.session.scalar(select(Region).where(Region.slug == "beta"))
    assert region.name == "Beta Injected: header"


def test_a_language_the_template_lacks_is_refused_naming_those_it_has(
    app, runner, tmp_path, export
):
    before = _counts()
    export["region"]["language"] = "xx"
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert "region.language 'xx': the template 'sample' is available in en" in result.output
    assert _counts() == before


def test_an_unknown_template_is_refused(app, runner, tmp_path, export):
    before = _counts()
    export["region"]["template_id"] = "nowhere"
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert "region.template_id 'nowhere': no such strategy template here" in result.output
    assert _counts() == before


def test_pdf_bytes_that_do_not_match_their_sha256_are_refused(app, runner, tmp_path, export):
    before = _counts()
    version = export["tables"]["draft_versions"][0]
    version["pdf"] = base64.b64encode(b"%PDF-1.7 something else").decode("ascii")
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert "draft_versions[0] (v1).pdf: the PDF's SHA-256 is" in result.output
    assert f"the file records {version['sha256']!r}" in result.output
    assert _counts() == before


def test_a_30_mb_answer_is_refused_with_its_place(app, runner, tmp_path, export):
    before = _counts()
    index = _answer_index(export, "statement")
    export["tables"]["answers"][index]["value"] = "x" * 30_000_000
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert (
        f'answers[{index}] (step "basics", question "statement"): '
        "30,000,000 characters, at most 50,000"
    ) in result.output
    assert _counts() == before


def test_short_texts_revisions_and_table_rows_keep_the_form_limits(app, runner, tmp_path, export):
    before = _counts()
    lead = _answer_index(export, "lead")
    actions = _answer_index(export, "actions")
    revision = next(
        i
        for i, r in enumerate(export["tables"]["answer_revisions"])
        if r["answer_id"] == export["tables"]["answers"][lead]["id"]
    )
    export["tables"]["answer_revisions"][revision]["value"] = "y" * 501
    export["tables"]["answers"][actions]["value"] = [{"action": "z" * 501}] + [
        {"action": "Desk"}
    ] * 200
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    output = result.output
    assert (
        f'answer_revisions[{revision}] (step "basics", question "lead"): '
        "501 characters, at most 500"
    ) in output
    assert (
        f'answers[{actions}] (step "assess", question "actions"): 201 rows, at most 200' in output
    )
    assert "row 1, column 'action': 501 characters, at most 500" in output
    assert _counts() == before


def test_an_invalid_email_is_refused(app, runner, tmp_path, export):
    before = _counts()
    export["people"].append({"email": "not an address", "name": "Nobody"})
    result = _import(runner, tmp_path, export)
    assert result.exit_code == 1
    assert "people[1].email 'not an address': Enter a valid email address." in result.output
    assert _counts() == before
