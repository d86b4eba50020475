"""PDF renders outside the web request, in every configuration: an RQ queue on Redis when
REDIS_URL is set (or PDF_QUEUE is on), else the app's own runner (belong/services/pdf_runner.py).

A request hands over what to render and answers at once; the render (always in a bounded
child process) stores the draft's PDF in the shared cache, or a version's PDF on the version;
the page polls until it is there. Jobs are known by an id: the same id asked for twice while
it is under way is one job.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from belong.extensions import db
from belong.models import Adoption, DraftVersion, Region
from belong.services import documents, pdf_cache, pdf_runner
from belong.services.pdf_runner import Outcome
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
    """Is the RQ queue in use (else the app's own runner renders)?"""
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


def _draft_job_id(key: str) -> str:
    return f"belong-pdf-{key}"


def _version_job_id(version: DraftVersion) -> str:
    return f"belong-pdf-version-{version.id}"


def _release_job_id(version: DraftVersion) -> str:
    return f"belong-pdf-release-{version.id}"


def fetch(job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=connection())
    except NoSuchJobError:
        return None


def _enqueue(job_id: str, region_id: int, function: Callable, args: tuple) -> pdf_runner.Job | None:
    """Ask for a render, unless the same one is already asked for; the app's own runner
    answers with its job."""
    if not enabled():
        return pdf_runner.runner().submit(job_id, region_id, lambda: _local(function, *args))
    job = fetch(job_id)
    if job is not None:
        if job.get_status() not in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            return
        job.delete()
    queue().enqueue_call(
        function,
        args=args,
        job_id=job_id,
        timeout=int(current_app.config["PDF_TIMEOUT_SECONDS"]) + 30,
        result_ttl=600,
        failure_ttl=600,
        meta={"region_id": region_id},
    )
    return None


def _local(function: Callable, *args) -> None:
    try:
        function(*args)
    except documents.DocumentTooLarge as exc:
        raise pdf_runner.TooLarge() from exc


_LOCAL_STATES = {
    Outcome.WAITING: JobState.WAITING,
    Outcome.WORKING: JobState.WORKING,
    Outcome.TOO_LARGE: JobState.TOO_LARGE,
    Outcome.FAILED: JobState.FAILED,
    Outcome.DONE: JobState.UNKNOWN,  # done, yet not where it belongs (since evicted): ask again
}


def _state(job_id: str, region_id: int) -> JobState:
    if not enabled():
        job = pdf_runner.runner().job(job_id)
        if job is None or job.region_id != region_id:
            return JobState.UNKNOWN
        return _LOCAL_STATES[job.state]
    job = fetch(job_id)
    if job is None or job.meta.get("region_id") != region_id:
        return JobState.UNKNOWN
    status = job.get_status()
    if status == JobStatus.FAILED:
        return JobState.TOO_LARGE if job.meta.get("too_large") else JobState.FAILED
    if status == JobStatus.STARTED:
        return JobState.WORKING
    if status in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.CREATED):
        return JobState.WAITING
    return JobState.UNKNOWN  # finished, yet not in the cache (since evicted): ask again


def wait(job_id: str, seconds: float) -> None:
    """Wait up to `seconds` for a job of the app's own runner (PDF_WAIT_SECONDS; 0 in
    production, where no request waits for a render). The request's transaction ends first,
    so the render's writes are seen and never wait on it."""
    if seconds <= 0 or enabled():
        return
    job = pdf_runner.runner().job(job_id)
    if job is not None:
        db.session.commit()
        job.done.wait(seconds)


# The draft


def enqueue(region: Region, template: LoadedTemplate, html: str, key: str) -> pdf_runner.Job | None:
    """Ask for the draft's PDF under its cache key."""
    return _enqueue(_draft_job_id(key), region.id, render_job, (region.id, template.id, key, html))


def draft_pdf(region: Region, template: LoadedTemplate) -> tuple[bytes | None, str]:
    """The one answer to "this region's draft PDF", for the page and the CLI alike: (its bytes,
    its key) from the cache; or (None, the key to wait for) once its render is asked for off
    the caller's thread (the queue, or the app's own runner), after waiting PDF_WAIT_SECONDS."""
    html = functools.cache(lambda: documents.draft_html(region, template))
    key = documents.draft_key(region, template, html)
    data = pdf_cache.lookup(key, region)  # missing: rendered under the same key from html()
    if data is None:
        enqueue(region, template, html(), key)
        wait_for_draft(key)
        data = pdf_cache.lookup(key, region)
    return data, key


def state(region: Region, key: str) -> JobState:
    if pdf_cache.exists(key, region):
        return JobState.READY
    return _state(_draft_job_id(key), region.id)


def wait_for_draft(key: str) -> None:
    wait(_draft_job_id(key), float(current_app.config["PDF_WAIT_SECONDS"]))


def render_job(region_id: int, template_id: str, key: str, html: str) -> str:
    """Runs in the worker: render the HTML into the shared cache."""
    return in_app(_render, region_id, template_id, key, html)


def _render(region_id: int, template_id: str, key: str, html: str) -> str:
    region = db.session.get(Region, region_id)
    if region is None or pdf_cache.exists(key, region):
        return key
    db.session.rollback()  # no transaction (on SQLite: no write lock) held while it renders
    try:
        pdf_cache.render_and_store(
            region, get_template(template_id), html, key, documents.document_pdf
        )
    except documents.DocumentTooLarge as exc:
        _mark_too_large()
        current_app.logger.error("PDF of %s is too large to render: %s", region.slug, exc)
        raise
    except documents.RenderFailed as exc:
        current_app.logger.error("PDF of %s failed: %s", region.slug, exc)
        raise
    db.session.commit()
    return key


