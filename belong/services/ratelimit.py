"""Rate limits: failed sign-ins per account and address, reset mails, kept forms, API requests
and comments of the public, each counted in a fixed window by Flask-Limiter.

Flask-Limiter (and the `limits` library under it) keeps the counts and their windows; where
they live is RATELIMIT_STORAGE_URI: Redis when REDIS_URL is configured, `memory://` for one
process, and by default the application's database (`DatabaseStorage`, below), so every
gunicorn worker and server shares them. This module only says what counts: for sign-ins only
failures, checked before the password, and a successful sign-in clears the account's count.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, timedelta

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItemPerSecond
from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from belong.database import upsert
from belong.extensions import db
from belong.models import RateLimitCount
from belong.models.base import utcnow

DATABASE_SCHEME = "belong-database"


def client_address() -> str:
    """The client's address. Behind PROXY_COUNT trusted reverse proxies (each appending to
    X-Forwarded-For) it is the entry the nearest proxy wrote; earlier entries can be forged."""
    count = int(current_app.config["PROXY_COUNT"] or 0)
    if count > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.remote_addr or ""


class DatabaseStorage(Storage):
    """A `limits` storage in the application's database (`rate_limit_counts`), for
    `belong-database://`: fixed-window counters every worker and server using the database
    shares. Each count is one statement, committed at once: call the limits before the
    request's own writes (the sign-in and reset forms do)."""

    STORAGE_SCHEME = [DATABASE_SCHEME]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = utcnow()
        statement = upsert(RateLimitCount).values(
            key=key, count=amount, expires_at=now + timedelta(seconds=expiry)
        )
        ended = RateLimitCount.expires_at <= now  # the stored window is over: start anew
        statement = statement.on_conflict_do_update(
            index_elements=[RateLimitCount.key],
            set_={
                "count": case((ended, amount), else_=RateLimitCount.count + amount),
                "expires_at": case(
                    (ended, statement.excluded.expires_at), else_=RateLimitCount.expires_at
                ),
            },
        ).returning(RateLimitCount.count)
        value = db.session.execute(statement).scalar_one()
        if value == amount:  # a window starts: forget the ones that are over
            db.session.execute(delete(RateLimitCount).where(RateLimitCount.expires_at <= now))
        db.session.commit()
        return value

    def _row(self, key: str) -> RateLimitCount | None:
        return db.session.scalar(
            select(RateLimitCount).where(
                RateLimitCount.key == key, RateLimitCount.expires_at > utcnow()
            )
        )

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        if row is None:
            return time.time()
        expires = row.expires_at
        return (expires if expires.tzinfo else expires.replace(tzinfo=UTC)).timestamp()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        removed = db.session.execute(delete(RateLimitCount)).rowcount
        db.session.commit()
        return removed

    def clear(self, key: str) -> None:
        db.session.execute(delete(RateLimitCount).where(RateLimitCount.key == key))
        db.session.commit()


def storage_uri(config) -> str:
    """Where the counts live: RATELIMIT_STORAGE_URI, else Redis, else the database."""
    return (
        config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or (f"{DATABASE_SCHEME}://")
    )


def init_app(app: Flask) -> None:
    """Give the app its own Flask-Limiter (one per app: its storage is the app's)."""
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    app.extensions["belong_limiter"] = Limiter(
        client_address,
        app=app,
        storage_uri=storage_uri(app.config),
        # Redis keys start with the prefix, so instances sharing a Redis keep apart.
        storage_options={"key_prefix": prefix, "socket_timeout": 2}
        if storage_uri(app.config).startswith(("redis", "rediss"))
        else {},
        strategy="fixed-window",
        key_prefix=prefix,
    )


class Counted(RateLimitItemPerSecond):
    """`limit` events per `window` seconds, counted under a key that names the window but
    not the limit: a changed limit applies to the count so far (as it did before)."""

    def key_for(self, *identifiers: str) -> str:
        return "/".join([self.namespace, *identifiers, f"{self.multiples}s"])


@dataclass
class LoginLimiter:
    """The app's limits over its Flask-Limiter: sign-in failures per account and address
    and per address, and `allow` for every other kind of event."""

    extension: Limiter
    prefix: str
    max_failures: int
    max_failures_per_ip: int
    window: int

    def _item(self, limit: int, window: int | None = None) -> Counted:
        return Counted(limit, window or self.window)

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        account = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()
        network = hashlib.sha256(address.encode()).hexdigest()  # no addresses in clear
        return f"{self.prefix}acct:{account}", f"{self.prefix}ip:{network}"

    def _limits(self, email: str, address: str):
        account_key, ip_key = self._keys(email, address)
        return (
            (self._item(self.max_failures), account_key),
            (self._item(self.max_failures_per_ip), ip_key),
        )

    def blocked(self, email: str, address: str) -> bool:
        strategy = self.extension.limiter
        return not all(strategy.test(item, key) for item, key in self._limits(email, address))

    def failed(self, email: str, address: str) -> None:
        for item, key in self._limits(email, address):
            self.extension.limiter.hit(item, key)

    def succeeded(self, email: str, address: str) -> None:
        item, key = self._limits(email, address)[0]
        self.extension.limiter.clear(item, key)

    def allow(self, kind: str, key: str, limit: int, window: int | None = None) -> bool:
        """Count one event of this kind for this key; False once more than `limit` happened
        within the window (by default the sign-in window; e.g. password reset mails to one
        address, API requests of one token, comments of the public from one address)."""
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        return self.extension.limiter.hit(
            self._item(limit, window), f"{self.prefix}{kind}:{digest}"
        )


def setting(name: str) -> int:
    """A limit from the configuration (belong/config.py)."""
    return int(current_app.config[name])


def limiter() -> LoginLimiter:
    """The application's limits, read from its configuration at each use."""
    config = current_app.config
    return LoginLimiter(
        extension=current_app.extensions["belong_limiter"],
        prefix=config["RATELIMIT_KEY_PREFIX"],
        max_failures=int(config["LOGIN_MAX_FAILURES"]),
        max_failures_per_ip=int(config["LOGIN_MAX_FAILURES_PER_IP"]),
        window=int(config["LOGIN_WINDOW_SECONDS"]),
    )
