"""Sessions end on logout, password change and disabling; password reset links; next=."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Role, Token, User
from belong.models.base import utcnow
from belong.services import accounts
from tests.conftest import PASSWORD, RecordingSMTP, csrf_token, login, post_form

NEW_PASSWORD = "a much longer new passphrase"


def _signed_in(client) -> bool:
    """Does this browser still get past the login wall?"""
    response = client.get("/account/password")
    return response.status_code == 200


def _copy_session(client, app):
    """A second browser holding a copy of this browser's session cookie."""
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    return stolen


def _ask_for_a_link(client, email: str):
    """Post the forgot-password form; the server finishes the response as it does once the
    answer is sent, which is when the link is made."""
    response = post_form(client, "/forgot-password", {"email": email})
    response.close()
    return response


def _reset_link(caplog) -> str:
    links = re.findall(r"password reset link for \S+: (http://\S+)", caplog.text)
    assert links, "no reset link in the log"
    return links[-1].removeprefix("http://127.0.0.1:5000")


def test_a_copied_cookie_stops_working_after_logout(app, client, make):
    user = make.user(Role.EDITOR, make.region("alpha"))
    login(client, user.email)
    copy = _copy_session(client, app)
    assert _signed_in(copy)  # the copy works while the session lives
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert not _signed_in(client)
    response = copy.get("/r/alpha/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, make):
    user = make.user(Role.EDITOR, make.region("alpha"))
    login(client, user.email)
    other_browser = app.test_client()
    login(other_browser, user.email)
    response = post_form(
        client,
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other_browser)
    assert accounts.authenticate(user.email, PASSWORD) is None
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id


def test_changing_the_password_needs_the_current_one(client, make):
    user = make.user(Role.EDITOR, make.region("alpha"))
    login(client, user.email)
    before = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    response = post_form(
        client,
        "/account/password",
        {"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    response = post_form(
        client,
        "/account/password",
        {"current": PASSWORD, "password": "short", "confirm": "short"},
    )
    assert response.status_code == 422
    assert "Use between 8 and 256 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == before
    assert _signed_in(client)


def test_disabling_an_account_ends_its_sessions_and_stops_logins(app, client, make):
    region = make.region("alpha")
    person = make.user(Role.EDITOR, region)
    admin = make.user(admin=True)
    pending = accounts.issue_token(person, "invite", 1)
    db.session.commit()
    person_browser = app.test_client()
    login(person_browser, person.email)
    login(client, admin.email)

    confirm = client.get(f"/admin/users/{person.id}/disable")
    assert confirm.status_code == 200
    assert f"Disable {person.name}?" in confirm.get_data(as_text=True)
    assert db.session.get(User, person.id).active  # asking is not doing
    response = post_form(client, f"/admin/users/{person.id}/disable", {})
    assert response.status_code == 302
    assert not db.session.get(User, person.id).active

    assert not _signed_in(person_browser)
    page = post_form(person_browser, "/login", {"email": person.email, "password": PASSWORD})
    assert page.status_code == 200
    assert "The email address or password is not right." in page.get_data(as_text=True)
    assert person_browser.get(f"/set-password/{pending}").status_code == 404

    response = post_form(client, f"/admin/users/{person.id}/enable", {}, token_from="/admin/users/")
    assert response.status_code == 302
    login(person_browser, person.email)
    assert _signed_in(person_browser)


def test_an_admin_cannot_disable_their_own_account(client, make):
    admin = make.user(admin=True)
    login(client, admin.email)
    response = post_form(client, f"/admin/users/{admin.id}/disable", {}, token_from="/admin/users/")
    assert response.status_code == 302
    assert db.session.get(User, admin.id).active
    assert _signed_in(client)


def test_only_the_admin_disables_accounts(client, make):
    region = make.region("alpha")
    victim = make.user(Role.EDITOR, region)
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    assert client.get("/admin/users/").status_code == 403
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    response = client.post(f"/admin/users/{victim.id}/disable", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(User, victim.id).active


def test_forgot_password_answers_the_same_for_unknown_addresses(client, make, caplog):
    user = make.user(Role.EDITOR, make.region("alpha"))
    caplog.set_level("INFO")
    known = _ask_for_a_link(client, user.email.upper())
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = _ask_for_a_link(client, "nobody@example.org")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    message = "If an account uses this address, we have sent it a link"
    assert message in known_page
    assert message in unknown_page
    assert db.session.scalar(select(func.count(Token.id)).where(Token.purpose == "reset")) == 1
    assert caplog.text.count("password reset link for") == 1
    assert "nobody@example.org" not in caplog.text


def test_a_reset_link_sets_a_new_password_once_and_ends_old_sessions(app, client, make, caplog):
    user = make.user(Role.EDITOR, make.region("alpha"))
    old_browser = app.test_client()
    login(old_browser, user.email)
    caplog.set_level("INFO")
    _ask_for_a_link(client, user.email)
    link = _reset_link(caplog)
    page = client.get(link)
    assert page.status_code == 200
    assert "Choose a new password for your account" in page.get_data(as_text=True)
    response = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(old_browser)
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id
    assert app.test_client().get(link).status_code == 404  # used up


def test_an_expired_reset_link_is_refused(client, make, caplog):
    user = make.user(Role.EDITOR, make.region("alpha"))
    caplog.set_level("INFO")
    _ask_for_a_link(client, user.email)
    link = _reset_link(caplog)
    token = db.session.scalar(select(Token).where(Token.purpose == "reset"))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(link)
    assert page.status_code == 404
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code in (400, 404)
    assert accounts.authenticate(user.email, PASSWORD).id == user.id


def test_disabled_accounts_get_no_reset_link(client, make, caplog):
    user = make.user(Role.EDITOR, make.region("alpha"))
    user.active = False
    db.session.commit()
    caplog.set_level("INFO")
    response = _ask_for_a_link(client, user.email)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Token.id))) == 0
    assert "password reset link" not in caplog.text


