"""PDF rendering outside the web request: an RQ queue on Redis, when REDIS_URL is set.

The web request hands the final HTML and its cache key to the queue; the worker renders it
(still in a bounded child process) into the shared PDF cache; the page polls until it is there.
"""

from __future__ import annotations

import enum

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from belong.extensions import db
from belong.models import Region
from belong.services import documents, pdf_cache
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template

_worker_app: Flask | None = None


class JobState(enum.StrEnum):
    READY = "ready"
    WAITING = "waiting"
    WORKING = "working"
    TOO_LARGE = "too_large"
    FAILED = "failed"
    UNKNOWN = "unknown"


def enabled() -> bool:
    setting = current_app.config.get("PDF_QUEUE")
    if setting is None:
        return bool(current_app.config.get("REDIS_URL"))
    return bool(setting)


def connection() -> Redis:
    connections = current_app.extensions.setdefault("belong_redis", {})
    url = current_app.config["REDIS_URL"]
    if url not in connections:
        connections[url] = Redis.from_url(url)
    return connections[url]


def queue() -> Queue:
    return Queue(current_app.config["PDF_QUEUE_NAME"], connection=connection())


def _job_id(key: str) -> str:
    return f"belong-pdf-{key}"


def _fetch(key: str) -> Job | None:
    try:
        return Job.fetch(_job_id(key), connection=connection())
    except NoSuchJobError:
        return None


def enqueue(region: Region, template: LoadedTemplate, html: str, key: str) -> None:
    """Ask the worker for this PDF, unless it is already asked for."""
    job = _fetch(key)
    if job is not None:
        if job.get_status() not in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            return
        job.delete()
    queue().enqueue_call(
        render_job,
        args=(region.id, template.id, key, html),
        job_id=_job_id(key),
        timeout=int(current_app.config["PDF_TIMEOUT_SECONDS"]) + 30,
        result_ttl=600,
        failure_ttl=600,
        meta={"region_id": region.id},
    )


def state(region: Region, key: str) -> JobState:
    if pdf_cache.exists(key, region):
        return JobState.READY
    if not enabled():  # no queue configured: nothing is being prepared
        return JobState.UNKNOWN
    job = _fetch(key)
    if job is None or job.meta.get("region_id") != region.id:
        return JobState.UNKNOWN
    status = job.get_status()
    if status == JobStatus.FAILED:
        return JobState.TOO_LARGE if job.meta.get("too_large") else JobState.FAILED
    if status == JobStatus.STARTED:
        return JobState.WORKING
    if status in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.CREATED):
        return JobState.WAITING
    return JobState.UNKNOWN  # finished, yet not in the cache (since evicted): ask again


def render_job(region_id: int, template_id: str, key: str, html: str) -> str:
    """Runs in the worker: render the HTML into the shared cache."""
    if has_app_context():
        return _render(region_id, template_id, key, html)
    with _app().app_context():
        return _render(region_id, template_id, key, html)


def _render(region_id: int, template_id: str, key: str, html: str) -> str:
    region = db.session.get(Region, region_id)
    if region is None or pdf_cache.exists(key, region):
        return key
    try:
        pdf_cache.render_and_store(
            region, get_template(template_id), html, key, documents.document_pdf
        )
    except documents.DocumentTooLarge:
        job = get_current_job()
        if job is not None:
            job.meta["too_large"] = True
            job.save_meta()
        current_app.logger.error("PDF of %s is too large to render", region.slug)
        raise
    db.session.commit()
    return key


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from belong import create_app

        _worker_app = create_app()
    return _worker_app


def run_worker(*, burst: bool = False) -> None:
    """A worker that renders in this process's bounded children, reusing one app."""
    worker = SimpleWorker([queue()], connection=connection())
    worker.work(burst=burst)
