"""In the real browser: hostile region and person names, answers and input run nothing."""

from __future__ import annotations

import pytest

from belong.access import membership_of
from belong.demo.seed import PASSWORD
from belong.extensions import db
from belong.models import Role
from belong.services import accounts, contributions
from belong.services import answers as answer_service
from belong.services import regions as region_service
from belong.templating.registry import get_template

pytestmark = pytest.mark.browser

# Each payload would set window.__xss (or open a dialog) if it ever ran.
PAYLOADS = (
    "<script>window.__xss=1;alert(1)</script>"
    '"><img src=x onerror="window.__xss=2">'
    '\'><svg onload="window.__xss=3">'
    '<a href="javascript:window.__xss=4" id="xss-link">link</a>'
    "[md](javascript:window.__xss=5)"
)
EMAIL = "xss.coordinator@belong.example"


@pytest.fixture(scope="module")
def hostile_region(live_server) -> str:
    with live_server.app.app_context():
        region = region_service.create_region(
            "Xss " + PAYLOADS, "xss-region", "intercultural-region"
        )
        user = accounts.create_user(EMAIL, "Coordinator " + PAYLOADS, password=PASSWORD)
        accounts.invite(region, EMAIL, user.name, Role.COORDINATOR, hours=1, organisation=PAYLOADS)
        template = get_template("intercultural-region").definition
        mandate = template.steps[0]
        for question in mandate.questions:
            if question.type in ("short_text", "long_text"):
                value = PAYLOADS[:500] if question.type == "short_text" else PAYLOADS
                answer_service.set_answer(region, mandate.id, question.id, value, user)
        contributions.add(
            region,
            mandate,
            user,
            membership_of(user, region),
            body=PAYLOADS,
            prompt_index=None,
            show_name=True,
            show_organisation=True,
        )
        db.session.commit()
        db.session.remove()
        return mandate.id


def test_nothing_hostile_runs_in_the_browser(browser, live_server, hostile_region):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server("/login"))
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    paths = [
        "/r/xss-region/",
        f"/r/xss-region/steps/{hostile_region}",
        "/r/xss-region/document",
        "/r/xss-region/members",
        "/r/xss-region/input",
        "/r/xss-region/participation",
        "/r/xss-region/audit",
    ]
    for path in paths:
        response = page.goto(live_server(path))
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert "Xss" in page.content(), path
    assert dialogs == []
    context.close()
