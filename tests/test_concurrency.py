"""Twenty people save the same answer at the same moment: every save lands or is told of
the conflict, none vanishes, and nobody sees "database is locked" or a 500.
Runs against SQLite by default and against PostgreSQL when DATABASE_URL points there."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Contribution, Role
from belong.services import contributions
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"
WRITERS = 20


def _loaded(client) -> dict:
    html = client.get(STEP).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **versions}


@pytest.mark.parametrize("route", ["form", "autosave"])
@pytest.mark.parametrize("first_save", [True, False], ids=["update", "insert"])
def test_twenty_writers_on_one_answer(app, make, route, first_save):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    first = app.test_client()
    login(first, user.email)  # once: a password check costs most of a second here
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"])
    clients = [first]
    for _ in range(WRITERS - 1):  # each further browser starts from that signed-in cookie
        client = app.test_client()
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        clients.append(client)
    if first_save:  # everyone starts from version 1 of an existing answer
        form = _loaded(clients[0])
        form.update({"q_lead": "The starting text", "action": "save"})
        assert clients[0].post(STEP, data=form).status_code == 302
    forms = [_loaded(client) for client in clients]
    assert len({f["v_lead"] for f in forms}) == 1  # all loaded the same version
    before = db.session.query(AnswerRevision).count()
    db.session.commit()
    db.session.remove()  # the test's own session holds no transaction while they write

    start = threading.Barrier(WRITERS)
    results: list[tuple[int, int, str]] = []
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            client, form = clients[i], dict(forms[i])
            form.update({"q_lead": f"Text of writer {i}", "action": "save"})
            start.wait()
            if route == "form":
                response = client.post(STEP, data=form)
            else:
                token = form.pop("csrf_token")
                response = client.post(
                    STEP + "/autosave", data=form, headers={"X-CSRFToken": token}
                )
            results.append((i, response.status_code, response.get_data(as_text=True)))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert len(results) == WRITERS
    ok = 302 if route == "form" else 200
    statuses = sorted(status for _, status, _ in results)
    assert set(statuses) <= {ok, 409}, statuses
    assert not any("database is locked" in body for _, _, body in results)
    winners = [i for i, status, _ in results if status == ok]
    assert len(winners) == 1  # all started from one version: exactly one save can land
    assert db.session.query(AnswerRevision).count() - before == len(winners)
    stored = db.session.scalar(select(Answer).where(Answer.question_id == "lead"))
    assert stored.value == f"Text of writer {winners[0]}"
    assert stored.version == (2 if first_save else 1)
    for i, status, body in results:
        if status == 409:  # each loser is told, and their own text comes back to them
            assert "The starting text" not in body or first_save
            if route == "form":
                assert f"Text of writer {i}" in body


DECIDERS = 8
DECISIONS = (
    {"decision": "adopted", "insert_into": "statement"},
    {"decision": "noted"},
    {"decision": "declined", "reason": "Outside the remit of this step."},
)


def test_concurrent_decisions_on_one_input_one_lands_the_rest_get_409(app, make):
    """Coordinators decide on the same input from the same loaded page at the same moment:
    one decision lands; every other gets 409 with the message, never a 500 (a stale row or
    a deadlock on PostgreSQL)."""
    region = make.region("alpha")
    author, coordinator = make.user(Role.CONTRIBUTOR, region), make.user(Role.COORDINATOR, region)
    step = get_template("sample").definition.step("basics")
    contribution = contributions.add(
        region, step, author, None, body="Meet in the mornings.", prompt_index=None
    )
    db.session.commit()
    contribution_id = contribution.id
    url = f"/r/alpha/input/{contribution_id}/decide"
    first = app.test_client()
    login(first, coordinator.email)
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"])
    clients = [first]
    for _ in range(DECIDERS - 1):
        client = app.test_client()
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        clients.append(client)
    forms = []
    for i, client in enumerate(clients):
        page = client.get(url).get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="(\d+)"', page)[1]
        forms.append({"csrf_token": csrf_token(page), "version": version, **DECISIONS[i % 3]})
    db.session.commit()
    db.session.remove()

    start = threading.Barrier(DECIDERS)
    results: list[tuple[int, int, str]] = []
    errors: list[BaseException] = []

    def decide(i: int) -> None:
        try:
            start.wait()
            response = clients[i].post(url, data=forms[i])
            results.append((i, response.status_code, response.get_data(as_text=True)))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(DECIDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    statuses = sorted(status for _, status, _ in results)
    assert set(statuses) <= {302, 409}, statuses
    winners = [i for i, status, _ in results if status == 302]
    assert len(winners) == 1, statuses
    for _i, status, body in results:
        if status == 409:
            assert "already decided since you opened it" in body
    decided = db.session.get(Contribution, contribution_id)
    assert decided.status.value == DECISIONS[winners[0] % 3]["decision"]
    statement = db.session.scalar(select(Answer).where(Answer.question_id == "statement"))
    adopted = DECISIONS[winners[0] % 3].get("insert_into")
    assert (statement is not None) == bool(adopted)
