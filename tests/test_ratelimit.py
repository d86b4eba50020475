"""Login rate limiting (Flask-Limiter): in the database by default, in Redis when REDIS_URL
is set, in the process with RATELIMIT_STORAGE_URI=memory://."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from sqlalchemy import func, select

from belong import create_app
from belong.extensions import db
from belong.models import AuditEvent, RateLimitCount, Role
from belong.services import ratelimit
from belong.services.ratelimit import limiter
from tests.conftest import PASSWORD, csrf_token, post_form

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 5


@pytest.fixture(params=["database", "redis", "memory"])
def storage(request, app):
    """Configure the app's limiter before its first request; Redis keys get a unique prefix."""
    prefix = f"belong-test:{uuid.uuid4().hex}:"
    app.config.update(LOGIN_MAX_FAILURES=LIMIT, RATELIMIT_KEY_PREFIX=prefix)
    if request.param == "redis":
        app.config["REDIS_URL"] = REDIS_URL
    if request.param == "memory":
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    ratelimit.init_app(app)  # the app's Flask-Limiter, now with this storage
    yield request.param
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)


def _attempt(client, email, password, address="192.0.2.10"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    return client.post(
        "/login",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": email,
            "password": password,
        },
        environ_base={"REMOTE_ADDR": address},
    )


def _logout(client):
    page = client.get("/account/password").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302


def _fail(client, email, times, address="192.0.2.10"):
    for _ in range(times):
        response = _attempt(client, email, "wrong password", address)
        assert response.status_code == 200
        assert "The email address or password is not right." in response.get_data(as_text=True)


def test_too_many_failures_block_the_account_from_that_address(client, make, storage):
    user = make.user(Role.EDITOR, make.region("alpha"))
    _fail(client, user.email, LIMIT)
    blocked = _attempt(client, user.email, PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert "Too many failed attempts to sign in. Wait 15 minutes" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "900"
    assert client.get("/r/alpha/").status_code == 302  # not signed in


def test_the_limit_is_per_account_and_address(client, make, storage):
    region = make.region("alpha")
    user, other = make.user(Role.EDITOR, region), make.user(Role.EDITOR, region)
    _fail(client, user.email.upper(), LIMIT)  # the address is compared case-insensitively
    assert _attempt(client, user.email, PASSWORD).status_code == 429
    assert _attempt(client, other.email, PASSWORD).status_code == 302
    _logout(client)
    assert _attempt(client, user.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_login_clears_the_count(client, make, storage):
    user = make.user(Role.EDITOR, make.region("alpha"))
    _fail(client, user.email, LIMIT - 1)
    assert _attempt(client, user.email, PASSWORD).status_code == 302
    _logout(client)
    _fail(client, user.email, LIMIT - 1)
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_the_block_ends_with_the_window(app, client, make, storage):
    # A window long enough that the first attempt lands inside it on a loaded machine.
    app.config.update(LOGIN_WINDOW_SECONDS=8, LOGIN_MAX_FAILURES=2)
    user = make.user(Role.EDITOR, make.region("alpha"))
    with app.test_request_context():  # the failures at a known moment (no slow hashing)
        started = time.monotonic()
        limiter().failed(user.email, "192.0.2.10")
        limiter().failed(user.email, "192.0.2.10")
    assert _attempt(client, user.email, PASSWORD).status_code == 429
    time.sleep(max(0.0, started + 9.5 - time.monotonic()))
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_an_empty_form_does_not_count_as_a_failure(client, make, storage):
    user = make.user(Role.EDITOR, make.region("alpha"))
    for _ in range(LIMIT + 2):
        assert _attempt(client, user.email, "").status_code == 200
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_workers_sharing_redis_share_the_count(app, client, make, templates_dir, migrated):
    """Two app instances (two gunicorn workers) with the same REDIS_URL see one count."""
    prefix = f"belong-test:{uuid.uuid4().hex}:"
    settings = {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_MAX_FAILURES": 3}
    app.config.update(settings)
    ratelimit.init_app(app)
    user = make.user(Role.EDITOR, make.region("alpha"))
    try:
        _fail(client, user.email, 3)
        second_worker = create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": migrated,
                "STRATEGY_TEMPLATES_DIR": str(templates_dir),
                **settings,
            }
        )
        response = _attempt(second_worker.test_client(), user.email, PASSWORD)
        assert response.status_code == 429
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)


