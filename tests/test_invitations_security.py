"""Invitations never hand over an account; one-time links; look-alike addresses; the
forgot-password form does the same work for every address."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event, func, select

from belong.extensions import db
from belong.models import Membership, Notification, Role, Token, User
from belong.services import accounts, region_export
from tests.conftest import PASSWORD, ROOT, RecordingSMTP, login, post_form

NEW_PASSWORD = "a password the attacker chose"
LINK = re.compile(r"https?://[^/\s\"<]+(/set-password/[A-Za-z0-9_-]+)")


def _invite(client, slug: str, email: str, role: str = "editor", name: str = "Ines Ortega"):
    return post_form(
        client,
        f"/r/{slug}/members",
        {"name": name, "email": email, "role": role, "organisation": "", "category": ""},
    )


def _links(text: str) -> list[str]:
    return LINK.findall(text)


def _usable_tokens(user: User) -> int:
    return db.session.scalar(
        select(func.count(Token.id)).where(Token.user_id == user.id, Token.used_at.is_(None))
    )


@pytest.fixture
def valdoria_link_held(app, make, caplog):
    """A Valdoria member invited by Valdoria's coordinator, who has not chosen a password:
    the link Valdoria's coordinator was given is still outstanding."""
    valdoria = make.region("valdoria")
    coordinator = make.user(Role.COORDINATOR, valdoria)
    valdoria_client = app.test_client()
    login(valdoria_client, coordinator.email)
    with caplog.at_level("INFO"):
        page = _invite(valdoria_client, "valdoria", "vera@valdoria.example").get_data(as_text=True)
    [link] = _links(page)
    return accounts.find_user("vera@valdoria.example"), link


@pytest.mark.parametrize("how", ["invited", "imported"])
def test_another_regions_coordinator_cannot_take_over_an_account_without_password(
    app, client, make, caplog, valdoria_link_held, how
):
    vera, valdoria_link = valdoria_link_held
    if how == "imported":  # as import-region makes people: matched by e-mail, no password
        vera = accounts.create_user("ivo@valdoria.example", "Ivo Imported")
        db.session.add(Membership(region=make.region("valdoria-2"), user=vera, role=Role.EDITOR))
        db.session.commit()
    nordmark = make.region("nordmark")
    attacker = make.user(Role.COORDINATOR, nordmark)
    login(client, attacker.email)
    caplog.clear()
    with caplog.at_level("INFO"):
        response = _invite(client, "nordmark", vera.email.upper(), role="coordinator")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already has an account and now has access to this region" in page
    # No credential anywhere the attacker can see, and none left to find.
    assert _links(page) == [] and _links(caplog.text) == []
    assert _usable_tokens(vera) == 0
    if how == "invited":  # the link held before no longer opens anything either
        assert app.test_client().get(valdoria_link).status_code == 404
        assert (
            post_form(
                app.test_client(),
                valdoria_link,
                {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                token_from="/login",
            ).status_code
            == 404
        )
    db.session.refresh(vera)
    assert vera.password_hash is None
    # The attacker cannot sign in as them, and Valdoria stays closed to the attacker.
    stranger = app.test_client()
    response = post_form(stranger, "/login", {"email": vera.email, "password": NEW_PASSWORD})
    assert response.status_code == 200 and "is not right" in response.get_data(as_text=True)
    for path in ("/r/valdoria/", "/r/valdoria-2/", "/r/valdoria/export.json"):
        assert client.get(path).status_code == 404
    # The person is told, and shown the safe way in: a link to their own mailbox.
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == vera.id))
    assert "You now have access to Nordmark as Coordinator." in note.message
    assert "Forgot your password?" in note.message


