"""Stakeholder input tells the team: one notification per step and person, counting up while
unread, mailed by each person's preference (the first at once, or in the digest)."""

from __future__ import annotations

from sqlalchemy import select

from belong.extensions import db
from belong.models import Notification, OutboxMessage, Role
from belong.services import mail
from tests.conftest import login, post_form


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _contribute(client, step="basics", body="We need evening meetings."):
    response = post_form(
        client, f"/r/alpha/steps/{step}/input", {"prompt": "general", "body": body}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _notes(user):
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.kind == "contribution_added")
            .order_by(Notification.id)
        )
    )


def _mails(user):
    mails = select(OutboxMessage).where(OutboxMessage.user_id == user.id)
    return list(db.session.scalars(mails.order_by(OutboxMessage.id)))  # oldest first


def test_new_input_notifies_the_team_once_per_step_counting_up(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    editor = make.user(Role.EDITOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    contributor = make.user(Role.CONTRIBUTOR, region)
    other = make.user(Role.CONTRIBUTOR, region)
    client = _client(app, contributor)
    for n in range(3):
        _contribute(client, body=f"Input {n}")
    _contribute(_client(app, other), step="assess")

    notes = _notes(coordinator)
    assert [(n.message, n.count, n.read_at) for n in notes] == [
        ("3 new stakeholder inputs on “Basics” in Alpha.", 3, None),
        ("1 new stakeholder input on “Assessment” in Alpha.", 1, None),
    ]
    assert notes[0].link == "/r/alpha/steps/basics#contributions"
    assert [n.message for n in _notes(editor)] == [n.message for n in notes]
    # Nobody else: not the reviewer, not the people who gave the input.
    assert _notes(reviewer) == _notes(contributor) == _notes(other) == []
    # One mail per step, for the first input, not one per input.
    assert sorted(m.subject for m in _mails(coordinator)) == [
        "Belong: 1 new stakeholder input on “Assessment” in Alpha.",
        "Belong: 1 new stakeholder input on “Basics” in Alpha.",
    ]

    # The coordinator sees the count in the app and follows the link to the step's input.
    team = _client(app, coordinator)
    page = team.get("/notifications/").get_data(as_text=True)
    assert "3 new stakeholder inputs on “Basics” in Alpha." in page
    assert 'class="badge">2<' in page
    response = post_form(
        team, f"/notifications/{notes[0].id}/read", {}, token_from="/notifications/"
    )
    assert response.headers["Location"].endswith("/r/alpha/steps/basics#contributions")

    # Once read, the next input starts a new notification, and a new mail.
    _contribute(client, body="One more")
    notes = _notes(coordinator)
    assert [(n.count, n.read_at is None) for n in notes] == [(3, False), (1, True), (1, True)]
    assert notes[2].message == "1 new stakeholder input on “Basics” in Alpha."
    assert len(_mails(coordinator)) == 3


def test_digest_readers_get_the_count_as_it_stands(app, make, runner):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    editor = make.user(Role.EDITOR, region)
    mail.set_mode(editor, "daily")
    db.session.commit()
    client = _client(app, make.user(Role.CONTRIBUTOR, region))
    _contribute(client, body="First")
    _contribute(client, body="Second")
    assert _mails(editor) == []  # nothing at once for a digest reader
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    (digest,) = _mails(editor)
    assert "2 new stakeholder inputs on “Basics” in Alpha." in digest.body
    # Three more while it stays unread: the next digest tells the new count, in one line.
    for n in range(3):
        _contribute(client, body=f"More {n}")
    assert runner.invoke(args=["send-digests"]).exit_code == 0
    latest = _mails(editor)[-1]
    assert len(_mails(editor)) == 2
    assert latest.body.count("new stakeholder input") == 1
    assert "5 new stakeholder inputs on “Basics” in Alpha." in latest.body
    # The coordinator, mailed at once, had one mail for all five.
    assert len(_mails(coordinator)) == 1


def test_the_input_notification_is_in_each_readers_language(app, make):
    region = make.region("alpha")
    spanish = make.user(Role.COORDINATOR, region)
    spanish.locale = "es"
    polish = make.user(Role.EDITOR, region)
    polish.locale = "pl"
    db.session.commit()
    client = _client(app, make.user(Role.CONTRIBUTOR, region))
    seen = {"es": [], "pl": []}
    for _n in range(5):
        _contribute(client)
        seen["es"].append(_notes(spanish)[0].message)
        seen["pl"].append(_notes(polish)[0].message)
    assert seen["es"][0] == "1 nueva aportación de las partes interesadas sobre «Basics» en Alpha."
    assert (
        seen["es"][1] == "2 nuevas aportaciones de las partes interesadas sobre «Basics» en Alpha."
    )
    assert seen["pl"][0] == "1 nowy wkład interesariuszy w krok „Basics” (Alpha)."
    assert seen["pl"][1] == "2 nowe wkłady interesariuszy w krok „Basics” (Alpha)."
    assert seen["pl"][4] == "5 nowych wkładów interesariuszy w krok „Basics” (Alpha)."
    (first,) = _mails(polish)
    assert first.subject == "Belong: 1 nowy wkład interesariuszy w krok „Basics” (Alpha)."
