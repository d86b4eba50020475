"""A refused security token or an ended sign-in never drops the text being typed."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, KeptForm, Role
from tests.conftest import PASSWORD, csrf_token, login, post_form

STEP = "/r/alpha/steps/basics"
LONG_TEXT = "A long statement typed over an hour.\n\n" + "Ünïcode ✓ مرحبا " * 200


def _loaded(client) -> dict:
    html = client.get(STEP).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **versions, "action": "save"}


def _typed(form: dict) -> dict:
    return {**form, "q_lead": "Inclusion office", "q_statement": LONG_TEXT, "q_budget": "5000"}


def _saved() -> dict:
    return {a.question_id: a.value for a in db.session.scalars(select(Answer))}


def _textarea(page: str) -> str:
    return re.search(r'<textarea[^>]*name="q_statement"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)[1]


def _unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&amp;", "&")


def test_stale_token_while_signed_in_shows_the_step_again_with_the_text(client, make, as_user):
    region = make.region("alpha")
    user = as_user(Role.EDITOR, region)
    form = _typed(_loaded(client))
    # Signing out and in again (say, in another tab) replaces the session and its token.
    client.post("/logout", data={"csrf_token": form["csrf_token"]})
    login(client, user.email)
    response = client.post(STEP, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "security token had expired" in page
    assert _unescape(_textarea(page)).rstrip() == LONG_TEXT.rstrip()
    assert 'value="Inclusion office"' in page and 'value="5000"' in page
    assert _saved() == {}  # nothing half-saved
    fresh = csrf_token(page)
    assert fresh != form["csrf_token"]
    again = dict(form, csrf_token=fresh)
    assert client.post(STEP, data=again).status_code == 302
    assert _saved()["statement"] == LONG_TEXT.rstrip()


def _sign_in_from(client, location: str, email: str):
    """Follow the redirect to the sign-in page and sign in there, as a person would."""
    assert "/login?next=" in location
    return post_form(client, location, {"email": email, "password": PASSWORD})


def test_ended_sign_in_keeps_the_text_until_signed_in_again(app, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    browser, other_device = app.test_client(), app.test_client()
    login(browser, user.email)
    form = _typed(_loaded(browser))
    # Signing out on another device ends every session of this person.
    login(other_device, user.email)
    other_device.post("/logout", data={"csrf_token": csrf_token(other_device.get(STEP).text)})
    response = browser.post(STEP, data=form)
    assert response.status_code == 302
    assert _saved() == {}
    assert db.session.query(KeptForm).count() == 1
    assert "You were signed out" in browser.get(response.headers["Location"]).text
    signed_in = _sign_in_from(browser, response.headers["Location"], user.email)
    assert signed_in.headers["Location"] == "/r/alpha/steps/basics/kept"
    page = browser.get("/r/alpha/steps/basics/kept")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Here is the text you had typed" in html
    assert _unescape(_textarea(html)).rstrip() == LONG_TEXT.rstrip()
    assert _saved() == {}  # shown to check, not saved behind the person's back
    assert db.session.query(KeptForm).count() == 0  # given back once
    again = browser.get("/r/alpha/steps/basics/kept")
    assert again.status_code == 302
    save = {**form, "csrf_token": csrf_token(html)}
    assert browser.post(STEP, data=save).status_code == 302
    assert _saved()["statement"] == LONG_TEXT.rstrip()


def test_signed_out_in_another_tab_keeps_the_text(client, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    login(client, user.email)
    form = _typed(_loaded(client))
    client.post("/logout", data={"csrf_token": form["csrf_token"]})  # the other tab
    response = client.post(STEP, data=form)  # token and sign-in both gone
    assert response.status_code == 302
    _sign_in_from(client, response.headers["Location"], user.email)
    html = client.get("/r/alpha/steps/basics/kept").get_data(as_text=True)
    assert _unescape(_textarea(html)).rstrip() == LONG_TEXT.rstrip()


def test_kept_text_comes_back_only_in_the_browser_that_typed_it(app, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    browser, stranger = app.test_client(), app.test_client()
    login(browser, user.email)
    form = _typed(_loaded(browser))
    browser.post("/logout", data={"csrf_token": form["csrf_token"]})
    assert browser.post(STEP, data=form).status_code == 302
    login(stranger, user.email)  # same account, another browser: no cookie, no text
    response = stranger.get("/r/alpha/steps/basics/kept")
    assert response.status_code == 302
    assert "Ünïcode" not in stranger.get(STEP).get_data(as_text=True)
    assert db.session.query(KeptForm).count() == 1


def test_autosave_reports_an_ended_sign_in_and_a_stale_token_in_json(app, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    client = app.test_client()
    login(client, user.email)
    form = _typed(_loaded(client))
    token = form.pop("csrf_token")
    url = STEP + "/autosave"
    client.post("/logout", data={"csrf_token": token})
    response = client.post(url, data=form, headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.json["status"] == "signed_out"
    login(client, user.email)
    response = client.post(url, data=form, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.json["status"] == "csrf"
    assert _saved() == {}
    assert db.session.query(KeptForm).count() == 0  # autosave keeps nothing server-side


def _set_cookie_names(response) -> list[str]:
    return sorted(h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie"))


def test_a_signed_out_post_says_nothing_about_which_regions_exist(app, make):
    make.region("alpha")
    form = {"q_lead": "Probe", "action": "save"}
    answers = {}
    for url in (STEP, "/r/no-such-region/steps/basics", "/r/alpha/steps/no-such-step"):
        answers[url] = app.test_client().post(url, data=form)
    shapes = {
        (
            r.status_code,
            re.sub(r"%2Fr%2F[^%]+%2Fsteps%2F[^%]+%2F", "%2Fr%2FX%2Fsteps%2FX%2F", r.location),
            tuple(_set_cookie_names(r)),
        )
        for r in answers.values()
    }
    assert len(shapes) == 1, shapes  # same status, same kind of next URL, same cookies
    assert db.session.query(KeptForm).count() == 1  # only the real step's form is kept


def test_one_address_keeps_a_bounded_number_of_signed_out_forms(app, make):
    make.region("alpha")
    app.config["KEPT_FORMS_PER_ADDRESS"] = 3
    form = {"q_statement": "x" * 1000, "action": "save"}
    for _ in range(5):
        response = app.test_client().post(STEP, data=form)
        assert response.status_code == 302
    assert db.session.query(KeptForm).count() == 3
    browser = app.test_client()
    response = browser.post(STEP, data=form)
    page = browser.get(response.location).get_data(as_text=True)
    assert "too many forms were sent from your network" in page
    app.test_client().post(STEP, data=form, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert db.session.query(KeptForm).count() == 4  # another address is not held back