def test_the_person_gets_in_through_their_own_mailbox(app, client, make, smtp):
    valdoria, nordmark = make.region("valdoria"), make.region("nordmark")
    vera = accounts.create_user("vera@valdoria.example", "Vera Valdoria")
    db.session.add(Membership(region=valdoria, user=vera, role=Role.EDITOR))
    db.session.commit()
    login(client, make.user(Role.COORDINATOR, nordmark).email)
    assert _invite(client, "nordmark", vera.email).status_code == 200
    # Told by e-mail (the notification); no link in it.
    [told] = [m for m in smtp if m["To"] == vera.email]
    assert "Nordmark" in told.get_content() and _links(told.get_content()) == []
    smtp.clear()
    visitor = app.test_client()
    post_form(visitor, "/forgot-password", {"email": vera.email}).close()
    [reset] = smtp
    assert reset["To"] == vera.email
    [link] = _links(reset.get_content())
    response = post_form(visitor, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    home = visitor.get("/").get_data(as_text=True)
    assert "Valdoria" in home and "Nordmark" in home


@pytest.mark.parametrize("inviter", ["coordinator", "admin"])
def test_with_a_smtp_the_link_goes_only_to_the_invited_person(
    app, client, make, caplog, smtp, inviter
):
    region = make.region("nordmark")
    if inviter == "admin":
        login(client, make.user(admin=True).email)
    else:
        login(client, make.user(Role.COORDINATOR, region).email)
    with caplog.at_level("DEBUG"):
        response = _invite(client, "nordmark", "new.person@example.org")
    page = response.get_data(as_text=True)
    assert "we e-mailed them a link to choose a password" in page
    assert "set-password" not in page and "set-password" not in caplog.text
    [message] = smtp
    assert message["To"] == "new.person@example.org"
    [link] = _links(message.get_content())
    client.delete_cookie("session")
    assert client.get(link).status_code == 200


def test_without_a_smtp_the_inviter_is_told_to_pass_the_link_on(client, make, caplog):
    region = make.region("nordmark")
    login(client, make.user(Role.COORDINATOR, region).email)
    with caplog.at_level("INFO"):
        page = _invite(client, "nordmark", "new.person@example.org").get_data(as_text=True)
    assert "No mail server is set up, so nothing was e-mailed" in page
    assert "pass the link below on to them yourself" in page
    [link] = _links(page)
    assert link in caplog.text
    existing = make.user()
    page = _invite(client, "nordmark", existing.email).get_data(as_text=True)
    assert "They see it in their notifications in Belong." in page
    assert _links(page) == []


def test_the_only_coordinator_cannot_reinvite_themselves_with_another_role(client, make):
    region = make.region("nordmark")
    carla = make.user(Role.COORDINATOR, region)
    login(client, carla.email)
    response = _invite(client, "nordmark", carla.email, role="reviewer")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This region needs at least one coordinator. Make someone else one first." in page
    membership = db.session.scalar(select(Membership).where(Membership.user_id == carla.id))
    assert membership.role is Role.COORDINATOR


def test_the_last_coordinators_removal_page_offers_no_button(client, make):
    region = make.region("nordmark")
    carla = make.user(Role.COORDINATOR, region)
    login(client, carla.email)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == carla.id))
    page = client.get(f"/r/nordmark/members/{membership.id}/remove").get_data(as_text=True)
    assert "is the region&#39;s only coordinator" in page
    assert "Yes, remove" not in page
    other = make.user(Role.EDITOR, region)
    other_membership = db.session.scalar(select(Membership).where(Membership.user_id == other.id))
    page = client.get(f"/r/nordmark/members/{other_membership.id}/remove").get_data(as_text=True)
    assert "Yes, remove" in page


def test_using_one_link_ends_every_other_link_of_the_account(app, client, make, caplog):
    user = make.user(Role.EDITOR, make.region("nordmark"))
    with caplog.at_level("INFO"):
        for _ in range(2):
            post_form(client, "/forgot-password", {"email": user.email}).close()
    first, second = _links(caplog.text)
    response = post_form(client, first, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert app.test_client().get(second).status_code == 404
    assert _usable_tokens(user) == 0


def test_forgot_password_does_the_same_work_before_answering(app, client, make, caplog):
    """Whatever depends on the address happens after the answer is sent, so its timing
    cannot tell which addresses have accounts."""
    user = make.user(Role.EDITOR, make.region("nordmark"))
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    answers = {}
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        with caplog.at_level("INFO"):
            for email in (user.email, "nobody@example.org"):
                client.get("/forgot-password")  # the form's token, before counting
                statements.clear()
                response = post_form(client, "/forgot-password", {"email": email})
                answers[email] = (response.status_code, response.location, list(statements))
                pending = response
                if email == user.email:
                    known = response
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert answers[user.email] == answers["nobody@example.org"]
    assert db.session.scalar(select(func.count(Token.id))) == 0  # nothing made yet
    assert "password reset link" not in caplog.text
    with caplog.at_level("INFO"):
        pending.close()
        known.close()
    assert db.session.scalar(select(func.count(Token.id))) == 1
    assert caplog.text.count("password reset link for") == 1


FULL_WIDTH = "ｕｓｅｒ１＠ｅｘａｍｐｌｅ．ｏｒｇ"


def test_addresses_have_one_spelling():
    assert accounts.normalise_email(FULL_WIDTH) == "user1@example.org"
    assert accounts.normalise_email(" Ana@Bücher.DE ") == "ana@bücher.de"
    assert accounts.normalise_email("ana@xn--bcher-kva.de") == "ana@bücher.de"
    assert accounts.mixed_scripts("pаul@example.org")  # Cyrillic "а"
    assert accounts.mixed_scripts("paul@exаmple.org")
    assert not accounts.mixed_scripts("павел@example.org")
    assert not accounts.mixed_scripts("paul@example.org")


def test_a_full_width_address_is_the_same_account_everywhere(app, client, make, caplog):
    region = make.region("nordmark")
    user = make.user(Role.EDITOR, region)  # user1@example.org
    assert user.email == "user1@example.org"
    login(client, FULL_WIDTH)  # sign-in
    client.delete_cookie("session")
    with caplog.at_level("INFO"):  # forgot-password
        post_form(client, "/forgot-password", {"email": FULL_WIDTH}).close()
    assert "password reset link for user1@example.org" in caplog.text
    login(client, make.user(Role.COORDINATOR, region).email)
    page = _invite(client, "nordmark", FULL_WIDTH, role="reviewer").get_data(as_text=True)
    assert "was already a member" in page  # invite
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert accounts.create_user("USER3@ＥＸＡＭＰＬＥ.org", "Imported").email == (
        "user3@example.org"  # import-region makes people through create_user
    )


def test_a_look_alike_address_is_refused_at_the_field(client, make):
    region = make.region("nordmark")
    login(client, make.user(Role.COORDINATOR, region).email)
    response = _invite(client, "nordmark", "pаul@example.org")  # Cyrillic "а"
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="field-error" id="email-error">(.*?)</p>', page, re.S)
    assert error and "mixes letters of different alphabets" in error.group(1)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_coordinator_can_still_invite_a_password_holder(client, make):
    region = make.region("nordmark")
    login(client, make.user(Role.COORDINATOR, region).email)
    member = make.user()
    page = _invite(client, "nordmark", member.email).get_data(as_text=True)
    assert "already has an account" in page
    assert accounts.authenticate(member.email, PASSWORD).id == member.id


def test_an_imported_region_ends_links_others_hold_for_its_people(app, client, make, caplog):
    """Nordmark's coordinator invites an address first and sees its link; when the operator
    imports a region with that person in it, the link must not open the imported region."""
    nordmark, valdoria = make.region("nordmark"), make.region("valdoria")
    make.user(Role.EDITOR, valdoria, email="vera@valdoria.example")
    text = region_export.to_json(region_export.export_region(valdoria))
    export = json.loads(text.replace("vera@valdoria.example", "vera@elsewhere.example"))
    export["region"]["slug"] = "valdoria-imported"
    login(client, make.user(Role.COORDINATOR, nordmark).email)
    with caplog.at_level("INFO"):
        [held] = _links(
            _invite(client, "nordmark", "vera@elsewhere.example").get_data(as_text=True)
        )
    region_export.import_region(export)
    db.session.commit()
    assert app.test_client().get(held).status_code == 404


def test_stored_addresses_are_brought_to_their_one_spelling(app):
    """The migration 0013a: old rows get the spelling that sign-in now looks for."""
    path = ROOT / "belong/migrations/versions/0013a_normalise_emails.py"
    spec = importlib.util.spec_from_file_location("migration_0013a", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    # The last is a look-alike of an account that exists: it keeps its spelling.
    stored = [
        "ＡＮＡ@Example.org",
        "ana@xn--bcher-kva.de",
        "paul@example.org",
        "ｐａｕｌ@example.org",
    ]
    for email in stored:
        db.session.execute(User.__table__.insert().values(email=email, name=email))
    db.session.commit()
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        migration.upgrade()
    db.session.expire_all()
    emails = db.session.scalars(select(User.email).order_by(User.id)).all()
    assert emails == ["ana@example.org", "ana@bücher.de", "paul@example.org", stored[3]]
    assert accounts.find_user("ANA@example.org").email == "ana@example.org"


def test_an_invitation_mail_that_fails_shows_no_link_and_says_so(
    app, client, make, caplog, monkeypatch
):
    class DownSMTP(RecordingSMTP):
        def __init__(self, host, port, timeout):
            raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("smtplib.SMTP", DownSMTP)
    app.config["MAIL_SERVER"] = "mail.example.org"
    login(client, make.user(Role.COORDINATOR, make.region("nordmark")).email)
    with caplog.at_level("INFO"):
        page = _invite(client, "nordmark", "new.person@example.org").get_data(as_text=True)
    assert "the invitation could not be e-mailed" in page
    assert "set-password" not in page and "set-password" not in caplog.text
