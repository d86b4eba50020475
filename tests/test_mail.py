"""One mail path: absolute links from EXTERNAL_URL, the recipient's language, one sender."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from belong import create_app
from belong.extensions import db
from belong.models import OutboxMessage, Role
from belong.services import mail
from tests.conftest import Factory, login, post_form

EXTERNAL = "https://belong.example.org"


@pytest.fixture
def smtp(app, smtp):
    """The shared mail server stand-in (tests/conftest.py), with a sender and an address."""
    app.config.update(MAIL_DEFAULT_SENDER="Belong <team@belong.example.org>", EXTERNAL_URL=EXTERNAL)
    return smtp


def _client(app, user, base_url="http://evil.example"):
    """A client whose requests carry someone else's Host header: links must not use it."""
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = base_url.removeprefix("http://")
    login(client, user.email)
    return client


def _comment(app, reviewer):
    response = post_form(
        _client(app, reviewer), "/r/alpha/versions/1/threads", {"anchor": "basics:", "body": "Hi"}
    )
    assert response.status_code == 302


def test_production_refuses_to_start_without_an_external_address(migrated, monkeypatch):
    monkeypatch.delenv("EXTERNAL_URL", raising=False)
    settings = {"ENV_NAME": "production", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": migrated}
    with pytest.raises(RuntimeError, match="EXTERNAL_URL must be set in production"):
        create_app(settings)
    monkeypatch.setenv("EXTERNAL_URL", "https://belong.example.org/")
    app = create_app(settings)
    assert app.config["EXTERNAL_URL"] == "https://belong.example.org"


def test_development_and_tests_default_to_the_local_address(app):
    assert app.config["EXTERNAL_URL"] == "http://127.0.0.1:5000"
    assert (
        mail.external_url("/r/valdoria/versions/3") == "http://127.0.0.1:5000/r/valdoria/versions/3"
    )


def test_notification_mail_has_absolute_links_in_the_recipients_language(app, make, smtp):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    coordinator.locale = "es"
    editor = make.user(Role.EDITOR, region)  # no language chosen: the region's (Polish)
    region.language = "pl"
    reviewer = make.user(Role.REVIEWER, region)
    reviewer.locale = "en"  # the one who comments reads English; the others do not
    db.session.commit()
    Factory().version(region, coordinator)
    _comment(app, reviewer)

    by_address = {m["To"]: m for m in smtp}
    assert set(by_address) == {coordinator.email, editor.email}
    spanish = by_address[coordinator.email]
    assert spanish["Subject"] == f"Belong: {reviewer.name} ha comentado la versión 1 de Alpha."
    assert spanish["From"] == "Belong <team@belong.example.org>"
    body = spanish.get_content()
    assert re.search(r"^https://belong\.example\.org/r/alpha/versions/1#thread-\d+$", body, re.M)
    assert "evil.example" not in body and "\n/r/" not in body
    assert "https://belong.example.org/notifications/" in body
    assert "configuración de notificaciones" in body
    polish = by_address[editor.email]
    assert polish["Subject"] == f"Belong: {reviewer.name} dodaje komentarz do wersji 1 (Alpha)."
    assert "ustawieniami powiadomień" in polish.get_content()
    # The in-app notification reads the same as the mail.
    login(client := app.test_client(), coordinator.email)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"{reviewer.name} ha comentado la versión 1 de Alpha." in page


def test_the_digest_is_in_the_readers_language_with_absolute_links(app, make, runner):
    app.config["EXTERNAL_URL"] = EXTERNAL
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    coordinator.locale = "pl"
    mail.set_mode(coordinator, "daily")
    db.session.commit()
    Factory().version(region, coordinator)
    for reviewer in (make.user(Role.REVIEWER, region), make.user(Role.REVIEWER, region)):
        _comment(app, reviewer)
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    digest = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == coordinator.id))
    assert digest.subject == "Belong: 2 powiadomienia z dziś"
    assert digest.body.startswith("Twoje powiadomienia od ostatniego podsumowania:")
    assert digest.body.count(f"{EXTERNAL}/r/alpha/versions/1#thread-") == 2


def test_the_reset_mail_goes_the_same_way_from_the_same_sender(app, make, smtp):
    user = make.user(Role.EDITOR, make.region("alpha"))
    user.locale = "es"
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    response = post_form(client, "/forgot-password", {"email": user.email})
    assert response.status_code == 302
    response.close()  # the link is made and mailed once the answer has gone
    (message,) = smtp
    assert message["From"] == "Belong <team@belong.example.org>"
    assert message["To"] == user.email
    assert message["Subject"] == "Belong: elija una nueva contraseña"
    body = message.get_content()
    assert "en el plazo de 2 horas" in body
    link = re.search(r"https://belong\.example\.org(/set-password/\S+)", body).group(1)
    assert "evil.example" not in body
    assert app.test_client().get(link).status_code == 200
    # A one-time link is never kept in the outbox.
    assert db.session.scalar(select(OutboxMessage)) is None


def test_mail_about_new_input_leaves_at_once_with_a_link_to_the_step(app, make, smtp):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    client = _client(app, make.user(Role.CONTRIBUTOR, region))
    for body in ("One", "Two"):
        response = post_form(
            client, "/r/alpha/steps/basics/input", {"prompt": "general", "body": body}
        )
        assert response.status_code == 302
    (message,) = smtp  # the second input raised the count of the unread one: no second mail
    assert message["To"] == coordinator.email
    assert message["Subject"] == "Belong: 1 new stakeholder input on “Basics” in Alpha."
    assert f"{EXTERNAL}/r/alpha/steps/basics#contributions" in message.get_content()
    assert db.session.scalar(select(OutboxMessage.sent_at)) is not None
