"""Review in context, in Chromium: a reviewer reads the version's document on its page and
comments on a section there without leaving it (also quoting selected text); open threads
stand under their question on the live step; the draft's preview reads on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import COORDINATOR, DESKTOP, REVIEWER
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS

pytestmark = pytest.mark.browser

V = "/r/valdoria"
PHONE_390 = {"width": 390, "height": 844}


def _mark_page(page) -> None:
    """A mark that a new page load would lose: the page was never left."""
    page.evaluate("window.__stayed = true")


def _stayed(page) -> bool:
    return page.evaluate("window.__stayed === true")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_a_reviewer_comments_on_a_section_without_leaving_the_version_page(open_as, viewport):
    page = open_as(REVIEWER, f"{V}/versions/2", viewport=viewport)
    url = page.url
    _mark_page(page)
    place = "mandate:legal_competences"
    link = page.locator(f'.doc-view a.doc-comment[data-anchor="{place}"]')
    # "Comment" to the eye; its place named too, for a screen reader
    assert (
        link.locator(".visually-hidden")
        .inner_text()
        .endswith("Legal competences of the region on integration and diversity")
    )
    link.click()
    form = page.locator("form.doc-new-comment")
    assert form.locator('input[name="anchor"]').input_value() == place
    body = f"The competences should say when the mid-term review is ({viewport['width']})."
    form.get_by_label("Your comment").fill(body)
    form.get_by_role("button", name="Add the comment").click()
    thread = page.locator(".doc-note article.thread", has_text=body)
    thread.wait_for()
    assert page.url == url and _stayed(page)
    assert page.locator("#doc-status").text_content() == "Your comment is added."
    assert page.evaluate("document.activeElement.id").startswith("thread-")
    # It stands beside the competences: in the note put right before their section
    note_box = thread.locator("xpath=ancestor::div[@class='doc-note']").bounding_box()
    section_box = page.locator("#mandate--legal_competences").bounding_box()
    if viewport is DESKTOP:  # in the margin, right of the text, where the section begins
        assert note_box["x"] >= section_box["x"] + section_box["width"]
        assert section_box["y"] - 80 <= note_box["y"] <= section_box["y"] + 80
    else:  # in the column, just before the passage
        assert note_box["x"] < 40
        assert note_box["y"] + note_box["height"] <= section_box["y"] + 1
    sideways = page.evaluate("document.documentElement.scrollWidth")
    assert sideways <= viewport["width"]
    # Kept: after a reload it is still there, beside the same place
    page.reload()
    assert page.locator(".doc-note article.thread", has_text=body).count() == 1


def test_selected_text_is_quoted_in_the_new_comment(open_as):
    page = open_as(REVIEWER, f"{V}/versions/2")
    _mark_page(page)
    target = page.locator("#mandate--lead_department td")
    words = target.inner_text().strip().split()[:4]
    text = " ".join(words)
    target.evaluate(
        """(cell, count) => {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          const node = walker.nextNode();
          const start = node.textContent.search(/\\S/);
          let end = start, seen = 0;
          while (seen < count && end < node.textContent.length) {
            end = node.textContent.indexOf(" ", end + 1);
            if (end < 0) end = node.textContent.length;
            seen += 1;
          }
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, end);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        len(words),
    )
    quote = page.get_by_role("button", name="Comment on the selected text")
    quote.wait_for()
    quote.click()
    form = page.locator("form.doc-new-comment")
    assert form.locator('input[name="anchor"]').input_value() == "mandate:lead_department"
    box = form.get_by_label("Your comment")
    assert box.input_value() == f"> {text}\n\n"
    assert page.evaluate("document.activeElement.name") == "body"
    box.press("End")
    box.type("Which unit exactly?")
    form.get_by_role("button", name="Add the comment").click()
    thread = page.locator(".doc-note article.thread", has_text="Which unit exactly?")
    thread.wait_for()
    assert thread.locator("blockquote").inner_text().strip() == text
    assert _stayed(page)


def test_without_javascript_a_comment_control_opens_the_form_with_its_place(open_as):
    page = open_as(REVIEWER, f"{V}/versions/2", java_script_enabled=False)
    link = page.locator('.doc-view a.doc-comment[data-anchor="mandate:lead_department"]')
    page.locator('.doc-view details:has(a[data-anchor="mandate:lead_department"]) summary').click()
    link.click()
    assert page.locator("#new-comment select").input_value() == "mandate:lead_department"
    page.locator("#new-comment textarea").fill("Sent without JavaScript.")
    page.locator("#new-comment").get_by_role("button", name="Add the comment").click()
    page.wait_for_url("**/versions/2#thread-*")
    assert page.locator(".doc-note article.thread", has_text="Sent without JavaScript.").count()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_open_threads_stand_under_their_question_on_the_step(open_as, viewport):
    page = open_as(COORDINATOR, f"{V}/steps/mandate", viewport=viewport)
    question = page.locator("#q-commitment_statement")
    thread = question.locator(".question-threads")
    assert "Consider naming the council decision" in thread.inner_text()
    q_box, t_box = question.bounding_box(), thread.bounding_box()
    assert q_box["y"] < t_box["y"] < q_box["y"] + q_box["height"]
    assert page.locator("#q-commitment_statement textarea").bounding_box()["y"] < t_box["y"]
    # The sidebar names it and leads to it
    shown = thread.locator(".question-thread").first.get_attribute("id")
    lead = page.locator(f'.step-threads a[href="#{shown}"]')
    assert lead.inner_text() == "Read it under its question"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_the_preview_reads_on_a_phone(open_as):
    page = open_as(COORDINATOR, f"{V}/document?step=action_plan", viewport=PHONE_390)
    assert page.locator("header.site-header").is_visible()
    assert page.get_by_role("link", name="Back to Valdoria").is_visible()
    back = page.get_by_role("link", name="Back to the step “Action plan”")
    assert back.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    plan = page.locator(".doc-view table.plan").first
    plan.scroll_into_view_if_needed()
    inside = plan.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert inside[0] > inside[1]  # the wide table scrolls inside its own box
    assert plan.get_attribute("tabindex") == "0"  # which the keyboard can reach
    back.click()
    page.wait_for_url(f"**{V}/steps/action_plan")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["1280", "390"])
@pytest.mark.parametrize("who", [REVIEWER, COORDINATOR])
def test_the_version_page_with_a_comment_form_open_has_no_serious_violation(open_as, viewport, who):
    page = open_as(who, f"{V}/versions/2", viewport=viewport, bypass_csp=True)
    page.locator(".doc-view a.doc-comment:visible").first.click()
    page.locator("form.doc-new-comment").wait_for()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious
