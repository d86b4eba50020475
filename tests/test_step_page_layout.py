"""The step page of issue 19: stakeholder input counted under the title and placed beside the
form, and a conflict shown at the field it concerns as well as in the comparison."""

from __future__ import annotations

import re

from belong.access import membership_of
from belong.extensions import db
from belong.models import Role
from belong.services import contributions
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"


def _section(html: str, question: str) -> str:
    return re.search(rf'<section class="question" id="q-{question}".*?</section>', html, re.S)[0]


def test_a_conflict_is_shown_at_its_field_and_links_to_the_comparison(app, make):
    region = make.region("alpha")
    ana, ben = make.user(Role.EDITOR, region), make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    page_a = a.get(STEP).get_data(as_text=True)
    page_b = b.get(STEP).get_data(as_text=True)
    b.post(STEP, data={"csrf_token": csrf_token(page_b), "q_lead": "Ben's lead", "v_lead": "0"})
    response = a.post(
        STEP, data={"csrf_token": csrf_token(page_a), "q_lead": "Ana's lead", "v_lead": "0"}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    at_field = _section(html, "lead")
    assert "Someone else saved a newer text of this answer" in at_field
    assert 'href="#conflict-lead"' in at_field
    assert '<div class="conflict-item" id="conflict-lead">' in html
    assert "field-conflict" not in _section(html, "statement")  # only where it happened


def test_the_input_count_sits_under_the_title_and_the_panel_beside_the_form(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    step = get_template("sample").definition.step("basics")
    for body in ("First remark", "Second remark", "Third remark"):
        author = make.user(Role.CONTRIBUTOR, region)
        contributions.add(
            region, step, author, membership_of(author, region), body=body, prompt_index=None
        )
    db.session.commit()
    login(client, coordinator.email)
    html = client.get(STEP).get_data(as_text=True)
    count = re.search(r'<p class="step-input-count"><a href="#contributions">(.*?)</a>', html)
    assert count[1] == "3 stakeholder inputs"
    assert html.index("step-input-count") < html.index('id="step-form"')
    # The panel follows the form's column, as its neighbour in the layout's grid.
    main_end = html.index('<nav class="step-pager"')
    assert html.index('id="contributions"') > main_end


def test_a_contributor_is_pointed_to_give_input(client, make):
    region = make.region("alpha")
    login(client, make.user(Role.CONTRIBUTOR, region).email)
    html = client.get(STEP).get_data(as_text=True)
    assert '<a href="#contributions">Give your input</a>' in html
