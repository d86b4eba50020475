"""Conditional questions (show_if): the loader's checks, the one rule that decides which
questions apply, and the form, progress, document and compare that ask it."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, Role
from belong.services import documents
from belong.services.compare import compare
from belong.services.progress import StepState, step_progress
from belong.templating.conditions import applicable_questions
from belong.templating.loader import TemplateError, load_template
from belong.templating.registry import get_template
from tests.conftest import csrf_token

SAMPLE_DIR = Path(__file__).parent / "data" / "templates" / "sample"
SAMPLE = load_template(SAMPLE_DIR).definition
BASICS = SAMPLE.step("basics")
STEP = "/r/alpha/steps/basics"
FOLLOW_UP = "Plans that carry the commitments"


def _ids(values) -> list[str]:
    return [q.id for q in applicable_questions(BASICS, values)]


# --- the template file -------------------------------------------------------------------


def _load_with(tmp_path, show_if, on: str = "statement"):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, folder)
    path = folder / "template.yaml"
    data = yaml.safe_load(path.read_text())
    for question in data["steps"][0]["questions"]:
        if question["id"] == on:
            question["show_if"] = show_if
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder, lambda: load_template(folder)


@pytest.mark.parametrize(
    ("show_if", "problem"),
    [
        ({"question": "kind", "equals": "x"}, "'kind', which is a later question of this step"),
        ({"question": "nowhere", "answered": True}, "'nowhere', which is no question of this"),
        ({"question": "statement", "answered": True}, "show_if names the question itself"),
        (
            {
                "any": [
                    {"question": "lead", "answered": True},
                    {"question": "levels", "contains": "x"},
                ]
            },
            "'levels', which is a later question",
        ),
        ({"question": "lead", "equals": "a", "answered": True}, "exactly one of equals"),
        ({"question": "lead"}, "exactly one of equals"),
    ],
)
def test_the_loader_refuses_a_condition_on_an_unknown_or_later_question(tmp_path, show_if, problem):
    folder, load = _load_with(tmp_path, show_if)
    with pytest.raises(TemplateError) as caught:
        load()
    message = str(caught.value)
    assert str(folder / "template.yaml") in message
    assert "steps[0] (basics)" in message
    assert problem in message


def test_a_condition_on_an_earlier_question_loads(tmp_path):
    _folder, load = _load_with(tmp_path, {"all": [{"question": "lead", "answered": True}]})
    statement = load().definition.step("basics").question("statement")
    assert statement.show_if.all[0].question == "lead"


def test_the_shipped_template_uses_conditions(app):
    consultation = get_template("intercultural-region").definition.step("consultation")
    shown = [q.id for q in applicable_questions(consultation, {})]
    assert "responses" not in shown
    shown = [
        q.id for q in applicable_questions(consultation, {"comments_summary": "Many comments."})
    ]
    assert "responses" in shown


# --- the one rule ------------------------------------------------------------------------


def test_equals_decides_whether_the_follow_up_applies():
    assert "host_plans" not in _ids({})
    assert "host_plans" not in _ids({"kind": "standalone"})
    assert "host_plans" in _ids({"kind": "mainstreamed"})


@pytest.mark.parametrize(
    ("condition", "values", "applies"),
    [
        ({"question": "levels", "contains": "local"}, {"levels": ["local", "national"]}, True),
        ({"question": "levels", "contains": "local"}, {"levels": ["national"]}, False),
        ({"question": "kind", "is_one_of": ["standalone", "x"]}, {"kind": "standalone"}, True),
        ({"question": "kind", "is_one_of": ["x"]}, {"kind": "standalone"}, False),
        ({"question": "lead", "answered": True}, {"lead": "Someone"}, True),
        ({"question": "lead", "answered": False}, {"lead": "Someone"}, False),
        ({"question": "lead", "contains": "social"}, {"lead": "Dept. of Social Affairs"}, True),
        (
            {"all": [{"question": "lead", "answered": True}, {"question": "kind", "equals": "x"}]},
            {"lead": "A", "kind": "x"},
            True,
        ),
        (
            {"all": [{"question": "lead", "answered": True}, {"question": "kind", "equals": "x"}]},
            {"lead": "A", "kind": "y"},
            False,
        ),
        (
            {"any": [{"question": "lead", "answered": True}, {"question": "kind", "equals": "x"}]},
            {"kind": "x"},
            True,
        ),
    ],
)
def test_each_kind_of_condition(tmp_path, condition, values, applies):
    _folder, load = _load_with(tmp_path, condition, on="host_plans")
    step = load().definition.step("basics")
    assert ("host_plans" in [q.id for q in applicable_questions(step, values)]) is applies


def test_a_question_depending_on_a_hidden_one_is_hidden_too(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, folder)
    path = folder / "template.yaml"
    data = yaml.safe_load(path.read_text())
    data["steps"][0]["questions"].append(
        {
            "id": "extra",
            "type": "short_text",
            "label": "Extra",
            "show_if": {"question": "host_plans", "answered": True},
        }
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    step = load_template(folder).definition.step("basics")
    kept = {"kind": "standalone", "host_plans": "A kept answer"}
    assert "extra" not in [q.id for q in applicable_questions(step, kept)]
    shown = {**kept, "kind": "mainstreamed"}
    assert "extra" in [q.id for q in applicable_questions(step, shown)]


# --- progress ----------------------------------------------------------------------------


def test_a_hidden_required_question_is_not_missing():
    done = {"lead": "Social Inclusion", "statement": "We commit."}
    standalone = step_progress(BASICS, {**done, "kind": "standalone"})
    assert standalone.state is StepState.COMPLETED
    assert standalone.missing_required == ()
    mainstreamed = step_progress(BASICS, {**done, "kind": "mainstreamed"})
    assert mainstreamed.state is StepState.IN_PROGRESS
    assert mainstreamed.missing_required == ("host_plans",)


# --- the step form -----------------------------------------------------------------------


def _post(client, **values):
    html = client.get(STEP).get_data(as_text=True)
    versions = dict(
        re.findall(r'id="(v_[a-z_]+)" name="v_[a-z_]+" type="hidden" value="(\d+)"', html)
    )
    data = {"csrf_token": csrf_token(html), **versions, "action": "save"}
    data.update(values)
    return client.post(STEP, data=data)


def _section(page: str, qid: str) -> str:
    return re.search(rf'<section class="question" id="q-{qid}"[^>]*>', page).group(0)


def _stored() -> dict:
    return {a.question_id: a.value for a in db.session.scalars(select(Answer))}


def test_a_hidden_answer_is_kept_and_comes_back(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    page = client.get(STEP).get_data(as_text=True)
    follow_up = _section(page, "host_plans")
    assert " hidden" in follow_up  # nothing chosen yet: the follow-up is hidden
    assert "data-show-if=" in follow_up and "&#34;equals&#34;: &#34;mainstreamed&#34;" in follow_up

    response = _post(
        client,
        q_lead="Social",
        q_statement="We commit.",
        q_kind="mainstreamed",
        q_host_plans="The regional health plan",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stored()["host_plans"] == "The regional health plan"
    page = client.get(STEP).get_data(as_text=True)
    assert " hidden" not in _section(page, "host_plans")

    # the follow-up stops applying: the browser still sends its (hidden) text, or clears it
    for sent in ({"q_host_plans": "Changed while hidden"}, {"q_host_plans": ""}):
        response = _post(
            client, q_lead="Social", q_statement="We commit.", q_kind="standalone", **sent
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        assert _stored()["host_plans"] == "The regional health plan"
    page = client.get(STEP).get_data(as_text=True)
    assert " hidden" in _section(page, "host_plans")
    assert "Completed" in client.get("/r/alpha/").get_data(as_text=True)

    # it applies again: the kept answer is back in the form
    response = _post(
        client,
        q_lead="Social",
        q_statement="We commit.",
        q_kind="mainstreamed",
        q_host_plans="The regional health plan",
    )
    page = client.get(STEP).get_data(as_text=True)
    assert " hidden" not in _section(page, "host_plans")
    assert "The regional health plan" in page


def test_a_hidden_question_is_never_checked(client, make, as_user):
    """A too-long text is refused while its question applies, not while it is hidden
    (and nothing of it is saved then)."""
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    too_long = "x" * (client.application.config["MAX_ANSWER_LENGTH"] + 10)
    refused = _post(client, q_kind="mainstreamed", q_host_plans=too_long)
    assert refused.status_code == 422
    saved = _post(client, q_kind="standalone", q_host_plans=too_long)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "host_plans" not in _stored()


# --- the document and compare ------------------------------------------------------------


def test_the_document_leaves_a_hidden_question_and_its_heading_out(app, make):
    region = make.region("alpha")
    template = get_template("sample")
    common = {("basics", "host_plans"): "The regional health plan"}

    def draft(kind):
        values = {**common, ("basics", "kind"): kind}
        return documents.document_html(
            region, template, documents.Edition(documents.Purpose.DRAFT, values, None)
        )

    hidden = draft("standalone")
    assert FOLLOW_UP not in hidden and "basics--host_plans" not in hidden
    assert "The regional health plan" not in hidden
    shown = draft("mainstreamed")
    assert FOLLOW_UP in shown and "The regional health plan" in shown

    def pdf_text(html):
        pdf = documents.document_pdf(template, html)
        return " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
        )

    assert FOLLOW_UP not in pdf_text(hidden)
    assert FOLLOW_UP in pdf_text(shown)


def test_compare_leaves_out_a_question_hidden_in_both_versions():
    old = {("basics", "kind"): "standalone", ("basics", "host_plans"): "Kept text"}
    new = {("basics", "kind"): "standalone", ("basics", "host_plans"): "Other kept text"}
    basics = compare(SAMPLE, old, new)[0]
    assert "host_plans" not in [c.question.id for c in basics.questions]
    assert not basics.changed

    shown = {**new, ("basics", "kind"): "mainstreamed"}
    change = {c.question.id: c for c in compare(SAMPLE, old, shown)[0].questions}["host_plans"]
    assert change.changed
    assert str(change.old) == "" and "Other kept text" in str(change.new)


# --- check-your-answers and adopted input ------------------------------------------------


def test_check_your_answers_and_adopted_input_leave_a_hidden_question_out(client, make, as_user):
    from belong.services.answers import set_answer
    from belong.services.contributions import insertable_questions

    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    set_answer(region, "basics", "kind", "standalone", user)
    set_answer(region, "basics", "host_plans", "The regional health plan", user)
    db.session.commit()
    page = client.get("/r/alpha/versions/check").get_data(as_text=True)
    assert "Commitment statement" in page
    assert FOLLOW_UP not in page and "The regional health plan" not in page
    assert "host_plans" not in [q.id for q in insertable_questions(region, BASICS)]

    set_answer(region, "basics", "kind", "mainstreamed", user)
    db.session.commit()
    page = client.get("/r/alpha/versions/check").get_data(as_text=True)
    assert FOLLOW_UP in page and "The regional health plan" in page
    assert "host_plans" in [q.id for q in insertable_questions(region, BASICS)]
