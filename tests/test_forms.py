"""Step forms are built from the template: one field per question, for every type."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from belong.forms.step import build_step_form
from belong.templating.loader import load_template

SAMPLE = load_template(Path(__file__).parent / "data" / "templates" / "sample").definition
BASICS, ASSESS = SAMPLE.steps

STORED = {
    "lead": "Social Inclusion",
    "statement": "Line one\n\n- a point",
    "budget": 1500,
    "start": "2026-03-01",
    "kind": "mainstreamed",
    "host_plans": "The regional health plan",
    "levels": ["local", "national"],
    "public_statement": {"choice": "yes", "evidence": "Motion 12/2025"},
    "actions": [{"action": "Desk", "cost": 12.5, "due": "2027-01-01", "principle": "interaction"}],
}


def _form(step, values=None, formdata=None):
    return build_step_form(
        step,
        values or {},
        {},
        max_length=1000,
        formdata=MultiDict([*formdata, ("csrf_token", generate_csrf())])
        if formdata is not None
        else None,
    )


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/", method="POST"):
        yield


def test_each_type_gets_its_input(request_ctx):
    html = "".join(str(f()) for f in _form(BASICS))
    assert '<input id="q_lead" name="q_lead" type="text"' in html
    assert '<textarea id="q_statement" name="q_statement"' in html
    # a text input, so that the reader's separators (1.234.567 in Spanish) can be typed
    assert '<input id="q_budget" inputmode="decimal" name="q_budget" type="text"' in html
    assert 'name="q_start" type="date"' in html
    assert 'type="radio"' in html and 'value="standalone"' in html
    assert 'type="checkbox"' in html and 'value="national"' in html
    assess = _form(ASSESS)
    assert [o.data for o in assess["q_public_statement"].form.choice] == ["no", "partly", "yes"]
    assert "evidence" in assess["q_public_statement"].form._fields
    # a table starts with blank rows to fill, each with every column and a remove box
    rows = assess["q_actions"].entries
    assert len(rows) == 2
    assert set(rows[0].form._fields) == {"action", "cost", "due", "principle", "remove"}


def test_stored_values_come_back_into_the_form_and_out_unchanged(request_ctx):
    basics = _form(BASICS, STORED)
    assess = _form(ASSESS, STORED)
    assert basics.q_lead.data == "Social Inclusion"
    assert str(basics.q_budget.data) == "1500"
    assert basics.q_start.data.isoformat() == "2026-03-01"
    assert assess["q_actions"].entries[0].form.action.data == "Desk"
    # one existing row plus two blank ones
    assert len(assess["q_actions"].entries) == 3


def test_submitted_values_become_stored_values(request_ctx):
    form = _form(
        BASICS,
        formdata=[
            ("q_lead", "  Social Inclusion  "),
            ("q_statement", "Line one\r\n\r\n- a point\r\n"),
            ("q_budget", "1500"),
            ("q_start", "2026-03-01"),
            ("q_kind", "mainstreamed"),
            ("q_host_plans", "The regional health plan"),
            ("q_levels", "national"),
            ("q_levels", "local"),
        ],
    )
    assert form.validate(), form.errors
    values = form.values()
    assert values == {k: STORED[k] for k in values} | {"levels": ["local", "national"]}
    assess = _form(
        ASSESS,
        formdata=[
            ("q_public_statement-choice", "yes"),
            ("q_public_statement-evidence", "Motion 12/2025"),
            ("q_actions-0-action", "Desk"),
            ("q_actions-0-cost", "12.5"),
            ("q_actions-0-due", "2027-01-01"),
            ("q_actions-0-principle", "interaction"),
            ("q_actions-1-action", "Removed row"),
            ("q_actions-1-remove", "y"),
        ],
    )
    assert assess.validate(), assess.errors
    assert assess.values() == {k: STORED[k] for k in ("public_statement", "actions")}


def test_empty_form_stores_nothing(request_ctx):
    form = _form(BASICS, formdata=[])
    assert form.validate()
    assert set(form.values().values()) == {None}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("q_budget", "lots", "Enter a number in digits, such as 1,234 or 12.5."),
        ("q_budget", "-5", "Enter a number between 0 and 1,000,000,000."),
        ("q_start", "2026-02-31", "Not a valid date value"),
        ("q_kind", "other", "Choose one of the options."),
        ("q_levels", "galactic", "not a valid choice"),
        ("q_lead", "x" * 501, "the limit is 500"),
        ("q_statement", "y" * 1001, "the limit is 1,000"),
    ],
)
def test_bad_input_gets_a_message_on_its_field(request_ctx, name, value, message):
    form = _form(BASICS, formdata=[(name, value)])
    assert not form.validate()
    errors = " ".join(str(e) for e in form[name].errors)
    assert message in errors


def test_every_text_field_keeps_only_what_people_mean(request_ctx):
    """NUL and other control characters go, line and paragraph separators become newlines
    (spaces in one-line fields): in answers, scale evidence and table cells alike."""
    basics = _form(
        BASICS,
        formdata=[("q_lead", "Unit\x00 A\u2029B"), ("q_statement", "a \u2029b\r\nc\u2028d\x1b")],
    )
    assert basics.validate(), basics.errors
    assert {k: basics.values()[k] for k in ("lead", "statement")} == {
        "lead": "Unit A B",
        "statement": "a \nb\nc\nd",
    }
    assess = _form(
        ASSESS,
        formdata=[
            ("q_public_statement-choice", "yes"),
            ("q_public_statement-evidence", "Motion\x00 12 \u2029/2025"),
            ("q_actions-0-action", "De\x00sk \u2029now"),
        ],
    )
    assert assess.validate(), assess.errors
    values = assess.values()
    assert values["public_statement"]["evidence"] == "Motion 12 \n/2025"
    assert values["actions"][0]["action"] == "Desk  now"


def test_a_row_with_a_missing_required_column_is_refused(request_ctx):
    form = _form(ASSESS, formdata=[("q_actions-0-cost", "10")])
    assert not form.validate()
    assert "Fill in this column" in str(form["q_actions"].entries[0].form.action.errors)


def test_forms_are_fresh_classes(request_ctx):
    one, two = _form(BASICS), _form(BASICS)
    assert type(one) is not type(two)
    assert not hasattr(type(one).__mro__[1], "q_lead")
