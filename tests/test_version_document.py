"""A version's page shows the version's document (its frozen answers, assembled as the PDF)
with a "Comment" control at each place a comment may point to and the open threads beside
their place; the draft's preview stands in the app's page; the live step shows each open
thread under its question."""

from __future__ import annotations

import re

import tinycss2
from sqlalchemy import select

from belong.extensions import db
from belong.models import CommentThread, Role
from belong.services import answers, document_pages
from tests.conftest import Factory, csrf_token, login


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _setup(make, slug="alpha"):
    region = make.region(slug)
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    frozen = {
        "basics": {"lead": "Department of Frozen Things", "statement": "We *commit* to it."},
        "assess": {"actions": [{"action": "Open the welcome desk", "cost": 1200}]},
    }
    version = Factory().version(region, coordinator, 1, frozen)
    return region, coordinator, reviewer, version


def _controls(page: str) -> list[str]:
    return re.findall(r'<a class="doc-comment" href="[^"]*" data-anchor="([^"]+)"', page)


def test_the_version_page_shows_the_frozen_document_with_a_comment_control_at_each_place(app, make):
    region, coordinator, reviewer, _version = _setup(make)
    answers.set_answer(region, "basics", "lead", "Department of Live Changes", coordinator)
    db.session.commit()
    client = _client(app, reviewer)
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    document = page.split('<div class="doc-view"', 1)[1]
    assert "Department of Frozen Things" in document  # the version's answers, not today's
    assert "Department of Live Changes" not in page
    assert "<em>commit</em>" in document  # Markdown rendered as in the PDF
    assert "Open the welcome desk" in document
    # The document's stylesheet, scoped to the page; no inline style or script
    assert 'href="/template-assets/sample/in-page.css"' in page
    assert "<style" not in page and "<script>" not in page
    # One control for each question the document shows, and one for each step as a whole
    controls = _controls(page)
    shown = {m for m in re.findall(r'<section class="answer" id="([a-z_]+--[a-z_]+)"', page)}
    assert {c.replace(":", "--") for c in controls if not c.endswith(":")} == shown
    assert "basics:" in controls and "assess:" in controls
    assert len(controls) == len(set(controls))
    # Without JavaScript each control opens the form below with its place chosen
    fallback = client.get("/r/alpha/versions/1?anchor=basics:statement").get_data(as_text=True)
    assert '<option selected value="basics:statement">' in fallback or re.search(
        r'<option[^>]*value="basics:statement"[^>]*selected', fallback
    )


def test_a_comment_posted_with_an_anchor_stands_beside_its_place(app, make):
    _region, _coordinator, reviewer, _version = _setup(make)
    client = _client(app, reviewer)
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    response = client.post(
        "/r/alpha/versions/1/threads",
        data={
            "csrf_token": csrf_token(page),
            "anchor": "basics:statement",
            "body": "> We *commit* to it.\n\nSay to what, exactly.",
        },
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(CommentThread))
    assert (thread.step_id, thread.question_id) == ("basics", "statement")
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    # In the margin note put right before the statement's section, not at the end
    note_at = page.index(f'id="thread-{thread.id}"')
    assert note_at < page.index('id="basics--statement"')
    assert note_at > page.index('id="basics--lead"')
    assert page.count(f'id="thread-{thread.id}"') == 1
    assert "Say to what, exactly." in page
    # Resolved, it leaves the margin for the list below the document
    client.post(
        f"/r/alpha/versions/threads/{thread.id}/resolve", data={"csrf_token": csrf_token(page)}
    )
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert page.index(f'id="thread-{thread.id}"') > page.index('id="comments-title"')


