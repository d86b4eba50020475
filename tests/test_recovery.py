"""A refused security token or an ended sign-in never drops the text being typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

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


class _StepForm(HTMLParser):
    """The fields the step form sends when Save is pressed, as a browser would collect them."""

    def __init__(self) -> None:
        super().__init__()
        self.action, self.fields, self._in_form = None, [], False
        self._textarea, self._select = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "step-form":
            self.action, self._in_form = a.get("action"), True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("checkbox", "radio", "submit"):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "input" and "checked" in a and a.get("type") != "submit":
            self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def _form_of(page: str) -> tuple[str, MultiDict]:
    """The step form's address and what pressing its Save button posts."""
    parser = _StepForm()
    parser.feed(page)
    assert parser.action, "the step form names no address"
    return parser.action, MultiDict([*parser.fields, ("action", "save")])


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
    assert db.session.query(KeptForm).count() == 1  # kept until it is saved
    assert browser.get("/r/alpha/steps/basics/kept").status_code == 200  # a reload shows it
    action, fields = _form_of(html)
    saved = browser.post(action, data=fields)  # Save, as the browser sends it
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    assert _saved()["statement"] == LONG_TEXT.rstrip()
    assert _saved()["lead"] == "Inclusion office"
    assert db.session.query(KeptForm).count() == 0  # saved, so no longer kept
    assert browser.get("/r/alpha/steps/basics/kept").status_code == 302


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


def _signed_out_browser(app):
    """A browser that has opened a page (so it holds a security token) and is signed out."""
    browser = app.test_client()
    return browser, csrf_token(browser.get("/login").get_data(as_text=True))


def test_a_signed_out_post_says_nothing_about_which_regions_exist(app, make):
    make.region("alpha")
    answers = {}
    for url in (STEP, "/r/no-such-region/steps/basics", "/r/alpha/steps/no-such-step"):
        browser, token = _signed_out_browser(app)
        form = {"q_lead": "Probe", "action": "save", "csrf_token": token}
        answers[url] = browser.post(url, data=form)
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
        browser, token = _signed_out_browser(app)
        response = browser.post(STEP, data={**form, "csrf_token": token})
        assert response.status_code == 302
    assert db.session.query(KeptForm).count() == 3
    browser, token = _signed_out_browser(app)
    response = browser.post(STEP, data={**form, "csrf_token": token})
    page = browser.get(response.location).get_data(as_text=True)
    assert "too many forms were sent from your network" in page
    browser, token = _signed_out_browser(app)
    browser.post(
        STEP, data={**form, "csrf_token": token}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert db.session.query(KeptForm).count() == 4  # another address is not held back


def test_a_failed_save_of_kept_text_keeps_it(app, make):
    region = make.region("alpha")
    user, colleague = make.user(Role.EDITOR, region), make.user(Role.EDITOR, region)
    browser, other = app.test_client(), app.test_client()
    login(browser, user.email)
    form = _typed(_loaded(browser))
    browser.post("/logout", data={"csrf_token": form["csrf_token"]})
    response = browser.post(STEP, data=form)
    _sign_in_from(browser, response.headers["Location"], user.email)
    login(other, colleague.email)  # meanwhile a colleague saves the same answer
    theirs = {**_loaded(other), "q_lead": "Mayor's office", "q_statement": "Theirs."}
    assert other.post(STEP, data=theirs).status_code == 302
    action, fields = _form_of(browser.get("/r/alpha/steps/basics/kept").get_data(as_text=True))
    clash = browser.post(action, data=fields)
    assert clash.status_code == 409
    assert db.session.query(KeptForm).count() == 1  # not saved, so still kept
    assert _saved()["statement"] == "Theirs."
    action, fields = _form_of(clash.get_data(as_text=True))  # save again after comparing
    assert browser.post(action, data=fields).status_code == 302
    assert _saved()["statement"] == LONG_TEXT.rstrip()
    assert db.session.query(KeptForm).count() == 0


PLANTED = "Planted by another page"


def test_a_post_without_a_token_is_refused_and_the_editor_stays_signed_in(client, make):
    """A page elsewhere on the site auto-posts step fields through the editor's browser."""
    region = make.region("alpha")
    login(client, make.user(Role.EDITOR, region).email)
    client.get(STEP)
    response = client.post(STEP, data={"q_statement": PLANTED, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert PLANTED not in page and 'id="step-form"' not in page
    assert "not sent from a page of Belong opened in this browser" in page
    assert response.headers.getlist("Set-Cookie") == []  # the session is untouched
    assert db.session.query(KeptForm).count() == 0 and _saved() == {}
    again = client.get(STEP)
    assert again.status_code == 200 and 'id="step-form"' in again.get_data(as_text=True)


def test_a_token_from_another_browser_gets_no_text_back(app, make):
    """The attacker's own (valid) token, posted through the editor's browser."""
    region = make.region("alpha")
    editor = app.test_client()
    login(editor, make.user(Role.EDITOR, region).email)
    editor.get(STEP)
    _, attackers_token = _signed_out_browser(app)
    planted = {"q_statement": PLANTED, "action": "save", "csrf_token": attackers_token}
    response = editor.post(STEP, data=planted)
    assert response.status_code == 400
    assert PLANTED not in response.get_data(as_text=True)
    assert response.headers.getlist("Set-Cookie") == []
    assert 'id="step-form"' in editor.get(STEP).get_data(as_text=True)  # still signed in


def test_a_cross_site_post_neither_signs_out_nor_plants_text(app, make):
    """Cross-site, the browser sends no cookies with the POST (SameSite=Lax): the answer must
    set none, or it would replace the editor's session and plant text for after sign-in."""
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    editor = app.test_client()
    login(editor, user.email)
    cookieless = app.test_client()  # what the server sees of the cross-site POST
    response = cookieless.post(STEP, data={"q_statement": PLANTED, "action": "save"})
    assert response.status_code == 400
    assert response.headers.getlist("Set-Cookie") == []
    assert PLANTED not in response.get_data(as_text=True)
    assert db.session.query(KeptForm).count() == 0
    assert 'id="step-form"' in editor.get(STEP).get_data(as_text=True)


def test_over_https_the_remembered_tokens_use_a_host_only_cookie(app):
    """`__Host-`: a sibling subdomain cannot plant its own remembered tokens in it."""
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = client.get("/login", base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    remembered = [c for c in cookies if c.startswith("__Host-belong_forms=")]
    assert remembered and "Secure" in remembered[0] and "Path=/" in remembered[0]
    assert "Domain=" not in remembered[0]


def test_kept_text_sent_with_a_stale_token_is_still_forgotten_once_saved(app, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    browser = app.test_client()
    login(browser, user.email)
    form = _typed(_loaded(browser))
    browser.post("/logout", data={"csrf_token": form["csrf_token"]})
    _sign_in_from(browser, browser.post(STEP, data=form).headers["Location"], user.email)
    action, fields = _form_of(browser.get("/r/alpha/steps/basics/kept").get_data(as_text=True))
    browser.post("/logout", data={"csrf_token": fields["csrf_token"]})  # in another tab
    login(browser, user.email)
    stale = browser.post(action, data=fields)
    assert stale.status_code == 400 and "security token had expired" in stale.text
    assert db.session.query(KeptForm).count() == 1
    action, fields = _form_of(stale.get_data(as_text=True))
    assert fields.get("kept") == "1"  # still the page of kept text
    assert browser.post(action, data=fields).status_code == 302
    assert _saved()["statement"] == LONG_TEXT.rstrip()
    assert db.session.query(KeptForm).count() == 0
