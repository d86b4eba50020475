"""A real server on 127.0.0.1 (its own SQLite file, migrated, demo loaded) and Debian's
Chromium driven by Playwright. Without /usr/bin/chromium these tests fail; they never skip."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from belong import create_app
from belong.demo.seed import PASSWORD, load_demo
from belong.extensions import db
from belong.services import pdf_runner

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BELONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}

COORDINATOR = "coordinator@belong.example"
EDITOR = "editor@belong.example"
CONTRIBUTOR = "contributor@belong.example"
REVIEWER = "reviewer@belong.example"
ADMIN = "admin@belong.example"
NORDMARK_COORDINATOR = "coordinator.nordmark@belong.example"


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app served by Werkzeug's threaded server, as a browser sees it."""
    folder = tmp_path_factory.mktemp("browser-server")
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'belong.sqlite'}",
            "SECRET_KEY": "browser-tests-only",
            "PDF_RENDER_ISOLATION": "inline",
            "PDF_QUEUE": False,
            "PROPAGATE_EXCEPTIONS": False,
        }
    )
    with app.app_context():
        upgrade(revision="heads")
        load_demo()
        db.session.commit()
        db.session.remove()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="belong-live", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        pdf_runner.stop(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium); .ci/run does this."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def signed_in(browser, live_server) -> Callable[..., dict]:
    """Storage state (the session cookie) per demo login and interface language, made once
    through the real sign-in form and the header's language switcher."""
    states: dict[tuple[str, str], dict] = {}

    def state(email: str, lang: str = "en") -> dict:
        if (email, lang) not in states:
            context = browser.new_context()
            page = context.new_page()
            page.goto(live_server("/login"))
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_url(lambda url: "/login" not in url)
            choose_language(page, lang)
            states[email, lang] = context.storage_state()
            context.close()
        return states[email, lang]

    return state


@pytest.fixture
def open_as(browser, live_server, signed_in, request):
    """A fresh browser tab signed in as a demo user (or anonymous), in a chosen interface
    language; a screenshot is kept in tests/artifacts when the test fails."""
    contexts = []

    def _open(email: str | None, path: str = "/", *, lang: str = "en", viewport=DESKTOP, **options):
        context = browser.new_context(
            storage_state=signed_in(email, lang) if email else None,
            viewport=viewport,
            locale={"en": "en-GB", "de": "de-DE", "es": "es-ES", "pl": "pl-PL"}[lang],
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if path is not None:  # None: the test navigates itself
            page.goto(live_server(path))
            if page.locator("html").get_attribute("lang") != lang:
                choose_language(page, lang)
        return page

    yield _open
    failed = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            for page in context.pages:
                shoot(page, f"failed-{request.node.name}-{number}")
        context.close()


def choose_language(page, lang: str) -> None:
    """Use the header's language switcher, as a person would."""
    page.select_option("#language-choice", lang)
    page.locator(".language-form button").click()
    page.wait_for_function(
        f"document.documentElement && document.documentElement.lang === {lang!r}"
    )


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def site(browser, live_server, signed_in):
    """Finds pages by following links, as the signed-in person (see pages.py)."""
    from tests.browser.pages import Site

    contexts: dict[str | None, object] = {}

    def request_for(who: str | None):
        if who not in contexts:
            contexts[who] = browser.new_context(storage_state=signed_in(who) if who else None)
        return contexts[who].request

    yield Site(live_server, request_for)
    for context in contexts.values():
        context.close()
