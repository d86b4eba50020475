"""A member of one region cannot read or change anything of another (foundation matrix)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Answer, Role
from tests.conftest import csrf_token

READ_ROUTES = [
    "/r/{slug}/",
    "/r/{slug}/primer",
    "/r/{slug}/steps/basics",
    "/r/{slug}/document",
    "/r/{slug}/document.pdf",
    "/r/{slug}/members",
]


@pytest.mark.parametrize("role", list(Role))
def test_members_of_region_a_get_404_for_region_b(client, make, as_user, role):
    own, other = make.region("alpha"), make.region("beta")
    as_user(role, own)
    for route in READ_ROUTES:
        assert client.get(route.format(slug="beta")).status_code == 404, route
    token = csrf_token(client.get("/r/alpha/").get_data(as_text=True))
    for route in ("/r/beta/steps/basics", "/r/beta/members"):
        response = client.post(route, data={"csrf_token": token, "q_lead": "x", "name": "x"})
        assert response.status_code == 404, route
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert other.slug == "beta"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.COORDINATOR, {"view": 200, "edit": 302, "members": 200}),
        (Role.EDITOR, {"view": 200, "edit": 302, "members": 403}),
        (Role.CONTRIBUTOR, {"view": 200, "edit": 403, "members": 403}),
        (Role.REVIEWER, {"view": 200, "edit": 403, "members": 403}),
    ],
)
def test_roles_inside_their_own_region(client, make, as_user, role, expected):
    region = make.region("alpha")
    as_user(role, region)
    assert client.get("/r/alpha/steps/basics").status_code == expected["view"]
    token = csrf_token(client.get("/r/alpha/").get_data(as_text=True))
    response = client.post(
        "/r/alpha/steps/basics", data={"csrf_token": token, "q_lead": "Changed", "action": "save"}
    )
    assert response.status_code == expected["edit"]
    saved = db.session.scalar(select(Answer.value).where(Answer.question_id == "lead"))
    assert saved == ("Changed" if expected["edit"] == 302 else None)
    assert client.get("/r/alpha/members").status_code == expected["members"]


def test_anonymous_visitors_are_sent_to_login(client, make):
    make.region("alpha")
    for route in READ_ROUTES:
        response = client.get(route.format(slug="alpha"))
        assert response.status_code == 302, route
        assert "/login?next=" in response.headers["Location"]


def test_readers_see_the_draft_without_a_form(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.REVIEWER, region)
    page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    assert "Only the coordinator and editors change it." in page
    assert 'name="q_lead"' not in page
