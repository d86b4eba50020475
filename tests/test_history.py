"""Conflicts between two people, the history of an answer, and restoring an earlier text."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, AuditEvent, Region, Role
from belong.services import answers
from tests.browser_form import browser_form
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"


def _loaded(client, url=STEP) -> dict:
    """The fields a browser sends back for the page as it was loaded."""
    html = client.get(url).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **versions, "action": "save"}


def _lead() -> str | None:
    return db.session.scalar(select(Answer.value).where(Answer.question_id == "lead"))


def test_two_people_save_the_same_answer_and_nothing_is_overwritten(app, make):
    region = make.region("alpha")
    ana = make.user(Role.EDITOR, region)
    ben = make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    form_a, form_b = _loaded(a), _loaded(b)  # both load version 0
    form_a["q_lead"] = "Ana's department"
    assert a.post(STEP, data=form_a).status_code == 302
    form_b["q_lead"] = "Ben's department"
    response = b.post(STEP, data=form_b)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this step" in page
    assert "Ben&#39;s department" in page  # Ben's own text, in the form and the comparison
    assert "Ana&#39;s department" in page  # the newer text...
    assert f"saved by {ana.name}" in page  # ...and who wrote it
    assert _lead() == "Ana's department"
    assert db.session.query(AnswerRevision).count() == 1


def test_people_editing_different_questions_do_not_collide(app, make):
    region = make.region("alpha")
    ana = make.user(Role.EDITOR, region)
    ben = make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    first = _loaded(a)
    first["q_lead"] = "Lead v1"
    assert a.post(STEP, data=first).status_code == 302
    form_a, form_b = _loaded(a), _loaded(b)  # both see "Lead v1"
    form_a.update({"q_lead": "Lead v2"})
    assert a.post(STEP, data=form_a).status_code == 302
    form_b.update({"q_lead": "Lead v1", "q_statement": "Ben's statement"})
    assert b.post(STEP, data=form_b).status_code == 302  # Ben never touched the lead
    values = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert values == {"lead": "Lead v2", "statement": "Ben's statement"}


def _save(client, text: str) -> None:
    form = _loaded(client)
    form["q_lead"] = text
    assert client.post(STEP, data=form).status_code == 302


def test_history_lists_every_saved_text_with_who_and_when(client, make, as_user):
    region = make.region("alpha")
    user = as_user(Role.EDITOR, region)
    for text in ("First", "Second", "Third"):
        _save(client, text)
    step = client.get(STEP).get_data(as_text=True)
    assert 'href="/r/alpha/steps/basics/lead/history"' in step
    response = client.get("/r/alpha/steps/basics/lead/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("Third") < page.index("Second") < page.index("First")  # newest first
    assert page.count(f"Saved by {user.name}") == 3
    assert "Version 3" in page and "current" in page


def test_restore_asks_first_then_saves_the_old_text_as_a_new_version(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    _save(client, "Good text")
    _save(client, "Accidental text")
    first = db.session.scalar(select(AnswerRevision).where(AnswerRevision.version == 1))
    url = f"/r/alpha/steps/basics/lead/history/{first.id}/restore"
    confirm = client.get(url)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Good text" in page and "Accidental text" in page
    assert _lead() == "Accidental text"  # asking changes nothing
    response = client.post(url, data={"csrf_token": csrf_token(page), "base_version": "2"})
    assert response.status_code == 302
    assert _lead() == "Good text"
    versions = db.session.scalars(select(AnswerRevision.version).order_by(AnswerRevision.version))
    assert list(versions) == [1, 2, 3]  # nothing rewritten, one more save
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_restored"))
    assert "is the current answer again" in client.get(STEP).get_data(as_text=True)


def test_restore_from_a_stale_page_is_refused_and_shows_the_newer_text(app, make):
    region = make.region("alpha")
    ana = make.user(Role.EDITOR, region)
    ben = make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    _save(a, "Old text")
    _save(a, "Current text")
    first = db.session.scalar(select(AnswerRevision).where(AnswerRevision.version == 1))
    url = f"/r/alpha/steps/basics/lead/history/{first.id}/restore"
    token = csrf_token(a.get(url).get_data(as_text=True))  # Ana looks at version 2
    _save(b, "Ben's newest text")  # meanwhile Ben saves version 3
    response = a.post(url, data={"csrf_token": token, "base_version": "2"})
    assert response.status_code == 409
    assert "Ben&#39;s newest text" in response.get_data(as_text=True)
    assert _lead() == "Ben's newest text"


def test_restore_needs_edit_rights(app, make):
    region = make.region("alpha")
    editor = make.user(Role.EDITOR, region)
    contributor = make.user(Role.CONTRIBUTOR, region)
    writer, reader = app.test_client(), app.test_client()
    login(writer, editor.email)
    login(reader, contributor.email)
    _save(writer, "One")
    _save(writer, "Two")
    first = db.session.scalar(select(AnswerRevision).where(AnswerRevision.version == 1))
    url = f"/r/alpha/steps/basics/lead/history/{first.id}/restore"
    history = reader.get("/r/alpha/steps/basics/lead/history")
    assert history.status_code == 200  # a contributor may read the history...
    assert "Restore this text" not in history.get_data(as_text=True)
    token = csrf_token(history.get_data(as_text=True))
    assert reader.get(url).status_code == 403  # ...but not restore
    assert reader.post(url, data={"csrf_token": token, "base_version": "2"}).status_code == 403
    assert _lead() == "Two"


def test_history_of_another_regions_answer_is_not_found(client, make, as_user):
    make.region("alpha")
    beta = make.region("beta")
    as_user(Role.COORDINATOR, beta)
    assert client.get("/r/alpha/steps/basics/lead/history").status_code == 404
    assert client.get("/r/beta/steps/basics/nope/history").status_code == 404


def test_saving_untouched_answers_writes_no_revision(client, make, as_user):
    """Text stored before the form's rules (a trailing newline, a table row without its empty
    columns) comes back through the form slightly different; that is not a change."""
    region = make.region("alpha")
    user = as_user(Role.EDITOR, region)
    answers.set_answer(region, "basics", "statement", "We commit.\n\n", user)
    answers.set_answer(region, "basics", "budget", 1500.0, user)
    answers.set_answer(region, "assess", "actions", [{"action": "Desk", "cost": 12.5}], user)
    db.session.commit()
    revisions = db.session.query(AnswerRevision).count()
    content = db.session.get(Region, region.id).content_revision
    for url in (STEP, "/r/alpha/steps/assess"):
        form = browser_form(client.get(url).get_data(as_text=True))
        form["action"] = "save"
        assert client.post(url, data=form).status_code == 302
        assert "Nothing had changed" in client.get(url).get_data(as_text=True)
        autosaved = client.post(
            f"{url}/autosave", data=form, headers={"X-CSRFToken": form["csrf_token"]}
        )
        assert autosaved.json["saved"] == []
    assert db.session.query(AnswerRevision).count() == revisions
    assert db.session.get(Region, region.id).content_revision == content
