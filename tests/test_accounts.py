"""Accounts: invitation by one-time link, login, logout, no self-registration."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Membership, Role, User
from belong.services import accounts
from tests.conftest import PASSWORD, login, post_form


def _invite(client, slug: str, email: str, role: str = "editor") -> str:
    response = post_form(
        client,
        f"/r/{slug}/members",
        {
            "name": "Ines Ortega",
            "email": email,
            "role": role,
            "organisation": "City of X",
            "category": "ngo",
        },
    )
    assert response.status_code == 200
    link = re.search(
        r'value="https?://[^/"]+(/set-password/[^"]+)"', response.get_data(as_text=True)
    )
    assert link, "the invitation link is shown to the person who invited"
    return link.group(1)


def test_passwords_are_hashed_with_argon2id(app, make):
    user = make.user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_an_invited_person_sets_a_password_once_and_gets_in(client, make, as_user, caplog):
    region = make.region("alpha")
    as_user(Role.COORDINATOR, region)
    with caplog.at_level("INFO", logger="belong"):
        link = _invite(client, "alpha", "ines@example.org")
    assert link in caplog.text  # printed in the log while no mail server is configured
    client.post("/logout", data={})  # CSRF refused: still signed in
    client.delete_cookie("session")
    page = client.get(link)
    assert page.status_code == 200 and "Ines Ortega" in page.get_data(as_text=True)
    response = post_form(
        client, link, {"password": "a new long password", "confirm": "a new long password"}
    )
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Alpha" in home
    membership = db.session.scalar(
        select(Membership).join(User).where(User.email == "ines@example.org")
    )
    assert membership.role is Role.EDITOR and membership.organisation == "City of X"
    # the link works once
    assert client.get(link).status_code == 404


def test_set_password_checks_length_and_repetition(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.COORDINATOR, region)
    link = _invite(client, "alpha", "short@example.org")
    client.delete_cookie("session")
    response = post_form(client, link, {"password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "Use between 8 and 256 characters." in response.get_data(as_text=True)
    response = post_form(client, link, {"password": "long enough 1", "confirm": "long enough 2"})
    assert "The passwords differ." in response.get_data(as_text=True)


def test_an_expired_link_is_refused(client, app, make):
    user = accounts.create_user("late@example.org", "Late Person")
    secret = accounts.issue_token(user, "invite", hours=-1)
    db.session.commit()
    response = client.get(f"/set-password/{secret}")
    assert response.status_code == 404
    assert "no longer works" in response.get_data(as_text=True)


def test_login_with_a_wrong_password_gives_a_generic_message(client, make):
    user = make.user()
    response = post_form(client, "/login", {"email": user.email, "password": "wrong password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email address or password is not right." in page
    response = post_form(client, "/login", {"email": "nobody@example.org", "password": "x"})
    assert "The email address or password is not right." in response.get_data(as_text=True)


def test_logout_ends_the_session_everywhere(client, app, make):
    user = make.user(admin=True)
    login(client, user.email)
    stolen = client.get_cookie("session").value
    assert post_form(client, "/logout", {}, token_from="/admin/regions").status_code == 302
    other = app.test_client()
    other.set_cookie("session", stolen)
    response = other.get("/admin/regions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_there_is_no_self_registration(client):
    assert client.get("/register").status_code == 404
    assert client.get("/signup").status_code == 404


def test_login_follows_only_local_next(client, make):
    user = make.user(admin=True)
    response = post_form(
        client, "/login?next=https://evil.example/", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.delete_cookie("session")
    response = post_form(
        client, "/login?next=/admin/regions", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/regions"


def test_admin_creates_a_region_and_invites_its_coordinator(client, make, as_user):
    as_user(None, admin=True)
    response = post_form(
        client,
        "/admin/regions",
        {
            "name": "Costa Verde",
            "slug": "costa-verde",
            "template_id": "sample",
            "period": "2026-2030",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/r/costa-verde/members")
    _invite(client, "costa-verde", "lead@example.org", role="coordinator")
    again = post_form(
        client, "/admin/regions", {"name": "Other", "slug": "costa-verde", "template_id": "sample"}
    )
    assert "Another region already uses this short name." in again.get_data(as_text=True)
    bad = post_form(
        client, "/admin/regions", {"name": "", "slug": "Not A Slug", "template_id": "sample"}
    )
    page = bad.get_data(as_text=True)
    assert "Enter the region&#39;s name." in page and "Use lower-case letters" in page


def test_only_the_admin_reaches_the_programme_pages(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.COORDINATOR, region)
    assert client.get("/admin/regions").status_code == 403


def test_production_hashes_with_full_strength_argon2id():
    from argon2 import extract_parameters

    from belong.config import ProductionConfig
    from belong.services.accounts import _HASHERS

    hasher = _HASHERS[ProductionConfig.ARGON2_PROFILE]
    parameters = extract_parameters(hasher.hash("a password"))
    assert parameters.type.name == "ID"
    assert parameters.memory_cost >= 65536 and parameters.time_cost >= 3
