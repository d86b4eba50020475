"""Autosave: the JSON endpoint behind autosave.js, and the page wiring it up."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Role
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"
AUTOSAVE = "/r/alpha/steps/basics/autosave"


def _loaded(client, url=STEP) -> dict:
    html = client.get(url).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **versions}


def _autosave(client, form: dict, **extra):
    token = form["csrf_token"]
    data = {k: v for k, v in form.items() if k != "csrf_token"}
    return client.post(AUTOSAVE, data={**data, **extra}, headers={"X-CSRFToken": token})


def _values() -> dict:
    return {a.question_id: a.value for a in db.session.scalars(select(Answer))}


def test_step_page_loads_the_script_and_a_live_status(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    page = client.get(STEP).get_data(as_text=True)
    assert '<script src="/static/autosave.js" defer></script>' in page
    status = re.search(r'<p class="autosave-status" id="autosave-status"[^>]*>', page)[0]
    assert 'role="status"' in status and 'aria-live="polite"' in status
    assert "data-unsaved-on-load" not in status  # a freshly loaded page holds no unsaved text
    assert f'data-url="{AUTOSAVE}"' in status
    with client.get("/static/autosave.js") as script:
        assert script.status_code == 200


def test_autosave_saves_and_returns_the_new_versions(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    form = _loaded(client)
    form["q_lead"] = "Typed so far"
    response = _autosave(client, form)
    assert response.status_code == 200
    assert response.json["status"] == "saved"
    assert response.json["saved"] == ["lead"]
    assert response.json["versions"] == {"lead": 1}
    form.update({"v_lead": "1", "q_lead": "Typed so far, and more"})
    response = _autosave(client, form)
    assert response.json["versions"] == {"lead": 2}
    assert _values() == {"lead": "Typed so far, and more"}
    assert db.session.query(AnswerRevision).count() == 2


def test_autosave_never_overwrites_newer_text_but_saves_the_rest(app, make):
    region = make.region("alpha")
    ana = make.user(Role.EDITOR, region)
    ben = make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    form_a, form_b = _loaded(a), _loaded(b)
    form_a["q_lead"] = "Ana's lead"
    assert _autosave(a, form_a).status_code == 200
    form_b.update({"q_lead": "Ben's lead", "q_statement": "Ben's statement"})
    response = _autosave(b, form_b)
    assert response.status_code == 409
    assert response.json["conflicts"] == [
        {"question": "lead", "label": "Lead department", "author": ana.name, "version": 1}
    ]
    assert response.json["saved"] == ["statement"]
    assert _values() == {"lead": "Ana's lead", "statement": "Ben's statement"}
    # The script pauses the conflicting answer; later autosaves leave it alone.
    form_b.update({"v_statement": "1", "q_statement": "Ben's statement, longer"})
    response = _autosave(b, form_b, _skip="lead")
    assert response.status_code == 200
    assert _values() == {"lead": "Ana's lead", "statement": "Ben's statement, longer"}


def test_invalid_input_is_422_with_field_messages_and_nothing_saved(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    form = _loaded(client)
    form.update({"q_lead": "Kept", "q_budget": "a lot", "q_lead_x": "ignored"})
    response = _autosave(client, form)
    assert response.status_code == 422
    assert response.json["status"] == "invalid"
    assert "q_budget" in response.json["errors"]
    assert _values() == {}


def test_table_row_errors_name_the_cell(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    url = "/r/alpha/steps/assess"
    form = _loaded(client, url)
    form.update({"q_actions-0-cost": "5"})  # a row without its required action
    token = form.pop("csrf_token")
    response = client.post(url + "/autosave", data=form, headers={"X-CSRFToken": token})
    assert response.status_code == 422
    assert "q_actions-0-action" in response.json["errors"]


def test_autosave_is_refused_without_a_token_or_edit_rights(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.CONTRIBUTOR, region)
    form = _loaded(client)
    form["q_lead"] = "Not mine to write"
    assert _autosave(client, form).status_code == 403
    no_token = {k: v for k, v in form.items() if k != "csrf_token"}
    assert client.post(AUTOSAVE, data=no_token).status_code == 400
    assert _values() == {}