# A submitted version


def enqueue_version(version: DraftVersion, link: str) -> None:
    """Ask for a submitted version's PDF; `link` is the version's page, for the reviewers'
    notification sent when it is recorded."""
    _enqueue(_version_job_id(version), version.region_id, version_job, (version.id, link))


def version_state(version: DraftVersion) -> JobState:
    if version.pdf_ready:
        return JobState.READY
    return _state(_version_job_id(version), version.region_id)


def ensure_version(version: DraftVersion, link: str) -> JobState:
    """A version without its PDF whose render is not under way (the process that had it
    ended) or failed is asked for again."""
    found = version_state(version)
    if found in (JobState.UNKNOWN, JobState.FAILED):
        enqueue_version(version, link)
        found = version_state(version)
    return found


def wait_for_version(version: DraftVersion) -> None:
    wait(_version_job_id(version), float(current_app.config["PDF_WAIT_SECONDS"]))


def version_job(version_id: int, link: str) -> None:
    """Runs in the worker: render a version's PDF and record it on the version."""
    in_app(_render_version, version_id, link)


def _render_version(version_id: int, link: str) -> None:
    from belong.services import mail, versions

    pdf = _render_stored(versions.version_html(version_id), f"PDF of version {version_id}")
    if pdf is None:
        return
    versions.record_pdf(version_id, pdf, link)
    db.session.commit()
    mail.send_queued()


def _render_stored(found, what: str) -> bytes | None:
    """Render a stored version's document (template and HTML, or None when there is nothing
    to render) with no transaction held (on SQLite: no write lock) while it renders."""
    db.session.rollback()
    if found is None:
        return None
    try:
        return documents.document_pdf(*found)
    except documents.DocumentTooLarge as exc:
        _mark_too_large()
        current_app.logger.error("%s is too large to render: %s", what, exc)
        raise


# A released version


def enqueue_release(version: DraftVersion) -> None:
    """Ask for a released version's PDF."""
    _enqueue(_release_job_id(version), version.region_id, release_job, (version.id,))


def release_state(version: DraftVersion) -> JobState:
    if version.released_sha256:
        return JobState.READY
    return _state(_release_job_id(version), version.region_id)


def ensure_release(version: DraftVersion) -> JobState | None:
    """A released version without its PDF whose render is not under way or failed is asked
    for again (None: the version is not released)."""
    if version.released_at is None:
        return None
    found = release_state(version)
    if found in (JobState.UNKNOWN, JobState.FAILED):
        enqueue_release(version)
        found = release_state(version)
    return found


def wait_for_release(version: DraftVersion) -> None:
    wait(_release_job_id(version), float(current_app.config["PDF_WAIT_SECONDS"]))


def release_job(version_id: int) -> None:
    """Runs in the worker: render a released version's PDF and record it on the version."""
    in_app(_render_release, version_id)


def _render_release(version_id: int) -> None:
    from belong.services import versions

    pdf = _render_stored(versions.release_html(version_id), f"released PDF of version {version_id}")
    if pdf is None:
        return
    versions.record_release_pdf(version_id, pdf)
    db.session.commit()


# An adopted version (belong/services/adoptions.py): its adopted edition, stored once


def _adopted_job_id(adoption: Adoption) -> str:
    return f"belong-pdf-adopted-{adoption.id}"


def enqueue_adopted(adoption: Adoption) -> None:
    _enqueue(_adopted_job_id(adoption), adoption.region_id, adopted_job, (adoption.id,))


def adopted_state(adoption: Adoption) -> JobState:
    if adoption.sha256:
        return JobState.READY
    return _state(_adopted_job_id(adoption), adoption.region_id)


def ensure_adopted(adoption: Adoption | None) -> JobState | None:
    """An adoption without its PDF whose render is not under way or failed is asked for
    again (None: no adoption recorded)."""
    if adoption is None:
        return None
    found = adopted_state(adoption)
    if found in (JobState.UNKNOWN, JobState.FAILED):
        enqueue_adopted(adoption)
        found = adopted_state(adoption)
    return found


def wait_for_adopted(adoption: Adoption) -> None:
    wait(_adopted_job_id(adoption), float(current_app.config["PDF_WAIT_SECONDS"]))


def adopted_job(adoption_id: int) -> None:
    """Runs in the worker: render an adopted edition's PDF and store it on the adoption."""
    in_app(_render_adopted, adoption_id)


def _render_adopted(adoption_id: int) -> None:
    from belong.services import adoptions

    pdf = _render_stored(adoptions.adopted_html(adoption_id), f"adopted PDF {adoption_id}")
    if pdf is None:
        return
    adoptions.record_adopted_pdf(adoption_id, pdf)
    db.session.commit()


# Both


def _mark_too_large() -> None:
    job = get_current_job()
    if job is not None:
        job.meta["too_large"] = True
        job.save_meta()


def in_app(function: Callable, *args):
    if has_app_context():
        return function(*args)
    with _app().app_context():
        return function(*args)


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from belong import create_app

        _worker_app = create_app()
    return _worker_app


def run_worker(*, burst: bool = False) -> None:
    """A worker that renders in this process's bounded children, reusing one app; it also
    starts the jobs scheduled for later (the quiet-time renders, belong/services/prerender.py)."""
    worker = SimpleWorker([queue()], connection=connection())
    worker.work(burst=burst, with_scheduler=True)
