"""Conditions on a whole group of a step's questions and on a record's fields: the loader's
checks, the one rule that decides what applies, and the form, validation, record page,
document, compare and exports that ask it. Answers that stop applying are kept."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pydantic import ValidationError
from pypdf import PdfReader
from sqlalchemy import select

from belong.config import ROOT
from belong.extensions import db
from belong.models import Answer, Record, Role
from belong.services import documents
from belong.services import records as record_service
from belong.services.compare import compare
from belong.services.plan_tables import csv_rows, json_data, plan_table
from belong.services.progress import step_progress
from belong.templating.conditions import applicable_fields, applicable_questions
from belong.templating.loader import load_template
from belong.templating.registry import get_template
from belong.templating.schema import RecordKind, Step
from tests.conftest import csrf_token, login

TEMPLATE = "intercultural-region"
STEP = "/r/alpha/steps/mandate"
LESSONS = "What the earlier strategy achieved and what it taught"
BREAKDOWN = "External funding breakdown"


DEFINITION = load_template(ROOT / "strategy_templates" / TEMPLATE).definition


def _definition():
    return DEFINITION


# --- the template file -------------------------------------------------------------------


def _step(groups, **extra):
    questions = [
        {"id": "has_plan", "type": "single_choice", "label": "Plan", **extra}
        | {"options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
        {"id": "plan_title", "type": "short_text", "label": "Title"},
        {"id": "plan_lessons", "type": "long_text", "label": "Lessons"},
    ]
    return Step.model_validate(
        {"id": "mandate", "title": "Mandate", "questions": questions, "groups": groups}
    )


GROUP = {"id": "earlier", "questions": ["plan_title", "plan_lessons"]}


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        (
            [GROUP | {"show_if": {"question": "plan_title", "answered": True}}],
            "group 'earlier': show_if names 'plan_title', which is a later question",
        ),
        (
            [GROUP | {"show_if": {"question": "nowhere", "answered": True}}],
            "'nowhere', which is no question of this step",
        ),
        (
            [GROUP | {"questions": ["plan_title", "nope"], "show_if": {"question": "has_plan"}}],
            "a condition on a question takes exactly one of",
        ),
        (
            [
                GROUP
                | {"questions": ["plan_title", "nope"]}
                | {"show_if": {"question": "has_plan", "equals": "yes"}}
            ],
            "group 'earlier' lists 'nope', which is no question here",
        ),
        (
            [
                GROUP | {"show_if": {"question": "has_plan", "equals": "yes"}},
                GROUP | {"id": "again", "show_if": {"question": "has_plan", "equals": "no"}},
            ],
            "group 'again': 'plan_title' is already in another group",
        ),
    ],
)
def test_the_loader_refuses_a_group_on_an_unknown_or_later_question(groups, problem):
    with pytest.raises(ValidationError) as refused:
        _step(groups)
    assert problem in str(refused.value)


def test_the_loader_refuses_a_field_condition_on_a_later_field():
    kind = {
        "id": "action",
        "label": "Action",
        "plural": "Actions",
        "title": "title",
        "fields": [
            {"id": "title", "type": "short_text", "label": "Title"},
            {
                "id": "breakdown",
                "type": "long_text",
                "label": "Breakdown",
                "show_if": {"question": "funding", "equals": "sought"},
            },
            {"id": "funding", "type": "short_text", "label": "Funding"},
        ],
    }
    with pytest.raises(ValidationError) as refused:
        RecordKind.model_validate(kind)
    assert "record kind 'action': field 'breakdown': show_if names 'funding', which is a later" in (
        str(refused.value)
    )
    kind["fields"][1]["show_if"] = {"question": "breakdown", "answered": True}
    with pytest.raises(ValidationError) as itself:
        RecordKind.model_validate(kind)
    assert "field 'breakdown': show_if names the field itself" in str(itself.value)


# --- the one rule ------------------------------------------------------------------------


def test_a_group_applies_with_its_condition_and_each_question_with_its_own_too():
    step = _step(
        [GROUP | {"show_if": {"question": "has_plan", "equals": "yes"}}],
    )
    ids = lambda values: [q.id for q in applicable_questions(step, values)]  # noqa: E731
    assert ids({}) == ["has_plan"]
    assert ids({"has_plan": "no", "plan_title": "Kept"}) == ["has_plan"]
    assert ids({"has_plan": "yes"}) == ["has_plan", "plan_title", "plan_lessons"]

    mandate = _definition().step("mandate")
    shown = [q.id for q in applicable_questions(mandate, {"previous_strategy": "has_one"})]
    assert {"previous_strategy_title", "previous_strategy_lessons"} <= set(shown)
    hidden = [q.id for q in applicable_questions(mandate, {"previous_strategy": "first"})]
    assert "previous_strategy_lessons" not in hidden and "commitment_statement" in hidden
    action = _definition().record_kind("action")
    fields = lambda values: [f.id for f in applicable_fields(action, values)]  # noqa: E731
    assert "funding_breakdown" not in fields({"external_funding": "none"})
    assert "funding_breakdown" in fields({"external_funding": "sought"})


# --- the step form -----------------------------------------------------------------------


def _post(client, url, **values):
    html = client.get(url).get_data(as_text=True)
    versions = dict(
        re.findall(r'id="(v_[a-z_]+)" name="v_[a-z_]+" type="hidden" value="(\d+)"', html)
    )
    return client.post(
        url, data={"csrf_token": csrf_token(html), **versions, "action": "save", **values}
    )


def _section(page: str, qid: str) -> str:
    return re.search(rf'<section class="question" id="q-{qid}"[^>]*>', page).group(0)


def _stored() -> dict:
    return {a.question_id: a.value for a in db.session.scalars(select(Answer))}


def test_a_hidden_group_is_never_checked_and_its_answers_are_kept(client, make):
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    page = client.get(STEP).get_data(as_text=True)
    for qid in ("previous_strategy_title", "previous_strategy_lessons"):
        assert " hidden" in _section(page, qid)  # nothing chosen yet: the group is hidden
        assert "&#34;equals&#34;: &#34;has_one&#34;" in _section(page, qid)
    assert " hidden" not in _section(page, "commitment_statement")

    too_long = "x" * (client.application.config["MAX_ANSWER_LENGTH"] + 10)
    refused = _post(client, STEP, q_previous_strategy="has_one", q_previous_strategy_title=too_long)
    assert refused.status_code == 422  # applies: checked
    saved = _post(client, STEP, q_previous_strategy="first", q_previous_strategy_title=too_long)
    assert saved.status_code == 302, saved.get_data(as_text=True)  # hidden: never checked
    assert "previous_strategy_title" not in _stored()

    lessons = "The welcome points worked."
    _post(client, STEP, q_previous_strategy="has_one", q_previous_strategy_lessons=lessons)
    assert _stored()["previous_strategy_lessons"] == lessons
    _post(client, STEP, q_previous_strategy="first", q_previous_strategy_lessons="")
    assert _stored()["previous_strategy_lessons"] == lessons  # kept while hidden
    page = client.get(STEP).get_data(as_text=True)
    assert " hidden" in _section(page, "previous_strategy_lessons")
    _post(client, STEP, q_previous_strategy="has_one", q_previous_strategy_lessons=lessons)
    page = client.get(STEP).get_data(as_text=True)
    assert " hidden" not in _section(page, "previous_strategy_lessons") and lessons in page


def test_a_required_question_of_a_hidden_group_is_not_missing():
    step = _step([GROUP | {"show_if": {"question": "has_plan", "equals": "yes"}}])
    required = step.model_copy(
        update={
            "questions": (
                step.questions[0],
                step.questions[1].model_copy(update={"required": True}),
                step.questions[2],
            )
        }
    )
    assert step_progress(required, {"has_plan": "no"}).missing_required == ()
    assert step_progress(required, {"has_plan": "yes"}).missing_required == ("plan_title",)


# --- the document and compare ------------------------------------------------------------

LESSONS_TEXT = "The welcome points reached every district."
FUNDER_TEXT = "Meridian Foundation inclusion grant"


def _values(previous: str, funding: str) -> dict:
    action = {
        "title": "Welcome desk",
        "external_funding": funding,
        "funding_breakdown": [{"funder": FUNDER_TEXT, "amount": 50000}],
    }
    return {
        ("mandate", "previous_strategy"): previous,
        ("mandate", "previous_strategy_lessons"): LESSONS_TEXT,
        ("action_plan", "action_records"): [{"key": "action-1", "values": action}],
    }


def test_the_document_leaves_a_hidden_group_and_a_hidden_field_out(app, make):
    region = make.region("alpha", TEMPLATE)
    template = get_template(TEMPLATE)

    def draft(previous, funding):
        edition = documents.Edition(documents.Purpose.DRAFT, _values(previous, funding), None)
        return documents.document_html(region, template, edition)

    hidden = draft("first", "none")
    assert LESSONS not in hidden and "mandate--previous_strategy_lessons" not in hidden
    assert LESSONS_TEXT not in hidden
    assert "Welcome desk" in hidden  # the action is there, its breakdown is not
    assert BREAKDOWN not in hidden and FUNDER_TEXT not in hidden
    shown = draft("has_one", "sought")
    assert LESSONS in shown and LESSONS_TEXT in shown
    assert BREAKDOWN in shown and FUNDER_TEXT in shown

    def pdf_text(html):
        pdf = documents.document_pdf(template, html)
        return " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
        )

    hidden_text, shown_text = pdf_text(hidden), pdf_text(shown)
    assert LESSONS_TEXT not in hidden_text and FUNDER_TEXT not in hidden_text
    assert LESSONS_TEXT in shown_text and FUNDER_TEXT in shown_text


def test_compare_leaves_out_a_group_hidden_in_both_versions():
    definition = _definition()
    old = {("mandate", "previous_strategy"): "first", ("mandate", "previous_strategy_title"): "A"}
    new = {("mandate", "previous_strategy"): "first", ("mandate", "previous_strategy_title"): "B"}
    mandate = compare(definition, old, new)[0]
    assert "previous_strategy_title" not in [c.question.id for c in mandate.questions]
    assert not mandate.changed

    shown = {**new, ("mandate", "previous_strategy"): "has_one"}
    changes = {c.question.id: c for c in compare(definition, old, shown)[0].questions}
    assert changes["previous_strategy_title"].changed
    assert str(changes["previous_strategy_title"].old) == ""
    assert "B" in str(changes["previous_strategy_title"].new)


def test_compare_leaves_out_a_record_field_that_does_not_apply():
    definition = _definition()

    def plan(funding: str, funder: str) -> dict:
        action = {"title": "Welcome desk", "external_funding": funding}
        action["funding_breakdown"] = [{"funder": funder, "amount": 50000}]
        return {("action_plan", "action_records"): [{"key": "a-1", "values": action}]}

    def records_change(old, new):
        step = next(s for s in compare(definition, old, new) if s.id == "action_plan")
        return {c.question.id: c for c in step.questions}["action_records"]

    hidden = records_change(plan("none", "Fund A"), plan("none", "Fund B"))
    assert not hidden.changed and "Fund" not in str(hidden.new)
    shown = records_change(plan("none", "Fund A"), plan("sought", "Fund B"))
    assert shown.changed and "Fund B" in str(shown.new) and "Fund A" not in str(shown.old)


# --- a record's fields ---------------------------------------------------------------------


def _record_form(client, url) -> dict:
    html = client.get(url).get_data(as_text=True)
    found = dict(re.findall(r'name="(revision)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **found}


def _action_values() -> dict:
    return db.session.scalars(select(Record.values).where(Record.kind == "action")).one()


def test_a_hidden_field_is_never_required_and_keeps_its_value(client, make):
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    new = "/r/alpha/records/action/new"
    page = client.get(new).get_data(as_text=True)
    assert " hidden" in _section(page, "funding_breakdown")
    assert 'data-conditions="f_"' in page

    # the breakdown's funder is required in each row, but not while the breakdown is hidden
    half_row = {"f_funding_breakdown-0-amount": "50000"}
    fields = {"f_title": "Welcome desk", "f_external_funding": "none", **half_row}
    added = client.post(new, data={**_record_form(client, new), **fields})
    assert added.status_code == 302, added.get_data(as_text=True)[:2000]
    assert "funding_breakdown" not in _action_values()
    key = db.session.scalars(select(Record.key)).one()
    url = f"/r/alpha/records/action/{key}"

    sought = {**fields, "f_external_funding": "sought"}
    refused = client.post(url, data={**_record_form(client, url), **sought})
    assert refused.status_code == 422  # it applies now: the row is checked
    row = {"f_funding_breakdown-0-funder": FUNDER_TEXT}
    saved = client.post(url, data={**_record_form(client, url), **sought, **row})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert _action_values()["funding_breakdown"][0]["funder"] == FUNDER_TEXT

    # no longer sought: the breakdown is hidden, and kept whatever the browser sends for it
    cleared = {**fields, "f_funding_breakdown-0-funder": "", "f_funding_breakdown-0-amount": ""}
    saved = client.post(url, data={**_record_form(client, url), **cleared})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert _action_values()["funding_breakdown"][0]["funder"] == FUNDER_TEXT
    page = client.get(url).get_data(as_text=True)
    assert " hidden" in _section(page, "funding_breakdown")

    # the record page of a reader and the action plan download leave it out
    reader = make.user(Role.REVIEWER, region)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    login(client, reader.email)
    shown = client.get(url).get_data(as_text=True)
    assert "External funding" in shown and BREAKDOWN not in shown and FUNDER_TEXT not in shown

    with client.application.test_request_context():
        table = plan_table(region, _definition(), "action-plan")
        header, rows = csv_rows(table)
        assert rows[0][header.index(BREAKDOWN)] is None
        assert json_data(region, table)["rows"][0]["cells"]["funding_breakdown"] is None
    download = client.get("/r/alpha/data/action-plan.csv").get_data(as_text=True)
    assert FUNDER_TEXT not in download
    assert BREAKDOWN in next(csv.reader(io.StringIO(download.lstrip("\ufeff")), delimiter=","))

    record_service.save_record(
        region,
        db.session.scalars(select(Record)).one(),
        {**_action_values(), "external_funding": "sought"},
        db.session.scalars(select(Record.revision)).one(),
        reader,
    )
    db.session.commit()
    assert FUNDER_TEXT in client.get(url).get_data(as_text=True)  # it applies again
