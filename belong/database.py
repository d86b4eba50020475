"""Database engine settings: SQLite gets WAL, a busy timeout and immediate write locks;
PostgreSQL connections are checked for a server that hung up before each use."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url

from belong.extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def configure_engine(app: Flask) -> None:
    """Before the engine is made: no "SELECT 1" before every request where it is not needed."""
    if not _pings_before_use(make_url(app.config["SQLALCHEMY_DATABASE_URI"])):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "pool_pre_ping": False,
        }


def _watched_at_checkout(url: URL) -> bool:
    """psycopg connections are looked at before each use (_replace_if_server_hung_up)."""
    return url.drivername == "postgresql+psycopg"


def _pings_before_use(url: URL) -> bool:
    """A SQLite file has no connection to go stale; watched connections need no ping."""
    return url.get_backend_name() != "sqlite" and not _watched_at_checkout(url)


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if _watched_at_checkout(engine.url):
        event.listen(engine, "checkout", _replace_if_server_hung_up)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy issues BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A write that starts deferred and reads first gets SQLITE_BUSY at once under
        # contention; taking the write lock up front makes it wait its turn instead.
        writing = (
            not has_request_context()
            or request.method in WRITE_METHODS
            or g.get("belong_write_next", False)
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _replace_if_server_hung_up(dbapi_connection, _record, _proxy) -> None:
    """Before a pooled connection serves a request: if the server has closed it (a restart,
    an idle timeout, a terminated backend), the pool opens a new one in its place, so the
    request goes on instead of failing. Each stale connection is found at its own checkout.

    An idle PostgreSQL connection has nothing to read; once the server hangs up, its socket
    holds the goodbye (an error message and the end of the stream). Looking costs one
    system call, where the pool's pre-ping ("SELECT 1") costs a round trip to the server
    on every request. Anything else waiting there (a rare notice) only costs a reconnect."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection was closed")
    waiting = select.poll()
    waiting.register(dbapi_connection.fileno(), select.POLLIN)
    if waiting.poll(0):
        raise exc.DisconnectionError("the server has sent something to an idle connection")


def write_next() -> None:
    """For a page that reads (GET) and then writes (a download it records): its reading
    transaction ends, and the next takes the write lock up front, so on SQLite the write waits
    its turn instead of failing because a background render committed since the read began."""
    db.session.commit()
    g.belong_write_next = True


@contextmanager
def without_waiting() -> Iterator[None]:
    """For an optional write from a page that only reads (a derived figure it may keep): fail
    at once, instead of waiting, when another transaction holds a lock it needs. The caller
    catches the error and carries on without keeping it. (SQLite already fails at once: a
    read transaction that wants to write while another connection writes gets SQLITE_BUSY
    without waiting, since waiting could deadlock.)"""
    connection = db.session.connection()
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
    try:
        yield
    finally:
        if postgresql:
            connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")


def upsert(model):
    """An INSERT that can go on with ON CONFLICT DO UPDATE / DO NOTHING, for this database."""
    dialect = db.session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](model)
