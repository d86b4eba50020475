"""A health check for load balancers and process managers: is the database answering?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from belong.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """200 when this app server can serve: the database answers (and Redis, if configured)."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means "not ready"
        current_app.logger.exception("health check: database unreachable")
        checks["database"] = "failed"
    finally:
        db.session.rollback()
    if current_app.config.get("REDIS_URL"):
        try:
            from redis import Redis

            Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:  # any failure means "not ready"
            current_app.logger.exception("health check: Redis unreachable")
            checks["redis"] = "failed"
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if healthy else "failed", **checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
