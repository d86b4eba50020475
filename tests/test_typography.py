"""Quotes and dashes set as a typesetter would, in the document only."""

from __future__ import annotations

from belong.document.typography import typeset
from belong.extensions import db
from belong.models import Role
from belong.services import answers, documents
from belong.services.regions import answer_values
from belong.templating.registry import get_template


def test_quotes_and_dashes_follow_the_documents_language():
    text = '<p>The "Living Together" survey - it\'s the <em>"first"</em> one.</p>'
    assert typeset(text, "en") == (
        "<p>The “Living Together” survey – it’s the <em>“first”</em> one.</p>"
    )
    assert typeset(text, "de") == (
        "<p>The „Living Together“ survey – it’s the <em>„first“</em> one.</p>"
    )
    assert typeset(text, "pl-PL").startswith("<p>The „Living Together” survey")
    assert typeset(text, "es").startswith("<p>The «Living Together» survey")
    assert typeset("<p>a --- b -- c</p>", "en") == "<p>a — b – c</p>"


def test_code_addresses_attributes_and_markup_are_left_as_written():
    text = (
        '<p title="a \'b\' - c">See "https://example.org/o\'neill-a-b" or mail a-b@example.org;'
        ' <code>x = "y" - 1</code> &amp; 3 &lt; 4, 2024-2027.</p>'
    )
    assert typeset(text, "en") == (
        "<p title=\"a 'b' - c\">See “https://example.org/o'neill-a-b” or mail a-b@example.org;"
        ' <code>x = "y" - 1</code> &amp; 3 &lt; 4, 2024-2027.</p>'
    )
    assert typeset("<p>Plain text - no quotes</p>", "en") == "<p>Plain text – no quotes</p>"


def test_the_document_sets_the_answer_but_the_stored_text_stays_as_written(app, make):
    region = make.region("typo", template_id="sample")
    user = make.user(Role.CONTRIBUTOR, region)
    written = 'We call it "Welcome first" - a promise.'
    answers.set_answer(region, "basics", "lead", written, user)
    db.session.commit()
    template = get_template("sample")
    html = documents.draft_html(region, template)
    assert "“Welcome first” – a promise." in html
    assert answer_values([region.id])[region.id][("basics", "lead")] == written
