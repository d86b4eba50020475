"""Draft PDFs rendered before anyone asks for them.

Whenever a region's content changes (the one place: belong/models/revisions.py, where its
content revision is bumped, notes the region for the commit), its draft PDF is rendered in the
background once the region has been quiet for PDF_PRERENDER_QUIET_SECONDS: changes in a row
push the moment back, so they lead to one render; a region renders once at a time (a change
during its render renders again after it); regions nobody opened in the last
PDF_PRERENDER_RECENT_SECONDS are skipped; at most PDF_PRERENDER_LIMIT render at once. The
render goes through the same job as a download (belong/services/pdf_jobs.py), so a download
during it waits for it instead of rendering twice, and the next download is served from the
cache.

Without Redis a scheduler thread of the app process keeps the moments due; with the RQ
queue, a job scheduled for the end of the quiet time on the workers (`pdf-worker` runs
the scheduler) checks the region's last change in Redis and renders or waits again.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app, g, has_app_context
from rq.job import JobStatus
from sqlalchemy import event
from sqlalchemy.orm import Session

from belong import page_cache
from belong.extensions import db
from belong.models import Region
from belong.models.revisions import CHANGED_REGIONS
from belong.services import documents, pdf_cache, pdf_jobs
from belong.services.pdf_runner import Job
from belong.templating.registry import get_template

log = logging.getLogger(__name__)
NOTE_EVERY_SECONDS = 60  # a region's "opened" mark is refreshed at most this often


def quiet_seconds(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("PDF_PRERENDER_QUIET_SECONDS") or 0)


# Who opened a region recently (kept in the page cache: in the process, or in Redis)


def note_opened(region_id: int) -> None:
    """Called for every region page: the region is being worked on."""
    if quiet_seconds() <= 0:
        return
    noted = current_app.extensions.setdefault("belong_prerender_opened", {})
    now = time.time()
    if now - noted.get(region_id, 0) < NOTE_EVERY_SECONDS:
        return
    noted[region_id] = now
    try:
        recent = int(current_app.config["PDF_PRERENDER_RECENT_SECONDS"])
        page_cache.cache.set(f"pdf-opened:{region_id}", now, timeout=recent)
    except Exception:  # a cache that fails is logged and skipped
        log.exception("could not note that region %s was opened", region_id)


def recently_opened(region_id: int) -> bool:
    try:
        return page_cache.cache.get(f"pdf-opened:{region_id}") is not None
    except Exception:
        log.exception("could not read whether region %s was opened", region_id)
        return False


# The trigger: a commit that changed regions' content


@event.listens_for(db.session, "after_commit")
def _committed(session: Session) -> None:
    regions = session.info.pop(CHANGED_REGIONS, None)
    if not regions or not has_app_context() or quiet_seconds() <= 0:
        return
    try:
        changed(regions)
    except Exception:  # a background render is a bonus: never fail the write for it
        log.exception("could not schedule the background PDF of regions %s", sorted(regions))


@event.listens_for(db.session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(CHANGED_REGIONS, None)


def changed(region_ids: set[int]) -> None:
    """These regions' content changed just now."""
    if pdf_jobs.enabled():
        for region_id in region_ids:
            _schedule_queued(region_id, time.time())
    else:
        scheduler().touch(region_ids, quiet_seconds())


# One render of a region's draft


def _prepare(region_id: int) -> tuple[Region, object, str, str] | None:
    """The region's draft HTML and key, when it is worth rendering now."""
    if not recently_opened(region_id):
        return None
    region = db.session.get(Region, region_id)
    if region is None:
        return None
    template = get_template(region.template_id)
    html = documents.draft_html(region, template)
    key = pdf_cache.cache_key(template, html)
    if pdf_cache.exists(key, region):
        return None
    return region, template, html, key


# Without Redis: a scheduler thread per app process


class Scheduler:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._due: dict[int, float] = {}  # region id -> when it has been quiet long enough
        self._running: dict[int, Job] = {}
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="belong-prerender", daemon=True)
        self._thread.start()

    def touch(self, region_ids: set[int], quiet: float) -> None:
        with self._wake:
            for region_id in region_ids:
                self._due[region_id] = time.monotonic() + quiet
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join()

    def _next(self) -> int | None:
        """A region due now and free to render, or None (then wait)."""
        now = time.monotonic()
        for region_id, job in list(self._running.items()):
            if job.done.is_set():
                del self._running[region_id]
        if len(self._running) >= int(self.app.config["PDF_PRERENDER_LIMIT"]):
            return None
        for region_id, due in sorted(self._due.items(), key=lambda item: item[1]):
            if due <= now and region_id not in self._running:
                del self._due[region_id]
                return region_id
        return None

    def _timeout(self) -> float | None:
        now = time.monotonic()
        waits = [due - now for r, due in self._due.items() if r not in self._running]
        if self._running:
            waits.append(0.25)  # look again soon: a render under way may end
        return max(0.0, min(waits)) if waits else None

    def _loop(self) -> None:
        while True:
            with self._wake:
                region_id = None
                while not self._stopped and (region_id := self._next()) is None:
                    self._wake.wait(self._timeout())
                if self._stopped:
                    return
            job = self._start(region_id)
            if job is not None:
                with self._wake:
                    self._running[region_id] = job

    def _start(self, region_id: int) -> Job | None:
        with self.app.app_context():
            try:
                prepared = _prepare(region_id)
                db.session.rollback()
                if prepared is None:
                    return None
                region, template, html, key = prepared
                return pdf_jobs.enqueue(region, template, html, key)
            except Exception:
                self.app.logger.exception("background PDF of region %s failed", region_id)
                return None
            finally:
                db.session.remove()


def scheduler() -> Scheduler:
    app = current_app._get_current_object()
    with _start_lock:
        found = app.extensions.get("belong_prerender_scheduler")
        if found is None:
            found = app.extensions["belong_prerender_scheduler"] = Scheduler(app)
        return found


_start_lock = threading.Lock()


# With the RQ queue: a job due at the end of the quiet time, on the workers


def _changed_key(region_id: int) -> str:
    return f"belong:pdf-changed:{region_id}"


def _schedule_queued(region_id: int, changed_at: float) -> None:
    redis = pdf_jobs.connection()
    redis.set(_changed_key(region_id), changed_at, ex=86400)
    job_id = f"belong-prerender-{region_id}"
    job = pdf_jobs.fetch(job_id)
    if job is not None and job.get_status() in (JobStatus.SCHEDULED, JobStatus.QUEUED):
        return  # it looks at the region's last change when it runs
    if job is not None and job.get_status() != JobStatus.STARTED:
        job.delete()
    elif job is not None:
        job_id += f"-{int(changed_at * 1000)}"  # one under way: the next renders after it
    pdf_jobs.queue().enqueue_in(
        timedelta(seconds=quiet_seconds()),
        prerender_job,
        region_id,
        job_id=job_id,
        job_timeout=int(current_app.config["PDF_TIMEOUT_SECONDS"]) + 30,
        result_ttl=60,
        failure_ttl=600,
    )


def prerender_job(region_id: int) -> None:
    """Runs on a worker: render the region's draft if it has been quiet long enough, else
    look again when it will have been."""
    pdf_jobs.in_app(_prerender_queued, region_id)


def _prerender_queued(region_id: int) -> None:
    last = float(pdf_jobs.connection().get(_changed_key(region_id)) or 0)
    remaining = last + quiet_seconds() - time.time()
    if remaining > 0.05:
        pdf_jobs.queue().enqueue_in(
            timedelta(seconds=remaining), prerender_job, region_id, result_ttl=60
        )
        return
    prepared = _prepare(region_id)
    if prepared is not None:
        region, template, html, key = prepared
        pdf_jobs.render_job(region.id, template.id, key, html)


def init_app(app: Flask) -> None:
    """Every page of a region notes that the region is being worked on."""

    @app.after_request
    def _note_region_opened(response):
        region = g.get("region")
        if region is not None:
            note_opened(region.id)
        return response
