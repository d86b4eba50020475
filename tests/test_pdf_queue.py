"""The queued PDF path against the local Redis: the page shows progress, an RQ worker renders
into the shared cache, and the download appears when ready."""

from __future__ import annotations

import io
import re
import time
import uuid

import pytest
from pypdf import PdfReader
from redis import Redis
from rq import SimpleWorker

from belong.extensions import db
from belong.models import Role
from belong.models.rendered_pdf import RenderedPdf
from belong.services import answers, pdf_jobs
from tests.conftest import login

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def queued(app):
    """The app with a queue of its own on the local Redis, emptied afterwards."""
    name = f"belong-test-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL=REDIS_URL, PDF_QUEUE_NAME=name)
    yield app
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)
    for pattern in ("rq:job:belong-pdf-*", "rq:job:belong-prerender-*"):
        for key in redis.scan_iter(pattern):
            if name.encode() in (redis.hget(key, "origin") or b""):
                redis.delete(key)


def _work() -> None:
    """What `flask pdf-worker` does (its scheduler too), until the queue is empty."""
    worker = SimpleWorker([pdf_jobs.queue()], connection=pdf_jobs.connection())
    worker.work(burst=True, with_scheduler=True)


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_queued_pdf_shows_progress_then_the_download(queued, client, make, as_user):
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", user)
    db.session.commit()

    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 302
    preparing = response.headers["Location"]
    key = re.search(r"/document/preparing/([0-9a-f]{64})$", preparing).group(1)

    page = client.get(preparing).get_data(as_text=True)
    assert "Preparing your document…" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page checks again
    assert "pdf-status.js" in page
    assert "Check again" in page
    assert client.get(f"/r/alpha/document/status/{key}").get_json() == {"state": "waiting"}
    assert client.get("/r/alpha/document.pdf").status_code == 302  # asked once, not twice
    assert len(pdf_jobs.queue()) == 1

    _work()

    status = client.get(f"/r/alpha/document/status/{key}").get_json()
    assert status["state"] == "ready"
    page = client.get(preparing).get_data(as_text=True)
    assert "Your document is ready" in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(status["url"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert "Department of Welcome" in _text(download.data)
    direct = client.get("/r/alpha/document.pdf")  # unchanged: straight from the cache
    assert direct.status_code == 200
    assert direct.data == download.data


def test_a_queued_document_that_is_too_large_says_so(queued, client, make, as_user):
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "statement", "A paragraph of text.\n\n" * 2000, user)
    db.session.commit()
    queued.config.update(PDF_TIMEOUT_SECONDS=0.5)

    preparing = client.get("/r/alpha/document.pdf").headers["Location"]
    _work()
    key = preparing.rsplit("/", 1)[1]
    assert client.get(f"/r/alpha/document/status/{key}").get_json() == {"state": "too_large"}
    response = client.get(preparing)
    assert response.status_code == 503
    assert "The document is too large to render" in response.get_data(as_text=True)


def test_another_regions_member_cannot_see_or_fetch_the_job(queued, client, make, as_user):
    alpha, beta = make.region("alpha"), make.region("beta")
    as_user(Role.COORDINATOR, alpha)
    key = client.get("/r/alpha/document.pdf").headers["Location"].rsplit("/", 1)[1]
    _work()
    outsider = queued.test_client()
    member = make.user(Role.COORDINATOR, beta)
    login(outsider, member.email)
    for url in (
        f"/r/alpha/document/preparing/{key}",
        f"/r/alpha/document/status/{key}",
        f"/r/alpha/document/ready/{key}.pdf",
    ):
        assert outsider.get(url).status_code == 404
    # and under their own region's address the key finds nothing of alpha's
    assert outsider.get(f"/r/beta/document/status/{key}").get_json() == {"state": "unknown"}
    assert outsider.get(f"/r/beta/document/ready/{key}.pdf").status_code == 302


def test_changes_in_a_row_are_rendered_by_the_workers_after_the_quiet_time(
    queued, client, make, as_user
):
    queued.config.update(PDF_PRERENDER_QUIET_SECONDS=1)
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    assert client.get("/r/alpha/").status_code == 200  # someone works on the region
    for text in ("Department of Welcome", "Department of Belonging", "Office of Belonging"):
        answers.set_answer(region, "basics", "lead", text, user)
        db.session.commit()
    _work()  # nothing is due yet
    assert db.session.query(RenderedPdf).count() == 0

    time.sleep(1.2)
    _work()
    db.session.rollback()
    assert db.session.query(RenderedPdf).count() == 1  # one render for the three changes
    response = client.get("/r/alpha/document.pdf")  # straight from the cache
    assert response.status_code == 200
    assert "Office of Belonging" in _text(response.data)
