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
    from belong import auth_session, database, form_origin, i18n, page_cache
    from belong.extensions import csrf, db, migrate
    from belong.services import prerender, ratelimit, summaries

    database.configure_engine(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    form_origin.init_app(app)
    auth_session.init_app(app)
    i18n.init_app(app)
    summaries.init_app(app)
    page_cache.init_app(app)
    prerender.init_app(app)
    ratelimit.init_app(app)


def register_templates(app: Flask) -> None:
    from belong import web
    from belong.templating import registry

    registry.init_app(app)
    web.init_app(app)


def register_blueprints(app: Flask) -> None:
    from belong import api, i18n
    from belong.views import (
        account,
        admin,
        adoption,
        assessment,
        audit,
        auth,
        autosave,
        consult,
        consultation,
        contributions,
        dashboard,
        document,
        health,
        history,
        html_edition,
        main,
        markdown_preview,
        members,
        notifications,
        publication,
        records,
        recovery,
        region_data,
        regions,
        review,
        steps,
        users,
    )

    modules = (
        (auth, account, main, i18n, health),  # signing in, own account, language, /healthz
        (admin, users, dashboard, audit),  # the programme: regions, people, overview, log
        # a region's guided workspace
        (
            regions,
            publication,
            members,
            steps,
            markdown_preview,
            records,
            assessment,
            document,
            html_edition,
        ),
        (history, autosave, recovery, region_data),  # nothing lost: history, autosave, export
        (contributions,),  # stakeholder input
        (consultation, consult),  # the public consultation: the team's side, the public page
        (review, adoption, notifications),  # versions, comments, verdicts, adoption
        (api,),  # the read-only JSON API, /api/v1/
    )
    for group in modules:
        for module in group:
            app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from belong.views import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from belong import cli

    cli.init_app(app)
