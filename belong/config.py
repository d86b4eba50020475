"""Configuration classes; the environment picks one and fills in the secrets."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    ENV_NAME = "production"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    STRATEGY_TEMPLATES_DIR = str(ROOT / "strategy_templates")
    # A CSRF token lives as long as the session: long edits must never lose their text.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    MAX_ANSWER_LENGTH = 50_000
    INVITE_TOKEN_HOURS = 72
    ARGON2_PROFILE = "standard"
    BABEL_DEFAULT_LOCALE = "en"
    PDF_TIMEOUT_SECONDS = 60
    # PDFs render in a child process with these bounds; "inline" renders in the worker itself.
    PDF_MEMORY_MB = 2048
    PDF_RENDER_ISOLATION = "subprocess"
    # With REDIS_URL set, PDFs render in the RQ worker (`flask pdf-worker`); None = auto.
    PDF_QUEUE: bool | None = None
    PDF_QUEUE_NAME = "belong-pdf"
    # Without the queue, renders run off the request in this many threads of each app process
    # (each hands its render to a bounded child process; belong/services/pdf_runner.py).
    PDF_RENDER_WORKERS = 2
    # How long a request waits for a render it asked for before it shows "Preparing your
    # document" (0: it never waits). Only the app's own runner is waited for.
    PDF_WAIT_SECONDS = 0.0
    # A region's draft PDF renders in the background once its content has been quiet this long
    # (0: never), if someone opened the region in the last PDF_PRERENDER_RECENT_SECONDS; at most
    # PDF_PRERENDER_LIMIT such renders at once (belong/services/prerender.py).
    PDF_PRERENDER_QUIET_SECONDS = 60.0
    PDF_PRERENDER_RECENT_SECONDS = 3600
    PDF_PRERENDER_LIMIT = 1
    # For tests and the benchmark only: the render child sleeps this long first (a slow render).
    PDF_RENDER_DELAY_SECONDS = 0.0
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "belong@localhost"
    # The address people reach the app at, for links in e-mail (never taken from a request's
    # Host header); required in production.
    EXTERNAL_URL: str | None = None
    # Rendered parts of busy pages (belong/page_cache.py), kept in each process or in Redis
    # when REDIS_URL is set. A step page's part is about 90 KB; one unused for an hour goes.
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_THRESHOLD = 300
    # Redis, shared by every worker and server: rate-limit counts, kept pages, the PDF queue.
    # Without it they live in the database and in each process.
    REDIS_URL: str | None = None
    # How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
    PROXY_COUNT = 0
    # Where Flask-Limiter keeps the counts of every limit below (belong/services/ratelimit.py):
    # None = REDIS_URL when set, else the database (shared by every worker); `memory://`
    # keeps them in each process.
    RATELIMIT_STORAGE_URI: str | None = None
    # Sign-in limits, counted in a fixed window.
    LOGIN_MAX_FAILURES = 5  # per account and address
    LOGIN_MAX_FAILURES_PER_IP = 50  # per address over all accounts (password spraying)
    LOGIN_WINDOW_SECONDS = 15 * 60
    RATELIMIT_KEY_PREFIX = "belong:login:"
    RESET_MAILS_PER_ADDRESS = 3  # reset links sent to one e-mail address per window
    KEPT_FORMS_PER_ADDRESS = 20  # signed-out step forms kept for one client address
    RESET_TOKEN_HOURS = 2
    # The read-only API (belong/api/): requests per token, and per client address for
    # requests without a valid token, in a fixed window of API_WINDOW_SECONDS.
    API_REQUESTS_PER_WINDOW = 300
    API_UNAUTHENTICATED_PER_WINDOW = 30
    API_WINDOW_SECONDS = 60
    # Comments of the public on a consultation (belong/services/consultations.py), counted in
    # a fixed window: per client address, and per consultation over every address.
    CONSULT_COMMENTS_PER_ADDRESS = 20
    CONSULT_COMMENTS_PER_CONSULTATION = 1000
    CONSULT_WINDOW_SECONDS = 60 * 60


class ProductionConfig(Config):
    pass


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - development only
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    EXTERNAL_URL = "http://127.0.0.1:5000"


class TestingConfig(DevelopmentConfig):
    ENV_NAME = "testing"
    TESTING = True
    ARGON2_PROFILE = "fast-for-tests"
    # Tests that download or submit get the PDF in the same request (rendered by the runner,
    # off the request thread); the tests of "nobody waits" set 0, as in production.
    PDF_WAIT_SECONDS = 120.0
    PDF_PRERENDER_QUIET_SECONDS = 0.0  # on only in the tests of background renders


def _flag(text: str) -> bool:
    return text.lower() in ("1", "true", "yes")


# The settings the environment overrides (besides BELONG_ENV and DATABASE_URL), each with
# the type it is read as; the README's configuration table lists every one.
ENVIRONMENT = {
    "SECRET_KEY": str,
    "EXTERNAL_URL": str,
    "REDIS_URL": str,
    "PROXY_COUNT": int,
    "RATELIMIT_STORAGE_URI": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": _flag,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "PDF_TIMEOUT_SECONDS": int,
    "PDF_MEMORY_MB": int,
    "PDF_PRERENDER_QUIET_SECONDS": float,
}

CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def load_config(app, test_config: dict | None) -> None:
    """Pick the class from BELONG_ENV, then let the environment override it."""
    name = (test_config or {}).get("ENV_NAME") or os.environ.get("BELONG_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"BELONG_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    app.config.from_object(CONFIGS[name])
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{Path(app.instance_path) / 'belong.sqlite'}"
    )
    for key, kind in ENVIRONMENT.items():
        if os.environ.get(key):
            app.config[key] = kind(os.environ[key])
    if test_config:
        app.config.update(test_config)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if app.config["ENV_NAME"] == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY must be set in production (or set BELONG_ENV=development on your laptop)."
        )
    external = (app.config.get("EXTERNAL_URL") or "").strip().rstrip("/")
    if app.config["ENV_NAME"] == "production" and not external.startswith(("https://", "http://")):
        raise RuntimeError(
            "EXTERNAL_URL must be set in production to the address people open the app at, "
            "e.g. https://belong.example.org: links in e-mail are built from it."
        )
    app.config["EXTERNAL_URL"] = external
