"""A visitor comments on a section of the consulted draft without an account; the coordinator
publishes it, closes the consultation and answers; the answer shows on the public page and
the document's consultation record counts it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import COORDINATOR

PHONE = {"width": 390, "height": 844}
COMMENT = "The vision should name the sports clubs where people already meet."


def test_a_visitor_comments_and_the_team_answers(open_as):
    team = open_as(COORDINATOR, "/r/valdoria/consultation")
    team.get_by_role("link", name="Open a consultation").click()
    expect(team.locator("#version")).to_have_value("2")
    team.get_by_label(re.compile("^Introduction")).fill("Tell us what you think of version 2.")
    team.get_by_role("button", name="Open the consultation").click()
    expect(team.locator(".notice-success")).to_contain_text("The consultation is set up")
    moderation = team.url

    visitor = open_as(None, "/consult/valdoria", viewport=PHONE)
    expect(visitor.locator(".consult-state")).to_contain_text("Open for comments")
    visitor.get_by_role(
        "link", name=re.compile(r"^Comment on this section\s*: 6.1 Our vision")
    ).click()
    visitor.get_by_role("button", name="Send my comment").click()
    expect(visitor.locator("#error-summary")).to_contain_text("Write your comment")
    visitor.get_by_label(re.compile("^Your comment")).fill(COMMENT)
    visitor.get_by_label("You are writing as (optional)").select_option("resident")
    visitor.get_by_label("The team may publish my comment on this page").check()
    visitor.get_by_role("button", name="Send my comment").click()
    expect(visitor.locator(".notice-success")).to_contain_text("Your comment was received")

    team.goto(moderation)
    received = team.locator("article", has_text=COMMENT)
    received.get_by_role("button", name="Publish").click()
    expect(team.locator(".notice-success")).to_contain_text("The comment is published")
    team.get_by_role("link", name="Close it now").click()
    team.get_by_role("button", name="Close it now").click()
    expect(team.locator(".notice-success")).to_contain_text("The consultation is closed")
    team.goto(moderation + "?state=published")
    team.locator("article", has_text=COMMENT).get_by_role("link", name="Answer").click()
    team.get_by_label("Adopted: the draft was changed").check()
    team.get_by_label(re.compile("^Reason")).fill("The vision now names sports clubs.")
    team.locator("summary", has_text="Vision and principles").click()
    team.get_by_label("5. Vision and principles – Vision statement").check()
    team.get_by_role("button", name="Record the answer").click()
    expect(team.locator(".notice-success")).to_contain_text("The answer is recorded")

    visitor.reload()
    section = visitor.locator("#comments-vision--vision_statement")
    expect(section).to_contain_text(COMMENT)
    expect(section).to_contain_text("We adopted it. The vision now names sports clubs.")

    team.goto(team.url.split("/consultation")[0] + "/document")
    annex = team.locator("#annex-consultation")
    expect(annex).to_contain_text("1 comment was received; 1 was published.")
    expect(annex).to_contain_text("1 adopted, 0 noted, 0 declined, 0 not yet answered")
    expect(annex).to_contain_text("5. Vision and principles – Vision statement (1 comment)")
