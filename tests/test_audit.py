"""The audit log: who did what and when; the coordinator sees their region's, the admin all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from belong.extensions import db
from belong.models import AuditEvent, Role
from belong.services import activity
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"


def _save_lead(client, text: str) -> None:
    html = client.get(STEP).get_data(as_text=True)
    versions = dict(re.findall(r'name="(v_[a-z_]+)" type="hidden" value="(\d+)"', html))
    data = {"csrf_token": csrf_token(html), **versions, "q_lead": text, "action": "save"}
    assert client.post(STEP, data=data).status_code == 302


def test_coordinator_sees_who_did_what_in_their_region(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    editor = make.user(Role.EDITOR, region)
    writer, reader = app.test_client(), app.test_client()
    login(writer, editor.email)
    _save_lead(writer, "Some text")
    with writer.get("/r/alpha/document.pdf") as pdf:
        assert pdf.status_code == 200
    login(reader, coordinator.email)
    response = reader.get("/r/alpha/audit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saved answers" in page and "Downloaded the draft PDF" in page
    assert editor.name in page and editor.email in page
    assert page.index("Downloaded the draft PDF") < page.index("Saved answers")  # newest first
    assert "Signed in" not in page  # logins belong to no region: the admin's log shows them
    assert 'href="/r/alpha/audit"' in reader.get("/r/alpha/").get_data(as_text=True)


def test_other_roles_and_other_regions_do_not_see_the_log(app, make):
    region = make.region("alpha")
    beta = make.region("beta")
    activity.record("answers_saved", region, user=make.user(Role.EDITOR, region))
    db.session.commit()
    for role, other, status in (
        (Role.EDITOR, region, 403),
        (Role.CONTRIBUTOR, region, 403),
        (Role.REVIEWER, region, 403),
        (Role.COORDINATOR, beta, 404),
    ):
        client = app.test_client()
        login(client, make.user(role, other).email)
        assert client.get("/r/alpha/audit").status_code == status, role
        assert client.get("/admin/audit").status_code == 403, role
        assert 'href="/r/alpha/audit"' not in client.get("/r/alpha/").get_data(as_text=True)


def test_admin_sees_every_region_and_logins(app, make):
    alpha, beta = make.region("alpha", name="Alpha"), make.region("beta", name="Beta")
    activity.record("answers_saved", alpha, user=make.user(Role.EDITOR, alpha))
    activity.record("member_changed", beta, user=make.user(Role.COORDINATOR, beta), role="editor")
    db.session.commit()
    admin = make.user(admin=True)
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Saved answers" in page and "Changed a member's role or details" in page
    assert "Alpha" in page and "Beta" in page
    assert "Signed in" in page  # the admin's own login
    assert 'href="/admin/audit"' in client.get("/admin/regions").get_data(as_text=True)
    assert client.get("/r/alpha/audit").status_code == 200  # any region's log too


def test_the_log_is_paged_fifty_at_a_time_newest_first(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(120):
        event = activity.record("answers_saved", region, user=coordinator, step=f"step{i:03d}")
        event.at = start + timedelta(minutes=i)
    db.session.commit()
    client = app.test_client()
    login(client, coordinator.email)
    first = client.get("/r/alpha/audit").get_data(as_text=True)
    assert "Page 1 of 3" in first and "120 events in all" in first
    assert first.count("step: step") == 50
    assert "step: step119" in first and "step: step070" in first
    assert "step: step069" not in first
    assert 'href="/r/alpha/audit?page=2"' in first
    last = client.get("/r/alpha/audit?page=3").get_data(as_text=True)
    assert last.count("step: step") == 20 and "step: step000" in last
    assert 'href="/r/alpha/audit?page=2"' in last and "page=4" not in last
    # Nonsense page numbers land on a real page, never an error.
    assert client.get("/r/alpha/audit?page=99").status_code == 200
    assert client.get("/r/alpha/audit?page=-1").status_code == 200
    assert db.session.query(AuditEvent).filter_by(region_id=region.id).count() == 120  # read only
