"""Belong: a guided workspace for regions building an intercultural strategy."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from belong.config import ROOT, load_config


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_relative_config=True,
    )
    load_config(app, test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("belong").setLevel(logging.INFO)
    register_extensions(app)
    register_templates(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from belong import auth_session, database, i18n
    from belong.extensions import csrf, db, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    auth_session.init_app(app)
    i18n.init_app(app)


def register_templates(app: Flask) -> None:
    from belong import web
    from belong.templating import registry

    registry.init_app(app)
    web.init_app(app)


def register_blueprints(app: Flask) -> None:
    from belong import i18n
    from belong.views import admin, assessment, auth, document, main, regions, steps

    for module in (auth, main, admin, regions, steps, document, assessment):
        app.register_blueprint(module.bp)
    app.register_blueprint(i18n.bp)  # the language switcher
    from belong.views import audit, autosave, history, recovery, region_data

    for module in (history, autosave, audit, region_data, recovery):  # data safety
        app.register_blueprint(module.bp)
    from belong.views import account, users

    for module in (account, users):  # account safety: password change and reset, people
        app.register_blueprint(module.bp)
    from belong.views import contributions, members

    for module in (members, contributions):  # stakeholder input and the members page
        app.register_blueprint(module.bp)

    from belong.views import dashboard, notifications, review

    for module in (review, notifications, dashboard):  # review cycle and programme view
        app.register_blueprint(module.bp)
    from belong.views import health

    app.register_blueprint(health.bp)  # /healthz for load balancers


def register_errorhandlers(app: Flask) -> None:
    from belong.views import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from belong import cli

    cli.init_app(app)
