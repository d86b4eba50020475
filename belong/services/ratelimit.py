"""Login rate limiting: failed sign-ins counted per account and address, in a fixed window.

Counts live in Redis when REDIS_URL is configured, else in the application's database: either
way every gunicorn worker and server shares them. Only failures count; a successful sign-in
clears the account's count. A blocked attempt is refused before the password is checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import case, delete, select

from belong.database import upsert
from belong.extensions import db
from belong.models import RateLimitCount
from belong.models.base import utcnow


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


class DatabaseStorage:
    """Fixed-window counters in the application's database (`rate_limit_counts`), so every
    worker and server using it shares them. Each count is one statement, committed at once:
    call these before the request's own writes (the sign-in and reset forms do)."""

    def count(self, key: str) -> int:
        value = db.session.scalar(
            select(RateLimitCount.count).where(
                RateLimitCount.key == key, RateLimitCount.expires_at > utcnow()
            )
        )
        return value or 0

    def hit(self, key: str, window: int) -> int:
        now = utcnow()
        statement = upsert(RateLimitCount).values(
            key=key, count=1, expires_at=now + timedelta(seconds=window)
        )
        ended = RateLimitCount.expires_at <= now  # the stored window is over: start anew
        statement = statement.on_conflict_do_update(
            index_elements=[RateLimitCount.key],
            set_={
                "count": case((ended, 1), else_=RateLimitCount.count + 1),
                "expires_at": case(
                    (ended, statement.excluded.expires_at), else_=RateLimitCount.expires_at
                ),
            },
        ).returning(RateLimitCount.count)
        value = db.session.execute(statement).scalar_one()
        if value == 1:  # a window starts: forget the ones that are over
            db.session.execute(delete(RateLimitCount).where(RateLimitCount.expires_at <= now))
        db.session.commit()
        return value

    def clear(self, key: str) -> None:
        db.session.execute(delete(RateLimitCount).where(RateLimitCount.key == key))
        db.session.commit()


class RedisStorage:
    """Fixed-window counters in Redis: INCR, and EXPIRE when the window starts."""

    def __init__(self, url: str) -> None:
        import redis  # only needed when REDIS_URL is set

        self.client = redis.Redis.from_url(url, socket_timeout=2)

    def count(self, key: str) -> int:
        return int(self.client.get(key) or 0)

    def hit(self, key: str, window: int) -> int:
        pipe = self.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        value, _ = pipe.execute()
        return int(value)

    def clear(self, key: str) -> None:
        self.client.delete(key)


@dataclass
class LoginLimiter:
    storage: DatabaseStorage | RedisStorage
    prefix: str
    max_failures: int
    max_failures_per_ip: int
    window: int

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        account = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()
        network = hashlib.sha256(address.encode()).hexdigest()  # no addresses in clear
        return f"{self.prefix}acct:{account}", f"{self.prefix}ip:{network}"

    def blocked(self, email: str, address: str) -> bool:
        account_key, ip_key = self._keys(email, address)
        return (
            self.storage.count(account_key) >= self.max_failures
            or self.storage.count(ip_key) >= self.max_failures_per_ip
        )

    def failed(self, email: str, address: str) -> None:
        for key in self._keys(email, address):
            self.storage.hit(key, self.window)

    def succeeded(self, email: str, address: str) -> None:
        self.storage.clear(self._keys(email, address)[0])

    def allow(self, kind: str, key: str, limit: int, window: int | None = None) -> bool:
        """Count one event of this kind for this key; False once more than `limit` happened
        within the window (by default the sign-in window; e.g. password reset mails to one
        address, API requests of one token, comments of the public from one address)."""
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        return self.storage.hit(f"{self.prefix}{kind}:{digest}", window or self.window) <= limit


def setting(name: str) -> int:
    """A limit from the configuration (belong/config.py)."""
    return int(current_app.config[name])


def limiter() -> LoginLimiter:
    """The application's limiter, made on first use from its configuration."""
    app = current_app
    existing = app.extensions.get("belong_login_limiter")
    if existing is None:
        config = app.config
        url = config["REDIS_URL"]
        existing = LoginLimiter(
            storage=RedisStorage(url) if url else DatabaseStorage(),
            prefix=config["RATELIMIT_KEY_PREFIX"],
            max_failures=int(config["LOGIN_MAX_FAILURES"]),
            max_failures_per_ip=int(config["LOGIN_MAX_FAILURES_PER_IP"]),
            window=int(config["LOGIN_WINDOW_SECONDS"]),
        )
        app.extensions["belong_login_limiter"] = existing
    return existing
