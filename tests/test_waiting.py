"""What waits for whom: the region home puts the reader's next thing first, the header counts
the versions waiting for their review, and "Waiting for you" lists them and the review
comments the team has not answered."""

from __future__ import annotations

import re

from belong.extensions import db
from belong.models import Role
from belong.models.review import ReviewStatus
from belong.services import comments, versions
from tests.conftest import login


def _primary(client, slug: str = "alpha") -> str:
    page = client.get(f"/r/{slug}/").get_data(as_text=True)
    block = page.split('<div class="next-action">', 1)[1].split("</div>", 1)[0]
    block = block.split("</h2>", 1)[1]  # after the heading for screen readers
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def _reviewed_world(make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    version = make.version(region, coordinator)
    versions.request_for(version, reviewer, create=True)
    db.session.commit()
    return region, coordinator, reviewer, version


def test_a_reviewer_is_told_a_version_waits_until_the_verdict(client, make):
    _region, _coordinator, reviewer, version = _reviewed_world(make)
    login(client, reviewer.email)
    assert _primary(client).startswith("Review version 1")
    header = client.get("/r/alpha/").get_data(as_text=True)
    assert "To review" in header and "version waits for your review" in header
    listed = client.get("/waiting").get_data(as_text=True)
    assert "Alpha: version 1" in listed or "version 1" in listed
    assert 'href="/r/alpha/versions/1"' in listed

    request = versions.request_for(version, reviewer, create=False)
    request.status = ReviewStatus.APPROVED.value
    db.session.commit()
    assert not _primary(client).startswith("Review version")
    assert "To review" not in client.get("/r/alpha/").get_data(as_text=True)
    assert "No version waits for your review." in client.get("/waiting").get_data(as_text=True)


def test_a_newer_version_replaces_the_older_one_in_the_queue(client, make):
    region, coordinator, reviewer, _version = _reviewed_world(make)
    newer = make.version(region, coordinator, number=2)
    versions.request_for(newer, reviewer, create=True)
    db.session.commit()
    login(client, reviewer.email)
    listed = client.get("/waiting").get_data(as_text=True)
    assert 'href="/r/alpha/versions/2"' in listed
    assert 'href="/r/alpha/versions/1"' not in listed


def test_the_team_is_told_which_review_comments_wait_for_an_answer(client, app, make):
    region, coordinator, reviewer, version = _reviewed_world(make)
    with app.test_request_context():
        thread = comments.start_thread(
            region, version, reviewer, None, "basics", "", "Please name the budget line."
        )
    db.session.commit()
    login(client, coordinator.email)
    assert _primary(client).startswith("Answer 1 review comment")
    listed = client.get("/waiting").get_data(as_text=True)
    assert "Please name the budget line." in listed
    assert f"#thread-{thread.id}" in listed

    with app.test_request_context():
        comments.reply(region, thread, coordinator, None, "Added in the action plan.")
    db.session.commit()
    assert _primary(client).startswith("Continue with step: Basics")
    assert "Please name the budget line." not in client.get("/waiting").get_data(as_text=True)


def test_a_contributor_is_asked_for_input_on_a_step_that_wants_it(client, make):
    region = make.region("alpha")
    contributor = make.user(Role.CONTRIBUTOR, region)
    login(client, contributor.email)
    assert _primary(client) == "Give your input on: Basics"
