"""Page benchmark: gunicorn (2 workers) on loopback, 8 concurrent clients for a fixed time.

    .venv/bin/python bench/pages.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/pages.py --db sqlite     # one of them
    .venv/bin/python bench/pages.py --duration 5 --rounds 3   # the defaults

Serves a prepared demo database (the step page gets 50 contributions and 20 comments) and,
as the ceiling, a minimal Flask page under the same gunicorn settings, taking turns with each
page (a shared VM's speed drifts within minutes): three rounds of the ceiling then the page.
Prints, as medians of the rounds, requests/s, p50 and p95 latency per page and each page's
share of the ceiling's throughput (each round's share taken side by side), and the CPU time of one
request both as served (from the page's kept body, belong/page_cache.py) and after a change
(the body worked out again). The load comes from wrk (Debian package `wrk`) when installed,
else from a small threaded client.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

PG_URL = "postgresql://postgres@127.0.0.1:5432/belong_bench"
REGION = "valdoria"
CONTRIBUTIONS, COMMENTS = 50, 20
BENCH = Path(__file__).resolve().parent


def enrich(app, region_slug: str = REGION) -> str:
    """Bring one step of the region to 50 contributions and 20 comments; returns its id."""
    from sqlalchemy import func, select

    import belong.models as models
    from belong.extensions import db
    from belong.models import Membership, Region
    from belong.templating.registry import get_template

    with app.app_context():
        region = db.session.scalar(select(Region).where(Region.slug == region_slug))
        step = get_template(region.template_id).definition.steps[1]
        authors = list(
            db.session.scalars(select(Membership.user_id).where(Membership.region_id == region.id))
        )
        contribution = getattr(models, "Contribution", None)
        if contribution is not None:
            have = db.session.scalar(
                select(func.count())
                .select_from(contribution)
                .where(contribution.region_id == region.id, contribution.step_id == step.id)
            )
            for i in range(have, CONTRIBUTIONS):
                db.session.add(
                    contribution(
                        region_id=region.id,
                        step_id=step.id,
                        prompt_index=None,
                        author_id=authors[i % len(authors)],
                        organisation=f"Organisation {i}",
                        category="ngo",
                        body=f"Input number {i}: a **concrete** proposal for this step.",
                    )
                )
        thread, comment = getattr(models, "CommentThread", None), getattr(models, "Comment", None)
        version = None
        if thread is not None:
            version = db.session.scalar(
                select(models.DraftVersion).where(models.DraftVersion.region_id == region.id)
            )
        if version is not None:
            have = db.session.scalar(
                select(func.count())
                .select_from(comment)
                .join(thread, comment.thread_id == thread.id)
                .where(thread.region_id == region.id, thread.step_id == step.id)
            )
            for i in range(have, COMMENTS, 4):
                row = thread(
                    region_id=region.id,
                    version_id=version.id,
                    step_id=step.id,
                    question_id="",
                    created_by_id=authors[i % len(authors)],
                )
                db.session.add(row)
                db.session.flush()
                for j in range(min(4, COMMENTS - i)):
                    db.session.add(
                        comment(
                            region_id=region.id,
                            thread_id=row.id,
                            author_id=authors[(i + j) % len(authors)],
                            body=f"Comment {i + j} on this step.",
                        )
                    )
        db.session.commit()
        return step.id


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the project's settings file, on a loopback port."""

    def __init__(self, target: str, env: dict, chdir: Path = common.ROOT) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                str(common.ROOT / "gunicorn.conf.py"),
                "--chdir",
                str(chdir),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                target,
            ],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn for {target} did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def request(port: int, method: str, path: str, cookie: str = "", body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    conn.close()
    return response.status, text, cookies


def login(port: int, email: str) -> str:
    status, page, cookies = request(port, "GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    cookie = "; ".join(cookies)
    form = {"email": email, "password": common.DEMO_PASSWORD, "csrf_token": token.group(1)}
    status, _page, cookies = request(port, "POST", "/login", cookie, form)
    assert status == 302, f"login as {email} failed ({status})"
    return "; ".join(cookies)


def load(url: str, cookie: str, duration: int, clients: int) -> dict:
    if shutil.which("wrk"):
        command = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{duration}s", "--timeout", "10s"]
        command += ["-s", str(BENCH / "wrk_report.lua"), url]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    return threaded_load(url, cookie, duration, clients)


def threaded_load(url: str, cookie: str, duration: int, clients: int) -> dict:
    """Fallback load generator: keep-alive connections, one thread per client."""
    parsed = urllib.parse.urlparse(url)
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + duration

    def client() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request("GET", parsed.path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            mine.append(time.perf_counter() - started)
        latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "errors": errors[0],
    }


def cpu_per_request(database_url: str, logins: dict[str, str], paths: list[tuple[str, str]]):
    """Median CPU time of one request per page, in this process (the machine may be shared:
    CPU time does not grow with other processes' load, wall-clock time does)."""
    from belong import create_app

    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x",
            "EXTERNAL_URL": "http://127.0.0.1",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    app.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain http
    clients = {}
    for who, email in logins.items():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
        form = {"email": email, "password": common.DEMO_PASSWORD, "csrf_token": token.group(1)}
        assert client.post("/login", data=form).status_code == 302
        clients[who] = client
    from belong import page_cache

    result, worked_out = {}, {}
    for who, path in paths:
        client = clients[who]
        for _ in range(3):
            client.get(path)
        for cleared, figures in ((False, result), (True, worked_out)):
            times = []
            for _ in range(20):
                if cleared:  # as after a change: the page's kept body is worked out again
                    page_cache.cache.clear()
                started = time.process_time()
                client.get(path)
                times.append(time.process_time() - started)
            figures[path] = common.median(times) * 1000
    with app.app_context():
        from belong.extensions import db

        db.engine.dispose()
    import minimal_app

    client = minimal_app.app.test_client()
    times = []
    for _ in range(50):
        started = time.process_time()
        client.get("/")
        times.append(time.process_time() - started)
    result["/"] = common.median(times) * 1000
    return result, worked_out


RATES = ("rps", "p50_ms", "p95_ms")


def run(
    database_url: str, label: str, step_id: str, duration: int, clients: int, rounds: int = 3
) -> list[dict]:
    env = {
        "DATABASE_URL": database_url,
        "BELONG_ENV": "production",
        "SECRET_KEY": "benchmark-only",
        "EXTERNAL_URL": "http://127.0.0.1",
        "PYTHONPATH": str(common.ROOT),
    }
    app_server = Server("app:app", env)
    ceiling_server = Server("minimal_app:app", {"PYTHONPATH": str(BENCH)}, chdir=BENCH)
    rows = []
    try:
        coordinator = login(app_server.port, "coordinator@belong.example")
        admin = login(app_server.port, "admin@belong.example")
        pages = [
            ("minimal Flask page (ceiling)", ceiling_server, "/", ""),
            ("region home", app_server, f"/r/{REGION}/", coordinator),
            (
                f"step page ({CONTRIBUTIONS} contributions, {COMMENTS} comments)",
                app_server,
                f"/r/{REGION}/steps/{step_id}",
                coordinator,
            ),
            ("programme dashboard", app_server, "/admin/dashboard/", admin),
            ("admin regions list", app_server, "/admin/regions", admin),
        ]
        ceiling_url = ceiling_server.url("/")
        load(ceiling_url, "", 2, clients)  # warm-up
        for name, server, path, cookie in pages:
            status, _text, _c = request(server.port, "GET", path, cookie)
            if status != 200:
                print(f"  {name}: {path} answered {status}; skipped")
                continue
            load(server.url(path), cookie, 2, clients)  # warm-up
            if server is not app_server:
                rows.append({"page": name, "path": path, "ceiling": None, "share": 1.0,
                             **load(server.url(path), cookie, duration, clients)})  # fmt: skip
                continue
            # On a shared VM the speed drifts within minutes: the ceiling and the page take
            # turns, and each round's share compares two runs taken side by side.
            ceilings, results = [], []
            for _round in range(rounds):
                ceilings.append(load(ceiling_url, "", duration, clients))
                results.append(load(server.url(path), cookie, duration, clients))
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "ceiling": {"rps": common.median([c["rps"] for c in ceilings])},
                    "share": common.median(
                        [r["rps"] / c["rps"] for r, c in zip(results, ceilings, strict=True)]
                    ),
                    "requests": sum(r["requests"] for r in results),
                    "errors": sum(r["errors"] for r in results),
                    **{k: common.median([r[k] for r in results]) for k in RATES},
                }
            )
    finally:
        app_server.stop()
        ceiling_server.stop()
    cpu, cpu_worked_out = cpu_per_request(
        database_url,
        {"coordinator": "coordinator@belong.example", "admin": "admin@belong.example"},
        [
            ("coordinator" if c == coordinator else "admin", p)
            for _n, s, p, c in pages
            if s is app_server
        ],
    )
    print(
        f"\n{label}: gunicorn 2 workers (gthread), {clients} clients, {rounds} rounds of "
        f"{duration} s per page, each after {duration} s of the ceiling"
    )
    print(f"load average now {os.getloadavg()[0]:.1f} (2 cores)")
    print(
        f"{'page':<48} {'req/s':>8} {'p50':>9} {'p95':>9} {'ceiling':>8} {'of ceiling':>11} "
        f"{'CPU/req':>8} {'changed':>8}"
    )
    for row in rows:
        cpu_ms = f"{cpu[row['path']]:6.1f}ms" if row["path"] in cpu else ""
        changed = f"{cpu_worked_out[row['path']]:6.1f}ms" if row["path"] in cpu_worked_out else ""
        ceiling = (row["ceiling"] or row)["rps"]
        print(
            f"{row['page']:<48} {row['rps']:8.0f} {row['p50_ms']:7.1f}ms {row['p95_ms']:7.1f}ms "
            f"{ceiling:8.0f} {100 * row['share']:10.0f}% {cpu_ms:>8} {changed:>8}"
            + (f"  errors {row['errors']}" if row["errors"] else "")
        )
    print(
        "figures are medians of the rounds; ceiling = req/s of the minimal Flask page measured "
        "just before each round of that page; of ceiling = the rounds' median share; CPU/req = "
        f"median CPU time of one request in-process (ceiling page: {cpu['/']:.1f}ms); changed = "
        "the same when the page's kept body must be worked out again (after a change)"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/page turns per page")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    print(f"Machine: {common.machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"Load generator: {'wrk' if shutil.which('wrk') else 'threaded Python client'}")
    with tempfile.TemporaryDirectory() as tmp:
        targets = []
        if args.db in ("sqlite", "both"):
            targets.append(("SQLite", f"sqlite:///{tmp}/bench.sqlite"))
        if args.db in ("postgresql", "both"):
            ensure_pg_database(PG_URL)
            targets.append(("PostgreSQL", PG_URL))
        for label, url in targets:
            app = common.prepare_demo(url)
            step_id = enrich(app)
            run(url, label, step_id, args.duration, args.clients, args.rounds)


if __name__ == "__main__":
    main()