@pytest.fixture
def second_worker(app, templates_dir, migrated):
    """Another app instance on the same database, as a second gunicorn worker would be."""
    worker = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": migrated,
            "STRATEGY_TEMPLATES_DIR": str(templates_dir),
        }
    )
    yield worker
    with worker.app_context():
        db.engine.dispose()


def test_workers_without_redis_share_the_count_through_the_database(
    app, client, make, second_worker
):
    """Two app instances (two gunicorn workers) on the same database, no Redis: five wrong
    passwords spread over both are five, not five each."""
    app.config["LOGIN_MAX_FAILURES"] = second_worker.config["LOGIN_MAX_FAILURES"] = LIMIT
    user = make.user(Role.EDITOR, make.region("alpha"))
    other_browser, email = second_worker.test_client(), user.email
    _fail(client, email, 3)
    db.session.commit()  # (this test's session served the first worker's requests)
    _fail(other_browser, email, LIMIT - 3)
    assert _attempt(other_browser, email, PASSWORD).status_code == 429
    assert _attempt(client, email, PASSWORD).status_code == 429
    counts = db.session.scalars(select(RateLimitCount)).all()
    assert {c.count for c in counts} == {LIMIT}  # account+address, and address
    assert not any(email in c.key or "192.0.2.10" in c.key for c in counts)


def test_reset_links_are_limited_across_workers_without_redis(app, client, make, second_worker):
    app.config["RESET_MAILS_PER_ADDRESS"] = second_worker.config["RESET_MAILS_PER_ADDRESS"] = 2
    email = make.user(Role.EDITOR, make.region("alpha")).email
    for browser in (client, second_worker.test_client(), client):
        post_form(browser, "/forgot-password", {"email": email}).close()  # link made on close
        db.session.commit()  # (this test's session served the first worker's requests)
    issued = select(func.count()).where(AuditEvent.action == "password_reset_requested")
    assert db.session.scalar(issued) == 2  # three requests, two links


def test_the_redis_counter_expires_with_its_window(app):
    prefix = f"belong-test:{uuid.uuid4().hex}:"
    app.config.update(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, LOGIN_WINDOW_SECONDS=60)
    app.config.update(LOGIN_MAX_FAILURES=2)
    ratelimit.init_app(app)
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with app.test_request_context():
            limiter().failed("a@example.org", "192.0.2.1")
            assert not limiter().blocked("a@example.org", "192.0.2.1")
            limiter().failed("a@example.org", "192.0.2.1")
            assert limiter().blocked("a@example.org", "192.0.2.1")
        keys = list(store.scan_iter(f"{prefix}*"))
        assert len(keys) == 2  # the account+address key and the address key
        assert all(0 < store.ttl(key) <= 60 for key in keys)
        assert not any(b"a@example.org" in key or b"192.0.2.1" in key for key in keys)
    finally:
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)


def test_behind_a_proxy_the_forwarded_address_counts(app, client, make, storage):
    """With PROXY_COUNT=1 the address the proxy appended is used; a forged entry before it
    does not escape the limit."""
    app.config["PROXY_COUNT"] = 1
    user = make.user(Role.EDITOR, make.region("alpha"))
    for forged in range(LIMIT):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "csrf_token": csrf_token(page.get_data(as_text=True)),
                "email": user.email,
                "password": "wrong",
            },
            headers={"X-Forwarded-For": f"10.0.0.{forged}, 203.0.113.5"},
        )
        assert response.status_code == 200
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    blocked = client.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.5"},
    )
    assert blocked.status_code == 429
    elsewhere = client.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assert elsewhere.status_code == 302


def test_many_accounts_from_one_address_are_limited_too(app, client, make, storage):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    region = make.region("alpha")
    people = [make.user(Role.EDITOR, region) for _ in range(2)]
    _fail(client, people[0].email, 2)
    _fail(client, "nobody@example.org", 1)
    assert _attempt(client, people[1].email, PASSWORD).status_code == 429
