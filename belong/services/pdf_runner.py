"""PDF renders off the request thread without Redis: a small pool of threads in the app's
process, each handing its render to the bounded child process (belong/document/bounded.py).

A job is known by a key (a draft's PDF cache key, or a version's); asking twice for the same
key while it is waiting or working joins the first job. Finished jobs that failed are
remembered for a while so the preparing page can say so; a PDF that rendered is in the cache
or on its version, which is where the pages look first. The runner belongs to one app and is
stopped with it (`stop`), so no thread outlives it.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask import Flask, current_app

FAILED_KEPT_SECONDS = 600


class Outcome(enum.StrEnum):
    WAITING = "waiting"
    WORKING = "working"
    DONE = "done"
    TOO_LARGE = "too_large"
    FAILED = "failed"


@dataclass
class Job:
    key: str
    region_id: int
    state: Outcome = Outcome.WAITING
    finished_at: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.state in (Outcome.WAITING, Outcome.WORKING)


class TooLarge(Exception):
    """Raised by a job's work when the document is too large to render (said on its page)."""


class Runner:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(
            max_workers=int(app.config["PDF_RENDER_WORKERS"]), thread_name_prefix="belong-pdf"
        )
        self._stopped = False

    def submit(self, key: str, region_id: int, work: Callable[[], None]) -> Job:
        """Run `work()` in the app's context on a pool thread, unless `key` is under way."""
        with self._lock:
            self._forget_old()
            job = self._jobs.get(key)
            if job is not None and job.active:
                return job
            job = self._jobs[key] = Job(key, region_id)
            if self._stopped:
                job.state, job.finished_at = Outcome.FAILED, time.monotonic()
                job.done.set()
                return job
        self._pool.submit(self._run, job, work)
        return job

    def job(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def busy(self) -> bool:
        with self._lock:
            return any(job.active for job in self._jobs.values())

    def _run(self, job: Job, work: Callable[[], None]) -> None:
        from belong.extensions import db

        job.state = Outcome.WORKING
        with self.app.app_context():
            try:
                work()
                job.state = Outcome.DONE
            except TooLarge:
                job.state = Outcome.TOO_LARGE
            except Exception:
                self.app.logger.exception("background PDF job %s failed", job.key)
                job.state = Outcome.FAILED
            finally:
                db.session.rollback()
                db.session.remove()
                job.finished_at = time.monotonic()
                job.done.set()

    def _forget_old(self) -> None:
        limit = time.monotonic() - FAILED_KEPT_SECONDS
        for key in [k for k, j in self._jobs.items() if not j.active and j.finished_at < limit]:
            del self._jobs[key]

    def stop(self) -> None:
        """Take no new job and wait for those under way (each bounded by its render time)."""
        with self._lock:
            self._stopped = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for job in self._jobs.values():
                if job.active:  # cancelled before it started
                    job.state, job.finished_at = Outcome.FAILED, time.monotonic()
                    job.done.set()


def runner(app: Flask | None = None) -> Runner:
    """The app's runner, started at its first job."""
    app = app or current_app._get_current_object()
    with _start_lock:
        found = app.extensions.get("belong_pdf_runner")
        if found is None:
            found = app.extensions["belong_pdf_runner"] = Runner(app)
        return found


_start_lock = threading.Lock()


def stop(app: Flask) -> None:
    """Stop the app's runner and its quiet-time scheduler, if they were started."""
    scheduler = app.extensions.pop("belong_prerender_scheduler", None)
    if scheduler is not None:
        scheduler.stop()
    found = app.extensions.pop("belong_pdf_runner", None)
    if found is not None:
        found.stop()
