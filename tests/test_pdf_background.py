"""Nobody waits for a PDF: in the embedded default (no Redis) a download and a submission
answer at once while the render runs in the app's runner, the PDF appears when it is done,
and a region's draft renders by itself once its content has been quiet for a while."""

from __future__ import annotations

import hashlib
import io
import re
import time

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import DraftVersion, Notification, Role
from belong.models.rendered_pdf import RenderedPdf
from belong.models.review import ImmutableVersion
from belong.services import answers, documents, versions
from tests.conftest import login, post_form

# Seconds the render child sleeps before it renders. A request that answers in less time than
# that cannot have waited for the render (the figure a person feels is in bench/RESULTS.md);
# long enough that a request on a loaded CI machine still answers well within it.
SLOW = 6.0


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


def _poll(client, url: str, timeout: float = 90) -> dict:
    """What pdf-status.js does: ask until the state is no longer waiting or working."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # each request reads afresh, as with a session per request
        body = client.get(url).get_json()
        if body["state"] not in ("waiting", "working"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} still not ready after {timeout} s")


def _notes(user, kind: str) -> int:
    count = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.kind == kind
        )
    )
    db.session.rollback()  # outside a request a read takes SQLite's write lock: let it go
    return count


@pytest.fixture
def embedded(app):
    """The production default without Redis (no request waits), with a slow render."""
    app.config.update(PDF_WAIT_SECONDS=0, PDF_RENDER_DELAY_SECONDS=SLOW, REDIS_URL=None)
    return app


def test_a_download_and_a_submission_answer_at_once_and_the_pdf_appears_when_done(
    embedded, client, make
):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", coordinator)
    db.session.commit()
    login(client, coordinator.email)

    # The draft: the download answers with the preparing page at once.
    response, seconds = _timed_get(client, "/r/alpha/document.pdf")
    assert seconds < SLOW, f"the download waited {seconds:.2f} s for the render"
    assert response.status_code == 302
    preparing = response.headers["Location"]
    key = re.search(r"/document/preparing/([0-9a-f]{64})$", preparing).group(1)
    page = client.get(preparing).get_data(as_text=True)
    assert "Preparing your document…" in page
    assert 'http-equiv="refresh"' in page and "pdf-status.js" in page and "Check again" in page
    assert client.get(f"/r/alpha/document/status/{key}").get_json()["state"] in (
        "waiting",
        "working",
    )
    assert client.get("/r/alpha/document.pdf").status_code == 302  # the same job, not another

    # Submitting a version answers at once: its answers are frozen, its PDF comes later.
    started = time.perf_counter()
    response = post_form(client, "/r/alpha/versions/check", {"message": "First draft"})
    seconds = time.perf_counter() - started  # the form's GET included
    assert seconds < SLOW, f"the submission waited {seconds:.2f} s for the render"
    assert response.headers["Location"].endswith("/r/alpha/versions/1")
    version = db.session.scalar(select(DraftVersion))
    assert version.answers == {"basics": {"lead": "Department of Welcome"}, "assess": {"goals": []}}
    assert not version.pdf_ready and version.pdf == b""
    db.session.rollback()  # hold no write lock while the render waits to store its PDF
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "Its PDF is being prepared; 1 reviewer will be asked" in page
    assert "The PDF is being prepared." in page
    assert _notes(reviewer, "review_requested") == 0, "asked to review a PDF not yet there"
    response, seconds = _timed_get(client, "/r/alpha/versions/1.pdf")
    assert seconds < SLOW and response.status_code == 200
    assert "Preparing your document…" in response.get_data(as_text=True)

    # Later edits do not reach the version, and do not wait for the renders under way.
    db.session.rollback()  # the test holds no transaction: as a request of its own
    time.sleep(0.5)  # the renders are under way (each sleeps SLOW seconds first)
    started = time.perf_counter()
    answers.set_answer(region, "basics", "lead", "Another department", coordinator)
    db.session.commit()
    seconds = time.perf_counter() - started
    assert seconds < SLOW, f"a save waited {seconds:.2f} s for a render (a lock held meanwhile)"

    # The PDFs appear when the renders end.
    draft = _poll(client, f"/r/alpha/document/status/{key}")
    assert draft["state"] == "ready"
    download = client.get(draft["url"])
    assert download.mimetype == "application/pdf"
    assert "Department of Welcome" in _text(download.data)
    submitted = _poll(client, "/r/alpha/versions/1/status")
    assert submitted == {"state": "ready", "url": "/r/alpha/versions/1.pdf"}
    db.session.expire_all()
    version = db.session.get(DraftVersion, version.id)
    assert hashlib.sha256(version.pdf).hexdigest() == version.sha256
    text = _text(version.pdf)
    assert "Department of Welcome" in text and "Another department" not in text
    assert client.get("/r/alpha/versions/1.pdf").data == version.pdf
    assert _notes(reviewer, "review_requested") == 1  # asked once the PDF is there
    assert version.sha256 in client.get("/r/alpha/versions/1").get_data(as_text=True)


def test_a_versions_pdf_is_set_once_and_never_again(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    with app.test_request_context():
        version = versions.submit(region, coordinator, "")
    db.session.commit()
    assert not version.pdf_ready

    version.pdf, version.sha256 = b"%PDF-1.7 first", hashlib.sha256(b"%PDF-1.7 first").hexdigest()
    db.session.commit()  # the one allowed change: from empty to rendered

    for attribute, value in (("pdf", b"%PDF-1.7 second"), ("sha256", "0" * 64)):
        db.session.expire_all()
        stored = db.session.get(DraftVersion, version.id)
        setattr(stored, attribute, value)
        with pytest.raises(ImmutableVersion):
            db.session.commit()
        db.session.rollback()
    db.session.expire_all()
    assert db.session.get(DraftVersion, version.id).pdf == b"%PDF-1.7 first"


def test_a_version_whose_render_was_lost_renders_when_its_page_is_opened(embedded, client, make):
    """The process that had the render ended: nothing is under way for the version."""
    embedded.config.update(PDF_RENDER_DELAY_SECONDS=0)
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", coordinator)
    with embedded.test_request_context():
        versions.submit(region, coordinator, "")
    db.session.commit()
    login(client, coordinator.email)

    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "The PDF is being prepared." in page
    assert _poll(client, "/r/alpha/versions/1/status")["state"] == "ready"
    download = client.get("/r/alpha/versions/1.pdf")
    assert "Department of Welcome" in _text(download.data)
    assert _notes(reviewer, "review_requested") == 1


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every PDF actually rendered (whatever thread asked for it)."""
    calls: list[str] = []
    real = documents.document_pdf

    def spy(template, html):
        calls.append(html)
        return real(template, html)

    monkeypatch.setattr(documents, "document_pdf", spy)
    return calls


