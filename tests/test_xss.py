"""XSS corpus in the names people and regions are given (and in answers and input): every
page shows them as text; nothing becomes markup. The real browser check is in
tests/browser/test_xss_browser.py."""

from __future__ import annotations

from sqlalchemy import select

from belong.access import membership_of
from belong.extensions import db
from belong.models import Role, User
from belong.services import answers as answer_service
from belong.services import contributions
from belong.templating.registry import get_template
from tests.conftest import login
from tests.test_pdf_attacks import _check_html

PAYLOADS = [
    "<script>alert('name')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    '<a href="javascript:alert(3)">x</a>',
]
REGION_NAME = "Region " + PAYLOADS[1] + PAYLOADS[0]
USER_NAME = "Person " + PAYLOADS[2] + PAYLOADS[3]


def _pages(slug: str) -> list[str]:
    return [
        f"/r/{slug}/",
        f"/r/{slug}/steps/basics",
        f"/r/{slug}/steps/assess",
        f"/r/{slug}/document",
        f"/r/{slug}/members",
        f"/r/{slug}/input",
        f"/r/{slug}/participation",
        f"/r/{slug}/audit",
        f"/r/{slug}/steps/basics/lead/history",
    ]


def test_hostile_names_and_texts_stay_text_on_every_page(app, client, make):
    region = make.region("alpha", name=REGION_NAME)
    coordinator = make.user(Role.COORDINATOR, region)
    coordinator.name = USER_NAME
    contributor = make.user(Role.CONTRIBUTOR, region)
    contributor.name = USER_NAME + " (contributor)"
    for question in ("lead", "statement"):
        answer_service.set_answer(region, "basics", question, " ".join(PAYLOADS), coordinator)
    contributions.add(
        region,
        get_template("sample").definition.step("basics"),
        contributor,
        membership_of(contributor, region),
        body=" ".join(PAYLOADS),
        prompt_index=None,
        show_name=True,
        show_organisation=True,
    )
    db.session.commit()
    login(client, coordinator.email)
    for path in _pages("alpha"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        _check_html(html, path)
        assert "<script>alert" not in html and "<svg onload" not in html, path
        if "Region" in html:
            assert "&lt;script&gt;alert(" in html, path
    admin = make.user(admin=True)
    admin_client = app.test_client()
    login(admin_client, admin.email)
    for path in ("/admin/regions", "/admin/users/", "/admin/dashboard/", "/admin/audit"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        _check_html(response.get_data(as_text=True), path)
    assert db.session.scalar(select(User.name).where(User.id == coordinator.id)) == USER_NAME
