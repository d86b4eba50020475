"""The public consultation: opening it, the public page and its form (no account; CSRF, rate
limits, honeypot, size limits, odd and hostile text), moderation, answers after closing,
erasure, and what the document's consultation record reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import (
    AuditEvent,
    Consultation,
    Moderation,
    Notification,
    PublicComment,
    Role,
)
from belong.services import answers as answer_service
from belong.services import consultations, documents
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login, post_form
from tests.test_pdf_attacks import CORPUS

TODAY = date.today()


@pytest.fixture
def place(app, make):
    """Region alpha with a submitted version, an open consultation on it, and its team."""
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    editor = make.user(Role.EDITOR, region)
    version = make.version(region, coordinator, answers={"basics": {"lead": "Consulted text"}})
    step = get_template("sample").definition.step("basics")
    answer_service.save_step(region, step, {"lead": "Live draft text"}, {}, coordinator)
    consultation = consultations.open_consultation(
        region,
        version,
        coordinator,
        opens_on=TODAY,
        closes_on=TODAY + timedelta(days=30),
        introduction="Tell us what you think of the draft.",
        categories=["ngo", "municipality"],
        questions=["What matters most to you?"],
        privacy_notice="We keep your comment for the strategy.",
        keep_personal_data_until=TODAY + timedelta(days=200),
        publish_names=True,
    )
    db.session.commit()
    return {
        "region": region,
        "coordinator": coordinator,
        "editor": editor,
        "version": version,
        "consultation": consultation,
    }


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(PublicComment))


def _send(client, data: dict, target: str = "basics--lead"):
    url = f"/consult/alpha/comment/{target}"
    return post_form(client, url, {"body": "", "name": "", "organisation": "", **data})


# ------------------------------------------------------------------ opening


def test_the_coordinator_opens_one_consultation_at_a_time(app, client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    make.version(region, coordinator)
    login(client, coordinator.email)
    form = {
        "version": "1",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY - timedelta(days=1)).isoformat(),
        "introduction": "Comment on our draft.",
        "categories": ["ngo"],
        "questions": "First?\nSecond?",
        "privacy_notice": "We keep it.",
        "keep_personal_data_until": (TODAY + timedelta(days=100)).isoformat(),
    }
    refused = post_form(client, "/r/alpha/consultation/new", form)
    assert refused.status_code == 422
    assert "cannot close before it opens" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0

    form["closes_on"] = (TODAY + timedelta(days=20)).isoformat()
    opened = post_form(client, "/r/alpha/consultation/new", form)
    assert opened.status_code == 302
    consultation = db.session.scalar(select(Consultation))
    assert consultation.questions == ["First?", "Second?"]
    assert consultation.categories == ["ngo"]
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "consultation_opened")
        ).user_id
        == coordinator.id
    )

    again = post_form(client, "/r/alpha/consultation/new", form)
    assert again.status_code == 409
    assert "already has a consultation open" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 1


# ------------------------------------------------------------------ the public page


def test_anonymous_visitors_see_the_published_version_and_published_comments_only(client, place):
    consultation = place["consultation"]
    shown = consultations.add_comment(
        consultation, target="basics--lead", body="Published words.", name="Ana", consent=True
    )
    consultations.add_comment(consultation, target="basics--lead", body="Waiting words.")
    hidden = consultations.add_comment(
        consultation, target="basics--lead", body="Hidden words.", consent=True
    )
    consultations.moderate(shown, place["coordinator"], publish=True)
    consultations.moderate(hidden, place["coordinator"], publish=False, reason="Off topic")
    db.session.commit()

    response = client.get("/consult/alpha")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # the page itself tracks nobody
    assert "Consulted text" in page and "Live draft text" not in page
    assert "Published words." in page and "Ana" in page
    assert "Waiting words." not in page and "Hidden words." not in page
    assert 'href="/consult/alpha/comment/basics--lead"' in page
    assert "What matters most to you?" in page
    # The team's pages stay closed to the visitor.
    assert client.get("/r/alpha/consultation").status_code == 302
    assert client.get("/consult/nowhere").status_code == 404
    assert client.get("/consult/alpha/comment/no-such-section").status_code == 404


def test_a_region_without_an_opened_consultation_has_no_public_page(client, make):
    make.region("beta")
    assert client.get("/consult/beta").status_code == 404


def test_a_visitor_comments_without_an_account(client, place):
    response = _send(
        client,
        {
            "body": "Please add the rural areas.",
            "name": "Jan",
            "organisation": "Village club",
            "category": "ngo",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/consult/alpha#comments-basics--lead")
    comment = db.session.scalar(select(PublicComment))
    assert (comment.body, comment.name, comment.organisation) == (
        "Please add the rural areas.",
        "Jan",
        "Village club",
    )
    assert comment.category == "ngo" and comment.consent
    assert comment.moderation is Moderation.PENDING
    assert comment.section == "basics--lead" and comment.chapter == "chapter-basics"
    told = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert [n.user_id for n in told] == [place["coordinator"].id, place["editor"].id]
    assert told[0].message == "1 new comment of the public to moderate in Alpha."
    thanks = client.get("/consult/alpha").get_data(as_text=True)
    assert "Your comment was received" in thanks
    assert "Please add the rural areas." not in thanks  # not before moderation


def test_a_general_question_takes_answers(client, place):
    assert _send(client, {"body": "Housing."}, target="q1").status_code == 302
    comment = db.session.scalar(select(PublicComment))
    assert comment.question_index == 0 and comment.section == ""
    assert client.get("/consult/alpha/comment/q2").status_code == 404


# The shared corpus of hostile text (file and network addresses, scripts, handlers, styles),
# with a tag-breaking and a template-looking string.
HOSTILE = [*CORPUS, '"><svg onload=alert(1)>', "{{ 7*7 }} {% raw %}"]


@pytest.mark.parametrize("text", HOSTILE)
def test_script_injection_is_kept_as_text_and_shown_as_text(client, place, text):
    assert _send(client, {"body": text, "name": text[:100], "consent": "y"}).status_code == 302
    comment = db.session.scalar(select(PublicComment))
    assert comment.body == text
    consultations.moderate(comment, place["coordinator"], publish=True)
    db.session.commit()
    page = client.get("/consult/alpha").get_data(as_text=True)
    assert str(escape(text)) in page  # shown as the text it is, never as markup
    if "<" in text:
        assert text not in page
    for markup in ("<script>alert", "<img src=", "<svg", 'href="javascript', "<style>", "<link"):
        assert markup not in page.split('<main id="main"', 1)[1]


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"body": "x" * 5_001}, "5,001 characters"),
        ({"body": ""}, "Write your comment"),
        ({"body": "\x00\x00"}, "Write your comment"),  # nothing left once cleaned
        ({"body": "Fine", "name": "n" * 121}, "the limit is 120"),
        ({"body": "Fine", "organisation": "o" * 161}, "the limit is 160"),
        ({"body": "Fine", "category": "not-offered"}, "Not a valid choice"),
    ],
)
def test_refused_input_is_reported_and_nothing_is_stored(client, place, data, field_error):
    response = _send(client, data)
    assert response.status_code == 422
    assert field_error in response.get_data(as_text=True)
    assert _count() == 0


def test_odd_unicode_is_kept_as_people_mean_it(client, place):
    text = "Line one\u2029line two \u200fمرحبا\u200e and\x00 more\u2028end"
    assert _send(client, {"body": text, "name": "Ada\u2029Lovelace"}).status_code == 302
    comment = db.session.scalar(select(PublicComment))
    assert comment.body == "Line one\nline two \u200fمرحبا\u200e and more\nend"
    assert comment.name == "Ada Lovelace"


def test_the_honeypot_and_a_missing_token_keep_nothing(client, place):
    trapped = _send(client, {"body": "Buy now", "website": "http://spam.example"})
    assert trapped.status_code == 400
    assert "nothing was kept" in trapped.get_data(as_text=True)
    no_token = client.post("/consult/alpha/comment/basics--lead", data={"body": "Hello"})
    assert no_token.status_code == 400
    assert _count() == 0


def test_comments_are_limited_per_address_and_per_consultation(app, client, place):
    app.config["CONSULT_COMMENTS_PER_ADDRESS"] = 2
    for n in range(2):
        assert _send(client, {"body": f"Comment {n}"}).status_code == 302
    refused = _send(client, {"body": "One too many"})
    assert refused.status_code == 429
    assert "Nothing was kept" in refused.get_data(as_text=True)
    assert _count() == 2

    app.config["CONSULT_COMMENTS_PER_ADDRESS"] = 100
    app.config["CONSULT_COMMENTS_PER_CONSULTATION"] = 2  # 4 counted already
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert _send(other, {"body": "From elsewhere"}).status_code == 429
    assert _count() == 2


def test_a_closed_consultation_accepts_nothing(client, place):
    page = client.get("/consult/alpha/comment/basics--lead")
    token = csrf_token(page.get_data(as_text=True))
    consultations.close(place["consultation"], place["coordinator"])
    db.session.commit()
    refused = client.post(
        "/consult/alpha/comment/basics--lead", data={"csrf_token": token, "body": "Late"}
    )
    assert refused.status_code == 403
    assert "takes no comments now" in refused.get_data(as_text=True)
    assert _count() == 0
    closed = client.get("/consult/alpha").get_data(as_text=True)
    assert "This consultation closed" in closed
    assert "/consult/alpha/comment/" not in closed


# ------------------------------------------------------------------ the team


def _comment(place, **kwargs) -> PublicComment:
    values = {"target": "basics--lead", "body": "Say more about leadership.", "consent": True}
    comment = consultations.add_comment(place["consultation"], **{**values, **kwargs})
    db.session.commit()
    return comment


def test_moderation_publishes_with_consent_and_hides_with_a_reason(client, place):
    with_consent = _comment(place)
    without = _comment(place, body="Private remark.", consent=False)
    login(client, place["editor"].email)
    url = f"/r/alpha/consultation/comments/{without.id}/moderate"
    token_page = f"/r/alpha/consultation/{place['consultation'].id}"
    post_form(client, url, {"action": "publish"}, token_from=token_page)
    assert db.session.get(PublicComment, without.id).moderation is Moderation.PENDING

    url = f"/r/alpha/consultation/comments/{with_consent.id}/moderate"
    post_form(client, url, {"action": "hide", "reason": ""}, token_from=token_page)
    assert db.session.get(PublicComment, with_consent.id).moderation is Moderation.PENDING
    post_form(client, url, {"action": "hide", "reason": "Abusive"}, token_from=token_page)
    hidden = db.session.get(PublicComment, with_consent.id)
    assert (hidden.moderation, hidden.hidden_reason) == (Moderation.HIDDEN, "Abusive")
    post_form(client, url, {"action": "publish"}, token_from=token_page)
    assert db.session.get(PublicComment, with_consent.id).moderation is Moderation.PUBLISHED
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("public_comment_%"))
    ).all()
    assert sorted(actions) == ["public_comment_hidden", "public_comment_published"]


def test_answers_come_after_closing_and_show_on_the_public_page_and_in_the_annex(client, place):
    comment = _comment(place, category="ngo")
    consultations.moderate(comment, place["coordinator"], publish=True)
    db.session.commit()
    login(client, place["coordinator"].email)
    url = f"/r/alpha/consultation/comments/{comment.id}/answer"
    data = {"response": "adopted", "reason": "We named the lead.", "changed": ["basics--lead"]}
    early = post_form(client, url, data)
    assert early.status_code == 409
    assert db.session.get(PublicComment, comment.id).response is None

    consultations.close(place["consultation"], place["coordinator"])
    db.session.commit()
    assert post_form(client, url, {**data, "reason": ""}).status_code == 422
    assert post_form(client, url, data).status_code == 302
    answered = db.session.get(PublicComment, comment.id)
    assert answered.changed == ["basics--lead"]

    public = client.get("/consult/alpha").get_data(as_text=True)
    assert "We adopted it." in public and "We named the lead." in public
    assert "1. Basics – Lead department" in public

    region = place["region"]
    html = documents.draft_html(region, get_template(region.template_id))
    annex = html[html.index("Public consultation") :]
    assert "1 comment was received" in annex and "1 was published" in annex
    assert "NGO" in annex and "1 adopted" in annex
    assert "1. Basics – Lead department (1 comment)" in annex
    assert "Compared with this document, the consulted text changed in: 1. Basics" in annex


def test_erasure_on_request_removes_the_sender_and_their_text(client, place):
    comment = _comment(place, name="Ana Nowak", organisation="Club")
    consultations.moderate(comment, place["coordinator"], publish=True)
    db.session.commit()
    login(client, place["coordinator"].email)
    url = f"/r/alpha/consultation/comments/{comment.id}/erase"
    asked = client.get(url).get_data(as_text=True)
    assert "cannot be undone" in asked
    post_form(client, url, {"confirm": "yes"})
    erased = db.session.get(PublicComment, comment.id)
    assert (erased.name, erased.organisation, erased.body) == ("", "", "")
    assert erased.moderation is Moderation.HIDDEN and erased.erased_at is not None
    assert "Ana Nowak" not in client.get("/consult/alpha").get_data(as_text=True)


def test_names_go_when_the_notice_says(place):
    comment = _comment(place, name="Ana", organisation="Club")
    assert consultations.erase_expired(TODAY + timedelta(days=200)) == 0
    assert consultations.erase_expired(TODAY + timedelta(days=201)) == 1
    db.session.commit()
    kept = db.session.get(PublicComment, comment.id)
    assert (kept.name, kept.organisation, kept.body) == ("", "", "Say more about leadership.")


def test_the_daily_command_erases_names_past_the_notice(runner, place):
    comment = _comment(place, name="Ana", organisation="Club")
    place["consultation"].keep_personal_data_until = TODAY - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["erase-consultation-data"])
    assert "erased from 1 comment(s)" in result.output
    kept = db.session.get(PublicComment, comment.id)
    assert (kept.name, kept.organisation) == ("", "")
    assert runner.invoke(args=["erase-consultation-data"]).output.startswith(
        "Names or organisations erased from 0"
    )