def test_the_reset_link_is_mailed_when_a_mail_server_is_configured(client, make, smtp):
    user = make.user(Role.EDITOR, make.region("alpha"))
    _ask_for_a_link(client, user.email)
    assert RecordingSMTP.hosts == ["mail.example.org"]
    (message,) = smtp
    assert message["To"] == user.email
    link = re.search(r"http://127.0.0.1:5000(/set-password/\S+)", message.get_content()).group(1)
    assert client.get(link).status_code == 200


def test_the_forgot_password_form_needs_an_address(client):
    response = post_form(client, "/forgot-password", {"email": ""})
    assert response.status_code == 422
    assert "Enter your email address." in response.get_data(as_text=True)


def test_the_login_page_links_to_the_reset_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/forgot-password"' in page


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        " //evil.example",
        "/\t/evil.example",
        "///evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make, target):
    user = make.user(Role.EDITOR, make.region("alpha"))
    response = post_form(
        client,
        "/login",
        {"email": user.email, "password": PASSWORD, "next": target},
        token_from="/login",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_follows_a_path_on_the_site(client, make):
    user = make.user(Role.EDITOR, make.region("alpha"))
    response = client.get("/r/alpha/steps/basics")
    login_url = response.headers["Location"]
    assert login_url == "/login?next=%2Fr%2Falpha%2Fsteps%2Fbasics"
    page = client.get(login_url).get_data(as_text=True)
    response = client.post(
        login_url,
        data={"csrf_token": csrf_token(page), "email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/r/alpha/steps/basics"


def test_reset_links_to_one_address_are_limited(client, make, caplog):
    user = make.user(Role.EDITOR, make.region("alpha"))
    caplog.set_level("INFO")
    answers = set()
    for _ in range(5):
        response = _ask_for_a_link(client, user.email)
        answers.add((response.status_code, response.headers["Location"]))
    assert answers == {(302, "/login")}  # the same answer every time
    assert caplog.text.count("password reset link for") == 3
    assert db.session.scalar(select(func.count(Token.id)).where(Token.purpose == "reset")) == 3
