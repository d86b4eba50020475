"""Login rate limiting: failed sign-ins counted per account and address, in a fixed window.

Counts live in memory (one process) by default, or in Redis when REDIS_URL is configured, so
that several gunicorn workers share them. Only failures count; a successful sign-in clears the
account's count. A blocked attempt is refused before the password is checked.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass

from flask import current_app, request

DEFAULTS = {
    "LOGIN_MAX_FAILURES": 5,  # per account and address
    "LOGIN_MAX_FAILURES_PER_IP": 50,  # per address over all accounts (password spraying)
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "RATELIMIT_KEY_PREFIX": "belong:login:",
    "RESET_MAILS_PER_ADDRESS": 3,  # reset links sent to one e-mail address per window
    "KEPT_FORMS_PER_ADDRESS": 20,  # signed-out step forms kept for one client address
}


def client_address() -> str:
    """The client's address. Behind PROXY_COUNT trusted reverse proxies (each appending to
    X-Forwarded-For) it is the entry the nearest proxy wrote; earlier entries can be forged."""
    count = int(current_app.config.get("PROXY_COUNT") or os.environ.get("PROXY_COUNT") or 0)
    if count > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.remote_addr or ""


class MemoryStorage:
    """Fixed-window counters in this process."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def count(self, key: str) -> int:
        with self._lock:
            value, expires = self._counts.get(key, (0, 0.0))
            return value if expires > time.monotonic() else 0

    def hit(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            value, expires = self._counts.get(key, (0, 0.0))
            if expires <= now:
                value, expires = 0, now + window
            self._counts[key] = (value + 1, expires)
            if len(self._counts) > 100_000:  # forget finished windows now and then
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            return value + 1

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


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
    storage: MemoryStorage | RedisStorage
    prefix: str
    max_failures: int
    max_failures_per_ip: int
    window: int

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        account = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()
        return f"{self.prefix}acct:{account}", f"{self.prefix}ip:{address}"

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

    def allow(self, kind: str, key: str, limit: int) -> bool:
        """Count one event of this kind for this key; False once more than `limit` happened
        within the window (e.g. password reset mails to one address)."""
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        return self.storage.hit(f"{self.prefix}{kind}:{digest}", self.window) <= limit


def setting(name: str) -> int:
    """A limit from the configuration, else its default above."""
    return int(current_app.config.get(name, DEFAULTS[name]))


def limiter() -> LoginLimiter:
    """The application's limiter, made on first use from its configuration."""
    app = current_app
    existing = app.extensions.get("belong_login_limiter")
    if existing is None:
        config = {key: app.config.get(key, default) for key, default in DEFAULTS.items()}
        url = app.config.get("REDIS_URL")
        existing = LoginLimiter(
            storage=RedisStorage(url) if url else MemoryStorage(),
            prefix=config["RATELIMIT_KEY_PREFIX"],
            max_failures=int(config["LOGIN_MAX_FAILURES"]),
            max_failures_per_ip=int(config["LOGIN_MAX_FAILURES_PER_IP"]),
            window=int(config["LOGIN_WINDOW_SECONDS"]),
        )
        app.extensions["belong_login_limiter"] = existing
    return existing
