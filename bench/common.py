"""Shared by the benchmark scripts: a prepared demo database and a logged-in client."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "belong-demo-2026"  # the fixed demo login (belong/demo/seed.py)


def config(database_url: str, **extra) -> dict:
    return {
        "ENV_NAME": "development",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,  # the benchmark logs in with a plain POST
        "PDF_TIMEOUT_SECONDS": 600,  # the demo renders PDFs while seeding; a busy machine is slow
        "PDF_PRERENDER_QUIET_SECONDS": 0,  # no background render unless a benchmark asks for it
        **extra,
    }


def prepare_demo(database_url: str, *, fresh: bool = True):
    """Migrate `database_url` and load the demo programme; returns the app."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, text

    from belong import create_app
    from belong.demo import seed
    from belong.extensions import db

    app = create_app(config(database_url))
    with app.app_context():
        if fresh:
            meta = MetaData()
            meta.reflect(bind=db.engine)
            meta.drop_all(bind=db.engine)
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="heads")
        seed.load_demo()
        db.session.commit()
        db.engine.dispose()
    return app


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.node()}; {cpu}; "
        f"{os.cpu_count()} cores; {mem_gb:.0f} GiB; Python {platform.python_version()}; "
        f"git {git_head()}; speed probe {speed_probe():.2f} s"
    )


def speed_probe() -> float:
    """CPU seconds for ten million additions in a Python loop: compares machines (and one
    VM with itself over time) whose names say little about their speed."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def git_head() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values)