def test_the_page_script_posts_a_comment_and_gets_the_thread_back(app, make):
    _region, _coordinator, reviewer, _version = _setup(make)
    client = _client(app, reviewer)
    token = csrf_token(client.get("/r/alpha/versions/1").get_data(as_text=True))
    headers = {"X-Requested-With": "fetch", "Accept": "application/json"}
    empty = client.post(
        "/r/alpha/versions/1/threads",
        data={"csrf_token": token, "anchor": "basics:lead", "body": "  "},
        headers=headers,
    )
    assert empty.status_code == 422
    assert empty.json["errors"] == ["Write your comment."]
    wrong = client.post(
        "/r/alpha/versions/1/threads",
        data={"csrf_token": token, "anchor": "basics:nowhere", "body": "Hello"},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert db.session.scalar(select(CommentThread)) is None  # nothing half-saved
    made = client.post(
        "/r/alpha/versions/1/threads",
        data={"csrf_token": token, "anchor": "basics:lead", "body": "Name the unit."},
        headers=headers,
    )
    assert made.status_code == 201
    thread = db.session.scalar(select(CommentThread))
    assert made.json["id"] == thread.id
    assert f'id="thread-{thread.id}"' in made.json["html"]
    assert "Name the unit." in made.json["html"]
    assert made.json["message"] == "Your comment is added."


def test_who_sees_the_document_and_who_may_comment_on_it(app, make):
    region, coordinator, _reviewer, _version = _setup(make)
    contributor = make.user(Role.CONTRIBUTOR, region)
    page = _client(app, contributor).get("/r/alpha/versions/1").get_data(as_text=True)
    assert "Department of Frozen Things" in page  # they read the version
    assert not _controls(page) and "review-doc.js" not in page  # but do not comment
    coordinator_page = _client(app, coordinator).get("/r/alpha/versions/1").get_data(as_text=True)
    assert _controls(coordinator_page) and "review-doc.js" in coordinator_page
    # Another region's reviewer: not found, for the page and for a comment
    other = make.region("beta")
    stranger = make.user(Role.REVIEWER, other)
    client = _client(app, stranger)
    assert client.get("/r/alpha/versions/1").status_code == 404
    token = csrf_token(client.get("/r/beta/").get_data(as_text=True))
    posted = client.post(
        "/r/alpha/versions/1/threads",
        data={"csrf_token": token, "anchor": "basics:lead", "body": "Hi"},
        headers={"X-Requested-With": "fetch"},
    )
    assert posted.status_code == 404
    assert db.session.scalar(select(CommentThread)) is None


def test_the_document_in_the_page_stays_sanitized(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    evil = (
        '<script>alert("x")</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(2)">link</a> **fine**'
    )
    Factory().version(region, coordinator, 1, {"basics": {"statement": evil}})
    client = _client(app, coordinator)
    for path in ("/r/alpha/versions/1", "/r/alpha/document"):
        if path.endswith("document"):
            answers.set_answer(region, "basics", "statement", evil, coordinator)
            db.session.commit()
        page = client.get(path).get_data(as_text=True)
        assert "<strong>fine</strong>" in page
        assert "<script>alert" not in page and "onerror" not in page
        assert "javascript:alert" not in page


def test_the_preview_stands_in_the_apps_page_with_ways_back(app, make):
    region = make.region("gamma", name="Gamma")
    contributor = make.user(Role.CONTRIBUTOR, region)
    answers.set_answer(
        region, "basics", "lead", "Office of Everyone", make.user(Role.EDITOR, region)
    )
    db.session.commit()
    client = _client(app, contributor)
    page = client.get("/r/gamma/document?step=basics").get_data(as_text=True)
    assert '<header class="site-header">' in page  # the app's header
    assert '<a class="preview-back" href="/r/gamma/">Back to Gamma</a>' in page
    assert 'href="/r/gamma/steps/basics">Back to the step “Basics”</a>' in page
    assert "Office of Everyone" in page.split('<div class="doc-view"', 1)[1]
    assert page.count("<body") == 1 and page.count("<head>") == 1
    unknown = client.get("/r/gamma/document?step=nowhere").get_data(as_text=True)
    assert "Back to the step" not in unknown and "Back to Gamma" in unknown
    steps_page = client.get("/r/gamma/steps/basics").get_data(as_text=True)
    assert 'href="/r/gamma/document?step=basics"' in steps_page
    other = make.region("delta")
    client = _client(app, make.user(Role.COORDINATOR, other))
    assert client.get("/r/gamma/document").status_code == 404


def test_the_scoped_stylesheet_keeps_the_screen_rules_inside_the_document(client):
    response = client.get("/template-assets/intercultural-region/in-page.css")
    css = response.get_data(as_text=True)
    assert response.mimetype == "text/css"
    assert "@page" not in css and "@media print" not in css
    assert ".doc-view { font-family" in css  # what the document's html rule said
    assert ".doc-view h1 {" in css
    assert "@media screen and (max-width: 40rem)" in css
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    for rule in rules:
        if rule.type == "at-rule":  # the screen media queries, their rules scoped alike
            assert rule.lower_at_keyword == "media"
            rules.extend(tinycss2.parse_rule_list(rule.content, skip_whitespace=True))
            continue
        for selector in tinycss2.serialize(rule.prelude).split(","):
            assert selector.strip().startswith(".doc-view"), selector
    assert client.get("/template-assets/nothing-here/in-page.css").status_code == 404


def test_an_open_thread_shows_under_its_question_on_the_live_step(app, make):
    _region, coordinator, reviewer, _version = _setup(make)
    client = _client(app, reviewer)
    token = csrf_token(client.get("/r/alpha/versions/1").get_data(as_text=True))
    for anchor, body in (("basics:statement", "About the statement."), ("basics:", "Whole.")):
        client.post(
            "/r/alpha/versions/1/threads",
            data={"csrf_token": token, "anchor": anchor, "body": body},
        )
    for user in (coordinator, reviewer):  # the form, and the read-only draft
        page = _client(app, user).get("/r/alpha/steps/basics").get_data(as_text=True)
        statement = page.index('id="q-statement"')
        under = page.index("About the statement.")
        assert statement < under < page.index('id="q-budget"')
        assert page.count("About the statement.") == 1  # the sidebar only names it
        assert "Whole." in page  # a thread on the whole step stays in the sidebar


def test_a_places_block_goes_before_what_holds_it_in_its_section():
    html = (
        '<html lang="en"><body><section id="ch">'
        '<table><tr id="s--a"><th>A</th></tr><tr id="s--b"><th>B</th></tr></table>'
        '<div class="row"><div id="s--c">C</div><div id="t--d">D</div></div>'
        '<p>Text <span id="t--e">E</span></p>'
        '<section id="t--f"><h3>F</h3></section>'
        "</section></body></html>"
    )
    places = [("s", "", "1. S"), ("s", "a", "1.1 A"), ("s", "b", "1.2 B"), ("s", "c", "1.3 C")]
    places += [("t", "", "2. T"), ("t", "d", "2.1 D"), ("t", "e", "2.2 E")]
    places += [("t", "f", "2.3 F"), ("t", "missing", "2.4 Not shown")]
    found = document_pages.spots(html, places)
    where = {s.offset: [p.key for p in s.places] for s in found}
    assert where == {
        html.index("<table"): ["s:", "s:a", "s:b"],  # rows: before their table
        html.index('<div class="row"'): ["s:c", "t:", "t:d"],  # a row of boxes: before it
        html.index("<p>Text"): ["t:e"],
        html.index('<section id="t--f"'): ["t:f"],
    }
    assert document_pages.body_of(html) == (
        "en",
        html[html.index("<section") : -14].replace("<table>", '<table tabindex="0">'),
    )
