"""Extra posted fields (region_id, status, role, is_admin, user_id, ...) are ignored."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, Membership, Region, Role, Token, User
from belong.services import accounts
from tests.conftest import PASSWORD, csrf_token, login, post_form


def _extras(other_region, other_user) -> dict:
    return {
        "region_id": str(other_region.id),
        "region": other_region.slug,
        "slug": other_region.slug,
        "status": "released",
        "role": "coordinator",
        "is_admin": "1",
        "active": "1",
        "user_id": str(other_user.id),
        "updated_by_id": str(other_user.id),
        "session_version": "1",
        "version": "99",
        "id": "1",
    }


def test_the_step_form_ignores_extra_fields(client, make):
    own, other = make.region("alpha"), make.region("beta")
    editor = make.user(Role.EDITOR, own)
    stranger = make.user(Role.COORDINATOR, other)
    login(client, editor.email)
    page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "q_lead": "Our department",
        "q_statement": "We commit.",
        "action": "save",
        **_extras(other, stranger),
    }
    response = client.post("/r/alpha/steps/basics", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    answers = list(db.session.scalars(select(Answer)))
    assert {(a.region_id, a.question_id) for a in answers} == {
        (own.id, "lead"),
        (own.id, "statement"),
    }
    assert all(a.updated_by_id == editor.id and a.version == 1 for a in answers)
    me = db.session.get(User, editor.id)
    assert not me.is_admin
    role = db.session.scalar(select(Membership.role).where(Membership.user_id == editor.id))
    assert role is Role.EDITOR


def test_the_invite_form_ignores_extra_fields(client, make):
    own, other = make.region("alpha"), make.region("beta")
    coordinator = make.user(Role.COORDINATOR, own)
    someone_else = make.user(Role.EDITOR, other)
    login(client, coordinator.email)
    data = {
        "name": "New Person",
        "email": "new.person@example.org",
        "role": "contributor",
        "organisation": "",
        "category": "",
        **{k: v for k, v in _extras(other, someone_else).items() if k != "role"},
    }
    response = post_form(client, "/r/alpha/members", data)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    new = accounts.find_user("new.person@example.org")
    assert new is not None and new.id != someone_else.id
    assert not new.is_admin
    memberships = list(db.session.scalars(select(Membership).where(Membership.user_id == new.id)))
    assert [(m.region_id, m.role) for m in memberships] == [(own.id, Role.CONTRIBUTOR)]
    # Nobody else's account changed.
    assert not db.session.get(User, someone_else.id).is_admin
    others = db.session.scalars(select(Membership).where(Membership.user_id == someone_else.id))
    assert [(m.region_id, m.role) for m in others] == [(other.id, Role.EDITOR)]


def test_the_set_password_form_ignores_extra_fields(client, make):
    own, other = make.region("alpha"), make.region("beta")
    victim = make.user(Role.COORDINATOR, other)
    victim_hash = victim.password_hash
    secret = accounts.invite(
        own, "invited@example.org", "Invited", Role.CONTRIBUTOR, hours=1
    ).secret
    db.session.commit()
    new_password = "my own new password"
    data = {
        "password": new_password,
        "confirm": new_password,
        "email": victim.email,
        **_extras(other, victim),
    }
    response = post_form(client, f"/set-password/{secret}", data)
    assert response.status_code == 302
    invited = accounts.find_user("invited@example.org")
    assert accounts.authenticate("invited@example.org", new_password).id == invited.id
    assert not invited.is_admin
    assert [(m.region_id, m.role) for m in invited.memberships] == [(own.id, Role.CONTRIBUTOR)]
    assert db.session.get(User, victim.id).password_hash == victim_hash
    assert accounts.authenticate(victim.email, PASSWORD) is not None
    assert db.session.scalar(select(Token.used_at).where(Token.user_id == invited.id))


def test_the_change_password_form_changes_only_the_signed_in_person(client, make):
    region = make.region("alpha")
    me, victim = make.user(Role.EDITOR, region), make.user(Role.EDITOR, region)
    login(client, me.email)
    new_password = "another long password"
    data = {
        "current": PASSWORD,
        "password": new_password,
        "confirm": new_password,
        "user_id": str(victim.id),
        "email": victim.email,
        "is_admin": "1",
    }
    assert post_form(client, "/account/password", data).status_code == 302
    assert accounts.authenticate(me.email, new_password).id == me.id
    assert accounts.authenticate(victim.email, PASSWORD).id == victim.id
    assert not db.session.get(User, me.id).is_admin


def test_the_region_form_ignores_extra_fields(client, make):
    admin = make.user(admin=True)
    login(client, admin.email)
    page = client.get("/admin/regions").get_data(as_text=True)
    template = re.search(r'<option value="(sample)"', page).group(1)
    data = {
        "name": "New Region",
        "slug": "new-region",
        "template_id": template,
        "country": "",
        "period": "",
        "id": "777",
        "language": "en",
        "created_at": "1999-01-01",
    }
    response = post_form(client, "/admin/regions", data)
    assert response.status_code == 302
    region = db.session.scalar(select(Region).where(Region.slug == "new-region"))
    assert region.id != 777
    assert region.template_id == "sample"
    assert region.created_at.year != 1999
