"""A pooled PostgreSQL connection that the server has closed (a restart, an idle timeout, a
terminated backend) is replaced before a request uses it: nobody sees a failed page or loses
a save, and no request pays a "SELECT 1" round trip to find out (belong/database.py)."""

from __future__ import annotations

import time

import psycopg
import pytest

from belong.extensions import db
from belong.models import Role
from tests.conftest import csrf_token


@pytest.fixture
def postgresql_url(app) -> str:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server connection to lose; the PostgreSQL run covers this")
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _close_every_connection_of_the_app(url: str) -> None:
    """What a database restart does to the app's pool, from a connection outside it."""
    db.session.remove()  # as at the end of a request: its connection goes back to the pool
    with psycopg.connect(url, autocommit=True) as admin:
        pids = [
            pid
            for (pid,) in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
        ]
        assert pids, "the app's pool holds no connection to close"
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 5
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the server did not close the connections"
            time.sleep(0.02)


def test_pages_and_saves_go_on_after_the_server_closed_every_connection(
    postgresql_url, client, make, as_user
):
    as_user(Role.EDITOR, make.region(name="Alpha Region"))
    assert client.get("/r/alpha/").status_code == 200  # the pool now holds connections

    _close_every_connection_of_the_app(postgresql_url)
    home = client.get("/r/alpha/")
    assert home.status_code == 200 and "Alpha Region" in home.get_data(as_text=True)

    _close_every_connection_of_the_app(postgresql_url)
    step = client.get("/r/alpha/steps/basics")
    assert step.status_code == 200
    _close_every_connection_of_the_app(postgresql_url)
    saved = client.post(
        "/r/alpha/steps/basics",
        data={
            "csrf_token": csrf_token(step.get_data(as_text=True)),
            "q_lead": "Written after a restart",
            "action": "save",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "Written after a restart" in client.get("/r/alpha/steps/basics").get_data(as_text=True)