def _rendered(region) -> int:
    db.session.rollback()  # a fresh read, holding no lock while the test waits
    count = db.session.scalar(
        select(func.count(RenderedPdf.id)).where(RenderedPdf.region_id == region.id)
    )
    db.session.rollback()
    return count


def test_changes_in_a_row_lead_to_one_background_render_after_the_quiet_time(
    embedded, client, make, renders
):
    embedded.config.update(PDF_PRERENDER_QUIET_SECONDS=1, PDF_RENDER_DELAY_SECONDS=0)
    alpha, beta = make.region("alpha"), make.region("beta")
    coordinator = make.user(Role.COORDINATOR, alpha)
    login(client, coordinator.email)
    assert client.get("/r/alpha/").status_code == 200  # someone works on alpha; nobody on beta

    for text in ("Department of Welcome", "Department of Belonging", "Office of Belonging"):
        answers.set_answer(alpha, "basics", "lead", text, coordinator)
        answers.set_answer(beta, "basics", "lead", text, coordinator)
        db.session.commit()
        time.sleep(0.3)  # changes closer together than the quiet time
    assert renders == [], "rendered before the region was quiet"

    deadline = time.monotonic() + 60
    while _rendered(alpha) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _rendered(alpha) == 1
    time.sleep(1.5)  # nothing else is due
    assert len(renders) == 1, "several changes in a row led to several renders"
    assert _rendered(beta) == 0, "a region nobody opened was rendered"

    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 200, "the download after the quiet time was not cached"
    assert "Office of Belonging" in _text(response.data)
    assert len(renders) == 1


def _approved_version(app, region, coordinator, reviewer) -> DraftVersion:
    """A submitted version with its PDF, approved by its reviewer."""
    with app.test_request_context():
        version = versions.submit(region, coordinator, "")
        version.pdf, version.sha256 = b"%PDF-1.7 v1", hashlib.sha256(b"%PDF-1.7 v1").hexdigest()
        versions.give_verdict(region, version, reviewer, True, "Fine.")
    db.session.commit()
    return version


