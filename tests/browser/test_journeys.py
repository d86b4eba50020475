"""Whole journeys in Chromium against the real server: what people do, with mouse or keyboard."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    NORDMARK_COORDINATOR,
    REVIEWER,
    shoot,
)

pytestmark = pytest.mark.browser

STEP_ONE = "/r/nordmark/steps/mandate"


def test_coordinator_fills_a_step_corrects_errors_previews_and_downloads(open_as, tmp_path):
    page = open_as(NORDMARK_COORDINATOR, "/")
    expect(page).to_have_url(re.compile(r"/r/nordmark/$"))
    expect(page.locator("h1")).to_contain_text("Nordmark")
    expect(page.locator("#progress-label")).to_have_text("0 of 10 steps completed")
    page.get_by_role("link", name="Continue with step: Mandate and set-up").click()
    expect(page).to_have_title("Step 1: Mandate and set-up – Nordmark – Belong")

    page.get_by_label("Lead department").fill("Department of Social Affairs")
    page.get_by_label("Political sponsor").fill("Minister Ingrid Sol")
    page.get_by_label("Start of the planning period").fill("2027-01-01")
    page.get_by_label("End of the planning period").fill("2031-12-31")
    page.get_by_label("Core team and resources for drafting").fill("x" * 50_001)
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_contain_text("Core team and resources for drafting")
    expect(page.locator("#q_core_team")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Lead department")).to_have_value("Department of Social Affairs")
    summary.get_by_role("link").click()
    expect(page.locator("#q_core_team")).to_be_focused()

    page.locator("#q_core_team").fill("A team of **three**, with a budget for translation.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".notice-success")).to_have_text("Your answers to this step are saved.")
    expect(page.locator("h1")).to_have_text("Stakeholder mapping and participation plan")

    page.get_by_role("link", name="All steps").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 10 steps completed")
    task = page.locator(".task").first
    expect(task).to_contain_text("Completed")

    page.get_by_role("link", name="Preview the document").click()
    expect(page.locator("body")).to_contain_text("Department of Social Affairs")
    expect(page.locator("strong", has_text="three")).to_be_visible()
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the draft (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Nordmark" in text
    assert "Department of Social Affairs" in text
    assert "Minister Ingrid Sol" in text
    shoot(page, "journey-coordinator-home")


def _tab_to(page, locator, limit: int = 400) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def test_a_step_can_be_completed_with_the_keyboard_alone(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")  # past the header's links and forms
    expect(page.locator("#main")).to_be_focused()
    target = page.get_by_role("link", name="9. Governance, monitoring and evaluation")
    _tab_to(page, target, 80)
    assert page.evaluate(FOCUS_RING), "the focused link shows no focus ring"
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Governance, monitoring and evaluation")

    steering = page.locator("#q_steering_body")
    _tab_to(page, steering)
    assert page.evaluate(FOCUS_RING), "the focused text box shows no focus ring"
    page.keyboard.type("A steering group chaired by the minister, typed with the keyboard.")
    first_cycle = page.locator("input[name=q_reporting_cycle]").first
    _tab_to(page, first_cycle)
    page.keyboard.press("Space")
    expect(first_cycle).to_be_checked()
    save = page.get_by_role("button", name="Save", exact=True)
    _tab_to(page, save)
    assert page.evaluate(FOCUS_RING), "the focused button shows no focus ring"
    page.keyboard.press("Enter")
    # Saved by the button, or a moment earlier by autosave: either way it is there on reload.
    expect(page.locator(".notice-success, .notice-info")).to_be_visible()
    page.reload()
    expect(page.locator("#q_steering_body")).to_have_value(
        "A steering group chaired by the minister, typed with the keyboard."
    )
    expect(page.locator("input[name=q_reporting_cycle]").first).to_be_checked()


def test_a_contributor_gives_input_and_the_coordinator_sees_it(open_as):
    page = open_as(CONTRIBUTOR, "/r/valdoria/steps/vision")
    expect(page.locator("h1")).to_have_text("Vision and principles")
    expect(page.locator("#step-form")).to_have_count(0)  # contributors never edit answers
    page.get_by_role("button", name="Send your input").click()
    expect(page.locator("#error-summary")).to_contain_text("Write your input before sending it.")
    page.get_by_role("textbox", name=re.compile("^Your input")).fill(
        "Name **migrant-led associations** as partners."
    )
    page.get_by_label("My organisation may be named").check()
    page.get_by_role("button", name="Send your input").click()
    expect(page.locator(".notice-success")).to_be_visible()
    page.goto(page.url.split("#")[0])
    expect(page.locator(".contribution-list")).to_contain_text("migrant-led associations")

    coordinator = open_as(COORDINATOR, "/r/valdoria/steps/vision")
    received = coordinator.locator(".contribution", has_text="migrant-led associations")
    expect(received).to_contain_text("Nadia Okafor")
    expect(received.get_by_role("link", name=re.compile("Adopt, note or decline"))).to_be_visible()


def test_a_reviewer_comments_on_a_version(open_as):
    page = open_as(REVIEWER, "/r/valdoria/")
    page.get_by_role("link", name="Versions and review").first.click()
    page.locator("main a[href*='/versions/']").filter(has_text=re.compile(r"2")).first.click()
    expect(page.locator("h1").first).to_contain_text("Version 2")
    form = page.locator("#new-comment")
    form.get_by_role("button", name="Add the comment").click()
    expect(page.locator("#error-summary")).to_contain_text("Write your comment.")
    page.locator("#new-comment select").select_option(index=1)
    page.locator("#new-comment textarea").fill("Please give a target year for the first indicator.")
    page.locator("#new-comment").get_by_role("button", name="Add the comment").click()
    expect(page.locator("main")).to_contain_text(
        "Please give a target year for the first indicator."
    )


def test_autosave_keeps_typing_and_leaving_with_unsaved_text_asks_first(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/vision")
    field = page.locator("#q_vision_statement")
    field.click()
    page.keyboard.type("By 2031 every resident feels at home.")
    expect(page.locator("#autosave-status")).to_contain_text("All changes saved", timeout=15_000)
    page.reload()
    expect(field).to_have_value("By 2031 every resident feels at home.")

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    field.click()
    page.keyboard.press("End")
    page.keyboard.type(" Not saved yet.")
    page.get_by_role("link", name="All steps").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/steps/vision"))  # stayed, with the text
    expect(field).to_have_value("By 2031 every resident feels at home. Not saved yet.")


def test_a_conditional_question_appears_and_disappears_as_the_answer_changes(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/consultation")
    responses = page.locator("#q-responses")
    expect(responses).to_be_hidden()  # it applies once comments are summarised
    page.fill("#q_comments_summary", "Forty comments, most on housing.")
    expect(responses).to_be_visible()
    expect(page.locator("#q_responses")).to_be_editable()
    page.fill("#q_comments_summary", "")  # cleared again: nothing stays behind
    expect(responses).to_be_hidden()
