"""One assembly path for the draft, a submitted version, its release and its review copy:
they have the same chapters and annexes, and a version keeps the consultation record of its
submission. The release confirmation, the review copy's notes and the submission message."""

from __future__ import annotations

import io
import re

from babel.dates import format_datetime as babel_datetime
from flask_babel import force_locale, format_datetime
from pypdf import PdfReader
from sqlalchemy import select

from belong.document import placement
from belong.extensions import db
from belong.models import CommentThread, DraftVersion, Membership, Role
from belong.services import accounts, contributions, documents, versions
from belong.services.assessments import record_snapshot
from belong.services.documents import Purpose
from belong.services.review_copy import review_copy_html
from belong.templating.registry import get_template
from tests.conftest import login, post_form


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _outline(pdf: bytes) -> list[str]:
    """Every heading of the PDF's outline (chapters, annexes and their sections), in order."""

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(PdfReader(io.BytesIO(pdf)).outline))


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _contribute(region, email: str, organisation: str, body: str) -> None:
    user = accounts.invite(
        region, email, organisation, Role.CONTRIBUTOR, hours=1, organisation=organisation
    ).user
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    step = get_template(region.template_id).definition.step("basics")
    contributions.add(
        region, step, user, membership, body=body, prompt_index=None, show_organisation=True
    )
    db.session.commit()