def test_a_release_answers_at_once_and_its_pdf_appears_when_done(embedded, client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", coordinator)
    version = _approved_version(embedded, region, coordinator, reviewer)
    login(client, coordinator.email)

    client.get("/r/alpha/versions/1/release")
    started = time.perf_counter()
    response = post_form(client, "/r/alpha/versions/1/release", {})
    seconds = time.perf_counter() - started  # the form's GET included
    assert seconds < SLOW, f"the release waited {seconds:.2f} s for the render"
    assert response.status_code == 302
    db.session.expire_all()
    released = db.session.get(DraftVersion, version.id)
    assert released.released_at is not None and released.approvers == [reviewer.name]
    assert released.released_pdf is None and not released.released_sha256
    assert _notes(reviewer, "version_released") == 1  # told at the release
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "The released PDF is being prepared." in page
    response, seconds = _timed_get(client, "/r/alpha/versions/1/released.pdf")
    assert seconds < SLOW and response.status_code == 200
    assert "Preparing your document…" in response.get_data(as_text=True)

    body = _poll(client, "/r/alpha/versions/1/released/status")
    assert body == {"state": "ready", "url": "/r/alpha/versions/1/released.pdf"}
    db.session.expire_all()
    released = db.session.get(DraftVersion, version.id)
    assert hashlib.sha256(released.released_pdf).hexdigest() == released.released_sha256
    text = _text(released.released_pdf)
    assert "DRAFT" not in text.upper() and reviewer.name in text
    assert "Department of Welcome" in text
    assert client.get("/r/alpha/versions/1/released.pdf").data == released.released_pdf
    assert released.released_sha256 in client.get("/r/alpha/versions/1").get_data(as_text=True)


def test_a_released_pdf_whose_render_was_lost_renders_when_its_page_is_opened(
    embedded, client, make
):
    embedded.config.update(PDF_RENDER_DELAY_SECONDS=0)
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    version = _approved_version(embedded, region, coordinator, reviewer)
    with embedded.test_request_context():
        versions.release(region, version, coordinator)  # its render never asked for
    db.session.commit()
    login(client, coordinator.email)

    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "The released PDF is being prepared." in page
    assert _poll(client, "/r/alpha/versions/1/released/status")["state"] == "ready"
    download = client.get("/r/alpha/versions/1/released.pdf")
    assert download.mimetype == "application/pdf" and reviewer.name in _text(download.data)


def test_a_released_pdf_is_set_once_and_never_again(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    version = _approved_version(app, region, coordinator, reviewer)
    with app.test_request_context():
        versions.release(region, version, coordinator)
    db.session.commit()
    assert version.released_pdf is None

    first = b"%PDF-1.7 released"
    versions.record_release_pdf(version.id, first)
    db.session.commit()  # the one allowed change: from empty to rendered
    versions.record_release_pdf(version.id, b"%PDF-1.7 again")  # a second render: ignored
    db.session.commit()

    for attribute, value in (("released_pdf", b"%PDF-1.7 second"), ("released_sha256", "0" * 64)):
        db.session.expire_all()
        stored = db.session.get(DraftVersion, version.id)
        setattr(stored, attribute, value)
        with pytest.raises(ImmutableVersion):
            db.session.commit()
        db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(DraftVersion, version.id)
    assert stored.released_pdf == first and stored.released_sha256 == versions.sha256(first)


def test_the_review_copy_answers_at_once_and_appears_when_done(embedded, client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", coordinator)
    _approved_version(embedded, region, coordinator, reviewer)
    login(client, reviewer.email)

    response, seconds = _timed_get(client, "/r/alpha/versions/1/review-copy.pdf")
    assert seconds < SLOW, f"the review copy waited {seconds:.2f} s for the render"
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preparing your document…" in page and "pdf-status.js" in page
    status = re.search(r"/r/alpha/versions/1/review-copy/status/[0-9a-f]{64}", page).group(0)
    assert client.get(status).get_json()["state"] in ("waiting", "working")

    body = _poll(client, status)
    assert body == {"state": "ready", "url": "/r/alpha/versions/1/review-copy.pdf"}
    response, seconds = _timed_get(client, body["url"])
    assert seconds < SLOW and response.mimetype == "application/pdf"  # from the cache
    assert "Department of Welcome" in _text(response.data)
