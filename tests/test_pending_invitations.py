"""The members page as a coordinator uses it: the role explained and Contributor by default,
pending invitations with their expiry, a new link that kills the old one, and withdrawing."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Membership, Role
from belong.services import accounts
from tests.conftest import login, post_form

LINK = re.compile(r"https?://[^/\s\"<]+(/set-password/[A-Za-z0-9_-]+)")


def _invite(client, slug: str, email: str, role: str = "editor"):
    return post_form(
        client,
        f"/r/{slug}/members",
        {"name": "Ines Ortega", "email": email, "role": role, "organisation": "", "category": ""},
    )


def _membership(email: str) -> Membership:
    user = accounts.find_user(email)
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def test_the_invite_form_explains_roles_and_starts_on_contributor(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    page = client.get("/r/alpha/members").get_data(as_text=True)
    checked = re.search(
        r'<input[^>]*checked[^>]*name="role"[^>]*>|<input[^>]*name="role"[^>]*checked[^>]*>', page
    )
    assert checked and 'value="contributor"' in checked.group(0)
    assert "never changes the answers" in page  # the contributor's rights, beside the choice
    assert "invites and removes members" in page  # the coordinator's


def test_a_new_link_replaces_the_old_one(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    [first] = LINK.findall(_invite(client, "alpha", "ines@example.org").get_data(as_text=True))
    page = client.get("/r/alpha/members").get_data(as_text=True)
    assert "Pending invitations" in page and "The link works until" in page

    membership = _membership("ines@example.org")
    answer = post_form(
        client, f"/r/alpha/members/{membership.id}/resend", {}, token_from="/r/alpha/members"
    )
    [second] = LINK.findall(answer.get_data(as_text=True))
    assert second != first
    assert client.get(first).status_code == 404  # the old link is dead
    assert client.get(second).status_code == 200


def test_no_new_link_for_an_account_another_region_shares(client, app, make):
    """The takeover of the security issue must not come back through "send a new link"."""
    alpha, beta = make.region("alpha"), make.region("beta")
    coordinator = make.user(Role.COORDINATOR, alpha)
    beta_coordinator = make.user(Role.COORDINATOR, beta)
    login(client, coordinator.email)
    _invite(client, "alpha", "shared@example.org")
    other = app.test_client()
    login(other, beta_coordinator.email)
    _invite(other, "beta", "shared@example.org")  # an existing account: added, no link
    membership = _membership("shared@example.org")
    answer = post_form(
        client,
        f"/r/alpha/members/{membership.id}/resend",
        {},
        token_from="/r/alpha/members",
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "no new link can be made here" in text
    assert not LINK.findall(text)


def test_withdrawing_an_invitation_asks_first_and_kills_the_link(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    [link] = LINK.findall(_invite(client, "alpha", "ines@example.org").get_data(as_text=True))
    membership_id = _membership("ines@example.org").id
    confirm = client.get(f"/r/alpha/members/{membership_id}/remove").get_data(as_text=True)
    assert "Withdraw the invitation of Ines Ortega?" in confirm
    assert db.session.get(Membership, membership_id) is not None  # asking changed nothing
    answer = post_form(
        client,
        f"/r/alpha/members/{membership_id}/remove",
        {},
        token_from=f"/r/alpha/members/{membership_id}/remove",
        follow_redirects=True,
    )
    assert "The invitation of Ines Ortega is withdrawn" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is None
    assert client.get(link).status_code == 404