def test_version_release_and_review_copy_have_the_drafts_chapters_and_annexes(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    as_coordinator, as_reviewer = _client(app, coordinator), _client(app, reviewer)
    post_form(
        as_coordinator,
        "/r/alpha/steps/basics",
        {"lead": "Office of Inclusion", "statement": "We commit."},
    )
    _contribute(region, "first@example.org", "First Network", "Name the unit.")
    draft = as_coordinator.get("/r/alpha/document.pdf")
    assert draft.status_code == 200
    assert post_form(as_coordinator, "/r/alpha/versions/check", {"message": ""}).status_code == 302
    version = db.session.scalar(select(DraftVersion))
    assert version.consultation["total"] == 1  # frozen with the version

    # Later input changes the live draft's record, not the version's.
    _contribute(region, "second@example.org", "Second Network", "Also this.")
    thread = post_form(
        as_reviewer, "/r/alpha/versions/1/threads", {"anchor": "basics:lead", "body": "Which?"}
    )
    assert thread.status_code == 302
    post_form(
        as_reviewer, "/r/alpha/versions/1/verdict", {"decision": "approve", "summary": "Fine."}
    )
    release = post_form(
        as_coordinator, "/r/alpha/versions/1/release", {"accept_open": "y", "open_seen": "1"}
    )
    assert release.status_code == 302
    db.session.expire_all()
    version = db.session.get(DraftVersion, version.id)
    review_copy = as_reviewer.get("/r/alpha/versions/1/review-copy.pdf")
    assert review_copy.status_code == 200

    documents_ = {
        "draft": draft.data,
        "version": version.pdf,
        "released": version.released_pdf,
        "review copy": review_copy.data,
    }
    headings = {name: _outline(pdf) for name, pdf in documents_.items()}
    assert "Annex: Consultation record" in headings["draft"]
    for name, found in headings.items():
        assert found == headings["draft"], name
    for name, pdf in documents_.items():
        text = _text(pdf)
        assert "First Network" in text, name  # named in the consultation record
        assert "Second Network" not in text, name  # came after the submission
    assert "Second Network" in _text(as_coordinator.get("/r/alpha/document.pdf").data)

    # The version re-rendered now is the version as submitted.
    template = get_template(region.template_id)
    with app.test_request_context():
        edition = versions.edition_of(version, Purpose.VERSION)
        again = documents.document_pdf(template, documents.document_html(region, template, edition))
    assert _text(again) == _text(version.pdf)


def test_release_with_open_threads_needs_an_explicit_confirmation(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    make.version(region, coordinator, 1, {"basics": {"lead": "Unit A"}})
    as_reviewer, as_coordinator = _client(app, reviewer), _client(app, coordinator)
    for anchor, body in (("basics:lead", "Which unit?"), ("basics:", "Too short.")):
        post_form(as_reviewer, "/r/alpha/versions/1/threads", {"anchor": anchor, "body": body})
    resolved = db.session.scalar(select(CommentThread).where(CommentThread.question_id == ""))
    post_form(as_reviewer, f"/r/alpha/versions/threads/{resolved.id}/resolve", {})
    post_form(as_reviewer, "/r/alpha/versions/1/verdict", {"decision": "approve", "summary": "Ok."})
    open_thread = db.session.scalar(select(CommentThread).where(CommentThread.question_id != ""))

    url = "/r/alpha/versions/1/release"
    page = as_coordinator.get(url).get_data(as_text=True)
    assert "1 review thread of this version is still open" in page
    assert f"/r/alpha/versions/1#thread-{open_thread.id}" in page
    assert f"#thread-{resolved.id}" not in page
    assert "I release with 1 open thread" in page

    refused = post_form(as_coordinator, url, {"open_seen": "1"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Tick the box to release with 1 open thread, or resolve it first." in body
    assert 'class="field field-invalid"' in body
    db.session.expire_all()
    assert db.session.get(DraftVersion, open_thread.version_id).released_at is None

    # A tick given for fewer threads than are open now does not count either.
    post_form(as_reviewer, "/r/alpha/versions/1/threads", {"anchor": "basics:", "body": "More."})
    stale = post_form(as_coordinator, url, {"accept_open": "y", "open_seen": "1"})
    assert stale.status_code == 422
    assert "I release with 2 open threads" in stale.get_data(as_text=True)

    done = post_form(as_coordinator, url, {"accept_open": "y", "open_seen": "2"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(DraftVersion, open_thread.version_id).released_at is not None


def test_review_copy_dates_follow_the_documents_locale_and_threads_show_their_state(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    make.version(region, coordinator, 1, {"basics": {"lead": "Unit A"}})
    as_reviewer = _client(app, reviewer)
    post_form(as_reviewer, "/r/alpha/versions/1/threads", {"anchor": "basics:lead", "body": "A?"})
    post_form(as_reviewer, "/r/alpha/versions/1/threads", {"anchor": "basics:", "body": "B?"})
    first = db.session.scalar(select(CommentThread).where(CommentThread.question_id == "lead"))
    post_form(as_reviewer, f"/r/alpha/versions/threads/{first.id}/resolve", {})
    version = db.session.scalar(select(DraftVersion))
    threads = list(db.session.scalars(select(CommentThread).order_by(CommentThread.id)))
    created = threads[0].comments[0].created_at

    with app.test_request_context():
        html = review_copy_html(region, version, threads)
        with force_locale("en_GB"):
            written = format_datetime(created, "medium")
    assert written in html  # 2 Dec 2026, 16:20:39
    assert babel_datetime(created, "medium", locale="en_US") not in html  # Dec 2, 2026, 4:20…
    assert "2 notes from the review" in html and "1 of them is open" in html
    assert html.count('class="review-note review-note-resolved"') == 1
    assert html.count('class="review-note review-note-open"') == 1
    assert "Resolved</span>" in html and "Open</span>" in html
    with app.test_request_context():
        single = review_copy_html(region, version, threads[:1])
    assert "1 note from the review" in single and "1 notes" not in single

    region.language = "es"
    db.session.commit()
    with app.test_request_context():
        html = review_copy_html(region, version, threads)
        with force_locale("es"):
            written = format_datetime(created, "medium")
    assert written in html


def test_submitting_says_how_many_reviewers_are_asked(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    client = _client(app, coordinator)
    response = post_form(client, "/r/alpha/versions/check", {"message": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "This region has no reviewers yet, so nobody is asked to review it" in page
    assert "The reviewers are told" not in page
    assert "/r/alpha/members?role=reviewer#invite" in page
    members = client.get("/r/alpha/members?role=reviewer").get_data(as_text=True)
    assert re.search(
        r'<input[^>]*checked[^>]*value="reviewer"|<input[^>]*value="reviewer"[^>]*checked', members
    )

    make.user(Role.REVIEWER, region)
    make.user(Role.REVIEWER, region)
    response = post_form(client, "/r/alpha/versions/check", {"message": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Version 2 is submitted and 2 reviewers are asked to review it." in page
    assert "/r/alpha/members?role=reviewer" not in page


def test_a_version_reads_the_self_assessment_history_as_it_was_when_submitted(app, make):
    region = make.region("alpha", template_id="intercultural-region")
    coordinator = make.user(Role.COORDINATOR, region)
    version = make.version(region, coordinator, 1, {})
    template = get_template(region.template_id)
    # after the submission (nothing answered: every question counts as no points, confirmed)
    record_snapshot(region, template.definition, {}, coordinator, unanswered_confirmed=True)
    db.session.commit()
    with app.test_request_context():
        draft = documents.document_context(
            region, template, documents.draft_edition(region, template)
        )
        frozen = documents.document_context(
            region, template, versions.edition_of(version, Purpose.RELEASE)
        )
    assert draft["assessment"]["baseline"] is not None
    assert frozen["assessment"]["baseline"] is None
    assert frozen["assessment"]["history"] == []


def test_notes_go_after_the_smallest_block_around_their_place():
    html = (
        '<body><section id="a"><h2>A</h2><img src="x.png"><table><tr id="b"><td>1</td></tr>'
        '</table><p id="c">Some <em>text</em><br>more</p></section><span id="d">x</span></body>'
    )
    found = placement.places(html, {"a", "b", "c", "d", "missing"})
    assert set(found) == {"a", "b", "c"}  # d has no block around it: among the other notes
    assert html[: found["a"][1]].endswith("</section>")
    assert html[: found["b"][1]].endswith("</table>")  # not inside the table
    assert html[: found["c"][1]].endswith("</p>")
    assert [name for name, _ in sorted(found.items(), key=lambda kv: kv[1][0])] == list("abc")
    assert placement.insert("0123", [(2, "b"), (0, "a"), (2, "c")]) == "a01bc23"
