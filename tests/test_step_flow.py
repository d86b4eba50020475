"""The guided step flow: save, errors, completion, conflicts."""

from __future__ import annotations

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Record, Role
from tests.browser_form import browser_form
from tests.conftest import csrf_token

STEP = "/r/alpha/steps/basics"


def _form(client, url=STEP) -> dict:
    """The fields a browser would send back for the page as loaded."""
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_token(html), **_hidden_versions(html)}


def _hidden_versions(html: str) -> dict:
    import re

    return dict(re.findall(r'id="(v_[a-z_]+)" name="v_[a-z_]+" type="hidden" value="(\d+)"', html))


def test_editor_saves_answers_and_sees_them_again(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    data = _form(client)
    data.update(
        {
            "q_lead": "Department of Social Inclusion",
            "q_statement": "We **commit** to equality.",
            "q_budget": "250000",
            "q_start": "2026-03-01",
            "q_kind": "standalone",
            "q_levels": ["local", "regional"],
            "action": "save",
        }
    )
    response = client.post(STEP, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(STEP).get_data(as_text=True)
    assert "Department of Social Inclusion" in page
    assert "We **commit** to equality." in page
    values = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert values == {
        "lead": "Department of Social Inclusion",
        "statement": "We **commit** to equality.",
        "budget": 250000,
        "start": "2026-03-01",
        "kind": "standalone",
        "levels": ["local", "regional"],
    }
    home = client.get("/r/alpha/").get_data(as_text=True)
    assert "Completed" in home  # both required questions of step 1 are answered


def test_invalid_input_is_listed_and_nothing_is_saved(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    data = _form(client)
    data.update(
        {"q_lead": "Kept text", "q_budget": "a lot", "q_start": "31/02/2026", "action": "save"}
    )
    response = client.post(STEP, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page
    assert 'href="#q_budget"' in page and 'href="#q_start"' in page
    assert "Kept text" in page  # the user's text is shown again
    assert db.session.scalar(select(Answer)) is None


def test_save_and_continue_goes_to_the_next_step(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.COORDINATOR, region)
    data = _form(client)
    data.update({"q_lead": "Someone", "action": "continue"})
    response = client.post(STEP, data=data)
    assert response.headers["Location"].endswith("/r/alpha/steps/assess")


def test_table_rows_and_scale_are_saved(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    url = "/r/alpha/steps/assess"
    data = _form(client, url)
    data.update(
        {
            "q_public_statement-choice": "partly",
            "q_public_statement-evidence": "Council motion of 2024.",
            "q_actions-0-action": "Welcome desks",
            "q_actions-0-cost": "1200.50",
            "q_actions-0-due": "2027-01-31",
            "q_actions-0-principle": "equality",
            "q_actions-1-action": "",
            "action": "save",
        }
    )
    assert client.post(url, data=data).status_code == 302
    values = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert values["public_statement"] == {"choice": "partly", "evidence": "Council motion of 2024."}
    assert values["actions"] == [
        {"action": "Welcome desks", "cost": 1200.5, "due": "2027-01-31", "principle": "equality"}
    ]
    # A row needs its required column.
    data = _form(client, url)
    data.update({"q_actions-0-action": "Welcome desks", "q_actions-1-cost": "5", "action": "save"})
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Fill in this column, or remove the row." in response.get_data(as_text=True)


def test_second_writer_sees_a_conflict_and_keeps_their_text(client, app, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    stale = _form(client)  # loaded at version 0
    first = _form(client)
    first.update({"q_lead": "First text", "action": "save"})
    assert client.post(STEP, data=first).status_code == 302
    stale.update({"q_lead": "Second text", "action": "save"})
    response = client.post(STEP, data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "First text" in page and "Second text" in page
    assert db.session.scalar(select(Answer.value)) == "First text"
    # Saving again from the conflict page replaces the text deliberately.
    merged = {"csrf_token": csrf_token(page), **_hidden_versions(page)}
    merged.update({"q_lead": "Merged text", "action": "save"})
    assert client.post(STEP, data=merged).status_code == 302
    assert db.session.scalar(select(Answer.value)) == "Merged text"
    assert db.session.query(AnswerRevision).count() == 2


def test_save_and_add_rows_keeps_the_rows_and_offers_more(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    url = "/r/alpha/steps/assess"
    data = _form(client, url)
    data.update({"q_actions-0-action": "First", "q_actions-1-action": "Second"})
    data["action"] = "add_row:actions"
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert "add=actions" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="First"' in page and 'value="Second"' in page
    assert 'name="q_actions-6-action"' in page  # two saved rows, two blank, three added


def test_the_error_summary_names_the_row_of_each_table_error(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    url = "/r/alpha/steps/assess"
    data = _form(client, url)
    data.update(
        {
            "q_actions-0-action": "Welcome desks",
            "q_actions-1-cost": "5",  # the second row lacks its action
            "action": "save",
        }
    )
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Actions, row 2: Action – Fill in this column, or remove the row." in page
    assert "row 1: Action" not in page


def _post_loaded(client, url: str, **values):
    form = browser_form(client.get(url).get_data(as_text=True))
    for name, value in values.items():
        form[name] = value
    form["action"] = "save"
    return client.post(url, data=form)


def test_a_planning_period_that_ends_before_it_starts_is_refused(client, make, as_user):
    region = make.region("valdo", template_id="intercultural-region")
    as_user(Role.EDITOR, region)
    url = "/r/valdo/steps/mandate"
    response = _post_loaded(client, url, q_period_start="2030-01-01", q_period_end="2026-12-31")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="q_period_end-error"' in page
    assert (
        "End of the planning period – This date is before “Start of the planning period” "
        "(1 January 2030). Enter that date or a later one." in page
    )
    assert db.session.scalar(select(Answer)) is None
    ok = _post_loaded(client, url, q_period_start="2026-01-01", q_period_end="2030-12-31")
    assert ok.status_code == 302


def test_an_action_that_ends_before_it_starts_is_refused(client, make, as_user):
    region = make.region("valdo", template_id="intercultural-region")
    as_user(Role.EDITOR, region)
    url = "/r/valdo/records/action/new"
    form = {"csrf_token": csrf_token(client.get(url).get_data(as_text=True)), "action": "save"}
    form.update({"f_title": "Skills desk", "f_start": "2027-06-01", "f_end": "2026-06-01"})
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This date is before “Start” (1 June 2027)." in page
    assert db.session.scalar(select(Record)) is None
