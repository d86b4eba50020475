"""Fixtures: a migrated database (SQLite, or PostgreSQL when DATABASE_URL is set),
an app per test with empty tables, clients that log in through the real form with CSRF on."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, inspect, text

from belong import create_app
from belong.extensions import db
from belong.models import DraftVersion, Role
from belong.services import accounts, pdf_runner
from belong.services import regions as region_service

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@pytest.fixture(scope="session")
def templates_dir(tmp_path_factory) -> Path:
    """The real templates plus the small sample that uses every question type."""
    root = tmp_path_factory.mktemp("strategy_templates")
    for folder in (ROOT / "strategy_templates").iterdir():
        if folder.is_dir():
            shutil.copytree(folder, root / folder.name)
    shutil.copytree(Path(__file__).parent / "data" / "templates" / "sample", root / "sample")
    return root


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return (
        os.environ.get("DATABASE_URL")
        or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    )


def _config(database_url: str, templates_dir: Path, **extra) -> dict:
    return {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "STRATEGY_TEMPLATES_DIR": str(templates_dir),
        **extra,
    }


@pytest.fixture(scope="session")
def migrated(database_url, templates_dir) -> str:
    """Run the real migrations once on an empty database."""
    app = create_app(_config(database_url, templates_dir))
    with app.app_context():
        _drop_everything()
        upgrade(revision="heads")
        db.engine.dispose()
    return database_url


def _drop_everything() -> None:
    meta = MetaData()
    meta.reflect(bind=db.engine)
    meta.drop_all(bind=db.engine)
    if "alembic_version" in inspect(db.engine).get_table_names():
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


class BrowserLikeClient(FlaskClient):
    """Each request gets its own `g`, as in production, although the test holds an app
    context open for its own database work (Flask reuses a pushed app context)."""

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        saved = ctx.g if ctx is not None else None
        if ctx is not None:
            ctx.g = self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            if ctx is not None:
                ctx.g = saved
                db.session.expire_all()


@pytest.fixture
def app(migrated, templates_dir):
    app = create_app(_config(migrated, templates_dir))
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        yield app
        pdf_runner.stop(app)  # no render thread outlives its test
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST like a browser: fetch the page first for its CSRF token."""
    page = client.get(token_from or url)
    payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, **kwargs)


def login(client, email: str, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


class Factory:
    """Makes regions and people for a test; everything is committed."""

    def __init__(self) -> None:
        self.count = 0

    def region(self, slug: str = "alpha", template_id: str = "sample", name: str | None = None):
        region = region_service.create_region(name or slug.title(), slug, template_id)
        db.session.commit()
        return region

    def user(self, role: Role | None = None, region=None, *, admin: bool = False, email=None):
        self.count += 1
        email = email or f"user{self.count}@example.org"
        user = accounts.create_user(email, f"User {self.count}", password=PASSWORD, is_admin=admin)
        if region is not None and role is not None:
            accounts.invite(region, email, user.name, role, hours=1)
        db.session.commit()
        return user

    def version(self, region, user, number: int = 1, answers: dict | None = None):
        """A stored version without rendering (for what happens after submission)."""
        pdf = f"%PDF-1.7 fake {number}".encode()
        version = DraftVersion(
            region_id=region.id,
            number=number,
            template_id=region.template_id,
            template_version=1,
            answers=answers or {},
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            message="",
            submitted_by_id=user.id,
        )
        db.session.add(version)
        db.session.commit()
        return version


@pytest.fixture
def make(app) -> Factory:
    return Factory()


@pytest.fixture
def as_user(client, make):
    """Log the test client in as a new member with the given role in the given region."""

    def _as(role: Role | None, region=None, *, admin: bool = False):
        user = make.user(role, region, admin=admin)
        login(client, user.email)
        return user

    return _as


class RecordingSMTP:
    """Stands in for the mail server at the socket's edge (smtplib.SMTP), keeping what it was
    given and where it was asked to connect."""

    sent: list = []
    hosts: list = []

    def __init__(self, host, port, timeout):
        RecordingSMTP.hosts.append(host)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        RecordingSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch) -> list:
    """A configured mail server whose messages land in the returned list."""
    RecordingSMTP.sent, RecordingSMTP.hosts = [], []
    monkeypatch.setattr("smtplib.SMTP", RecordingSMTP)
    app.config["MAIL_SERVER"] = "mail.example.org"
    return RecordingSMTP.sent
