"""The demo's review cycle: Valdoria submitted two versions; the reviewer commented
(some threads resolved), asked for changes on v1 and approved v2, which awaits release."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from belong.demo.consultation import load_demo_consultation
from belong.extensions import db
from belong.models import Answer, Membership, Region, User
from belong.services import answers
from belong.services import comments as comment_service
from belong.services import versions as version_service

EARLIER_VISION = (
    "By 2030 Valdoria is a region where everyone who lives here can learn, work and take "
    "part. Our public services treat every resident fairly."
)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _membership(region: Region, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.region_id == region.id, Membership.user_id == user.id)
    )


def load_demo_review(say: Callable[[str], None] = lambda _message: None) -> None:
    """Runs inside a request context because notifications carry links to pages."""
    with current_app.test_request_context("/"):
        _load(say)


def _load(say: Callable[[str], None]) -> None:
    region = db.session.scalar(select(Region).where(Region.slug == "valdoria"))
    coordinator = _user("coordinator@belong.example")
    editor = _user("editor@belong.example")
    reviewer = _user("reviewer@belong.example")
    if region is None or coordinator is None or reviewer is None:
        return
    current = db.session.scalar(  # the full text, restored for v2
        select(Answer.value).where(
            Answer.region_id == region.id,
            Answer.step_id == "vision",
            Answer.question_id == "vision_statement",
        )
    )
    as_reviewer = _membership(region, reviewer)

    # Version 1 had a shorter vision.
    say("Version 1 of Valdoria, its PDF and its review...")
    answers.set_answer(region, "vision", "vision_statement", EARLIER_VISION, coordinator)
    v1 = version_service.submit(
        region, coordinator, "First complete draft for the programme review"
    )
    version_service.complete(v1.id, version_service.page_link(region, v1))
    first = comment_service.start_thread(
        region,
        v1,
        reviewer,
        as_reviewer,
        "vision",
        "vision_statement",
        "The vision should say what **meeting and mixing** looks like, not only fair services.",
    )
    comment_service.reply(
        region,
        first,
        coordinator,
        _membership(region, coordinator),
        "Agreed: we add the interaction principle and the villages of Alta Valdoria in v2.",
    )
    comment_service.resolve(region, first, coordinator)
    comment_service.start_thread(
        region,
        v1,
        reviewer,
        as_reviewer,
        "action_plan",
        "",
        "Several actions have no budget line yet. Who pays for the welcome desks after 2027?",
    )
    version_service.give_verdict(
        region,
        v1,
        reviewer,
        False,
        "A solid draft. Please sharpen the vision and cost the action plan before release.",
    )

    # The public commented on v1 (belong/demo/consultation.py); v2 answers them.
    say("The public consultation on version 1 of Valdoria...")
    load_demo_consultation(region, v1, coordinator)

    # Version 2 restores the full vision; the reviewer approves it.
    say("Version 2 of Valdoria, its PDF and its review...")
    if current is not None:
        answers.set_answer(region, "vision", "vision_statement", current, coordinator)
    v2 = version_service.submit(region, coordinator, "Vision sharpened after the review of v1")
    version_service.complete(v2.id, version_service.page_link(region, v2))
    thread = comment_service.start_thread(
        region,
        v2,
        reviewer,
        as_reviewer,
        "mandate",
        "commitment_statement",
        "Consider naming the council decision that adopted this commitment.",
    )
    if editor is not None:
        comment_service.reply(
            region,
            thread,
            editor,
            _membership(region, editor),
            "We will cite decision 14/2025 in the final text.",
        )
    version_service.give_verdict(
        region, v2, reviewer, True, "Approved. The remaining note can be handled at adoption."
    )
    db.session.flush()
