"""The health check a load balancer polls on every app server."""

from __future__ import annotations


def test_healthz_answers_without_login_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_fails_when_the_configured_redis_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "failed", "database": "ok", "redis": "failed"}


def test_healthz_checks_redis_when_configured(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    assert client.get("/healthz").get_json()["redis"] == "ok"
