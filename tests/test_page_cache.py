"""The step page's body is rendered once per change and kept: every kind of write shows at
once, each reader keeps their own copy, and a kept page carries the reader's own CSRF token."""

from __future__ import annotations

import re

import pytest
import redis
from flask import template_rendered
from markupsafe import escape

from belong import create_app, page_cache
from belong.extensions import db
from belong.models import Membership, Region, Role, User
from belong.services import activity, answers, comments, members
from belong.services import contributions as contribution_service
from belong.templating.registry import get_template
from tests.conftest import BrowserLikeClient, Factory, _config, csrf_token, login
from tests.test_query_counts import counting

STEP = "/r/alpha/steps/basics"


class Renders:
    """Counts how often a page body's template is rendered."""

    def __init__(self, app, name: str = "steps/_content.html") -> None:
        self.app, self.name, self.count = app, name, 0

    def __enter__(self):
        template_rendered.connect(self._seen, self.app)
        return self

    def __exit__(self, *exc) -> None:
        template_rendered.disconnect(self._seen, self.app)

    def _seen(self, _app, template, context, **_extra) -> None:
        if template.name == self.name:
            self.count += 1


def _untokened(html: str) -> str:
    """The page without its CSRF tokens (signed with the time, so they differ by the second)."""
    return re.sub(r'(name="csrf_token"[^>]*value=)"[^"]+"', r"\1", html)


def _step_form_token(html: str) -> str:
    """The token of the step's own form (the sign-out form in the header has one too)."""
    return csrf_token(html[html.index('id="step-form"') :])


def _page(client, url: str = STEP) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def alpha(make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    return region, coordinator


def test_second_view_is_not_rendered_again_and_a_save_shows_at_once(app, client, alpha):
    _region, coordinator = alpha
    login(client, coordinator.email)
    with Renders(app) as renders:
        first = _page(client)
        assert _untokened(_page(client)) == _untokened(first)
        assert renders.count == 1
        form = {"csrf_token": _step_form_token(first), "action": "save", "q_kind": ""}
        form.update({"q_lead": "Department of Social Inclusion", "q_statement": "We commit."})
        assert client.post(STEP, data=form).status_code == 302
        after = _page(client)
        assert renders.count == 2
    assert "Department of Social Inclusion" in after
    assert "Department of Social Inclusion" not in first


def test_whole_page_is_kept_and_its_header_follows_the_reader(app, client, alpha):
    """The layout is kept with the body; the header's unread count and name show at once (a
    notification changes no region content, so the body stays kept while the page does not)."""
    _region, coordinator = alpha
    login(client, coordinator.email)
    with Renders(app, "steps/step.html") as pages, Renders(app) as bodies:
        first = _page(client)
        assert _untokened(_page(client)) == _untokened(first)
        assert (pages.count, bodies.count) == (1, 1)
        assert 'class="badge"' not in first
        activity.notify([db.session.get(User, coordinator.id)], "comment", "New comment")
        db.session.commit()
        page = _page(client)
        assert '<span class="badge">1</span>' in page
        assert (pages.count, bodies.count) == (2, 1)
        db.session.get(User, coordinator.id).name = "Cora Renamed"
        db.session.commit()
        assert '<span class="who">Cora Renamed</span>' in _page(client)


def test_a_kept_region_page_costs_one_statement_and_still_checks_access(app, client, make, alpha):
    """Served from its kept page, a region page reads the person, their unread count, the
    region and their membership in one SELECT; an outsider still gets no page."""
    _region, coordinator = alpha
    login(client, coordinator.email)
    for url in (STEP, "/r/alpha/"):
        _page(client, url)
        db.session.remove()  # each request starts with an empty session, as in production
        with counting() as statements:
            _page(client, url)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1, selects
        assert "memberships" in selects[0] and "notifications" in selects[0]
    outsider = app.test_client()
    login(outsider, make.user(Role.COORDINATOR, make.region("beta")).email)
    assert outsider.get(STEP).status_code == 404
    assert outsider.get("/r/alpha/").status_code == 404
    assert outsider.get("/r/beta/").status_code == 200


def test_a_flashed_message_shows_once_and_is_never_kept(client, alpha):
    _region, coordinator = alpha
    login(client, coordinator.email)
    first = _page(client)
    form = {"csrf_token": _step_form_token(first), "action": "save", "q_kind": ""}
    form.update({"q_lead": "Lead", "q_statement": "Statement"})
    assert client.post(STEP, data=form).status_code == 302
    assert "Your answers to this step are saved." in _page(client)
    again = _page(client)
    assert "Your answers to this step are saved." not in again and "Statement" in again
    assert client.post(STEP, data=form).status_code == 302
    assert "Nothing had changed, so nothing needed saving." in _page(client)
    assert "Nothing had changed" not in _page(client)


def test_home_page_is_kept_and_shows_a_new_version_and_progress_at_once(app, client, alpha):
    region, coordinator = alpha
    login(client, coordinator.email)
    with Renders(app, "regions/_home.html") as renders:
        first = _page(client, "/r/alpha/")
        assert _untokened(_page(client, "/r/alpha/")) == _untokened(first)
        assert renders.count == 1
    assert "No version submitted yet." in first and "0 of 2 steps completed" in first
    Factory().version(region, coordinator, 1)
    answers.set_answer(region, "basics", "lead", "Lead", coordinator)
    answers.set_answer(region, "basics", "statement", "Statement", coordinator)
    db.session.commit()
    page = _page(client, "/r/alpha/")
    assert "Latest: version 1" in page and "1 of 2 steps completed" in page


def test_a_kept_page_carries_each_sessions_own_token(app, alpha):
    """Two sign-ins of the same person: the second is served the kept body, and its form
    (with the token put in for that session) saves; the first session's token is not in it."""
    _region, coordinator = alpha
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, coordinator.email)
    login(phone, coordinator.email)
    with Renders(app) as renders:
        on_laptop, on_phone = _page(laptop), _page(phone)
        assert renders.count == 1
    assert _step_form_token(on_laptop) != _step_form_token(on_phone)
    assert page_cache.PLACEHOLDER not in on_phone
    form = {"csrf_token": _step_form_token(on_phone), "action": "save", "q_kind": ""}
    form.update({"q_lead": "Saved from the phone", "q_statement": "Kept."})
    assert phone.post(STEP, data=form).status_code == 302
    assert "Saved from the phone" in _page(laptop)


def test_a_name_is_never_replaced_by_the_readers_token(app, client, alpha):
    """The placeholder kept in place of the token cannot be in text a person typed."""
    _region, coordinator = alpha
    name = f"Cora {page_cache.PLACEHOLDER} Lee"
    db.session.get(User, coordinator.id).name = name
    db.session.commit()
    login(client, coordinator.email)
    for _ in range(2):  # rendered, then served as kept
        page = _page(client)
        assert f'<span class="who">{escape(name)}</span>' in page


def test_writes_outside_the_step_form_show_at_once(app, client, make, alpha):
    """Input, comments, member changes and renames are written by other pages and services."""
    region, coordinator = alpha
    author = make.user(Role.CONTRIBUTOR, region)
    login(client, coordinator.email)
    assert "No input on this step yet." in _page(client)

    step = get_template("sample").definition.step("basics")
    membership = db.session.query(Membership).filter_by(user_id=author.id).one()
    contribution_service.add(
        region, step, author, membership, body="Ask the libraries.", prompt_index=None
    )
    db.session.commit()
    assert "Ask the libraries." in _page(client)

    version = Factory().version(region, coordinator, 1)
    with app.test_request_context():  # the notification links to the thread
        comments.start_thread(region, version, coordinator, None, "basics", "", "Say who leads.")
    db.session.commit()
    assert "Say who leads." in _page(client)

    db.session.get(User, author.id).name = "Ada Renamed"
    db.session.commit()
    assert "Ada Renamed" in _page(client)

    answers.set_answer(region, "basics", "lead", "Written by an import", coordinator)
    db.session.commit()
    assert "Written by an import" in _page(client)

    make.user(Role.COORDINATOR, region)  # the region keeps a coordinator
    own = db.session.query(Membership).filter_by(user_id=coordinator.id).one()
    members.change_member(own, role=Role.CONTRIBUTOR, organisation="", category="")
    db.session.commit()
    page = _page(client)
    assert 'id="step-form"' not in page
    assert "You can read the current draft of this step." in page


def test_each_reader_and_language_gets_their_own_copy(app, make, alpha):
    region, coordinator = alpha
    contributor = make.user(Role.CONTRIBUTOR, region)
    editor_client, contributor_client = app.test_client(), app.test_client()
    login(editor_client, coordinator.email)
    login(contributor_client, contributor.email)
    assert 'id="step-form"' in _page(editor_client)
    page = _page(contributor_client)
    assert 'id="step-form"' not in page and "Give your input" in page
    db.session.get(User, coordinator.id).locale = "es"
    db.session.commit()
    assert "Guardar" in _page(editor_client)


def test_an_unknown_region_or_step_is_not_served_from_another(app, client, make, alpha):
    _region, coordinator = alpha
    beta = make.region("beta")
    outsider = make.user(Role.COORDINATOR, beta)
    login(client, coordinator.email)
    _page(client)
    other = app.test_client()
    login(other, outsider.email)
    assert other.get(STEP).status_code == 404
    assert client.get("/r/alpha/steps/nope").status_code == 404


def test_a_region_write_changes_its_revision_and_no_other(app, make, alpha):
    region, coordinator = alpha
    beta = make.region("beta")
    before = {r.slug: r.content_revision for r in db.session.query(Region)}
    answers.set_answer(region, "basics", "lead", "Lead", coordinator)
    db.session.commit()
    db.session.expire_all()
    after = {r.slug: r.content_revision for r in db.session.query(Region)}
    assert after["alpha"] == before["alpha"] + 1
    assert after["beta"] == before["beta"] == db.session.get(Region, beta.id).content_revision
    db.session.get(User, coordinator.id).last_seen_at = None  # not shown anywhere: no change
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Region, region.id).content_revision == after["alpha"]


def test_kept_in_redis_and_shared_by_two_app_processes(migrated, templates_dir, make):
    """With REDIS_URL, a second app (another worker or machine) serves what the first kept."""
    url = "redis://127.0.0.1:6379/15"
    redis.Redis.from_url(url).flushdb()
    config = _config(migrated, templates_dir, REDIS_URL=url, PDF_QUEUE=False)
    first, second = create_app(config), create_app(config)
    for app in (first, second):
        app.test_client_class = BrowserLikeClient
    with first.app_context():
        region = make.region("alpha")
        email = make.user(Role.COORDINATOR, region).email
        client = first.test_client()
        login(client, email)
        with Renders(first) as renders:
            page = _page(client)
        assert renders.count == 1
        assert any(k.startswith(b"belong:part:") for k in redis.Redis.from_url(url).scan_iter())
    with second.app_context():
        client = second.test_client()
        login(client, email)
        with Renders(second) as renders:
            again = _page(client)
        assert renders.count == 0
        assert _untokened(again) == _untokened(page)
        db.session.remove()
        db.engine.dispose()
    with first.app_context():
        db.engine.dispose()
    redis.Redis.from_url(url).flushdb()


def test_a_cache_that_fails_does_not_fail_the_page(migrated, templates_dir, make):
    unreachable = "redis://127.0.0.1:1/0"
    config = _config(migrated, templates_dir, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=unreachable)
    app = create_app(config)
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        region = make.region("alpha")
        coordinator = make.user(Role.COORDINATOR, region)
        client = app.test_client()
        login(client, coordinator.email)
        assert "Lead department" in _page(client)
        db.session.remove()
        db.engine.dispose()


def test_dashboard_and_admin_list_are_kept_and_show_any_regions_change_at_once(
    app, client, make, alpha
):
    region, coordinator = alpha
    login(client, make.user(admin=True).email)
    with Renders(app, "dashboard/_content.html") as renders:
        first = _page(client, "/admin/dashboard/")
        _page(client, "/admin/dashboard/")
        assert renders.count == 1
    with Renders(app, "admin/_regions_list.html") as renders:
        listed = _page(client, "/admin/regions")
        _page(client, "/admin/regions")
        assert renders.count == 1
    assert '<td class="n">0%</td>' in listed
    assert '<td class="n">0%</td>' in first and '/versions/1">v1</a>' not in first
    answers.set_answer(region, "basics", "lead", "Lead", coordinator)
    answers.set_answer(region, "basics", "statement", "Statement", coordinator)
    Factory().version(region, coordinator, 1)
    page = _page(client, "/admin/dashboard/")
    assert '<td class="n">50%</td>' in page and '/versions/1">v1</a>' in page
    assert '<td class="n">50%</td>' in _page(client, "/admin/regions")
    make.region("beta", name="Betania")
    assert "Betania" in _page(client, "/admin/dashboard/")
    assert "Betania" in _page(client, "/admin/regions")


def test_clear_page_cache_command_makes_pages_worked_out_again(app, client, runner, alpha):
    _region, coordinator = alpha
    login(client, coordinator.email)
    with Renders(app) as renders:
        _page(client)
        result = runner.invoke(args=["clear-page-cache"])
        assert "Kept page bodies dropped" in result.output
        _page(client)
        assert renders.count == 2


def test_admin_region_form_is_kept_empty_and_its_errors_are_not(app, client, make):
    login(client, make.user(admin=True).email)
    with Renders(app, "admin/_region_form.html") as renders:
        _page(client, "/admin/regions")
        again = _page(client, "/admin/regions")
        assert renders.count == 1
    form_token = csrf_token(again[again.index("Create a region") :])
    refused = client.post("/admin/regions", data={"csrf_token": form_token, "name": ""})
    assert refused.status_code == 200 and "field-error" in refused.get_data(as_text=True)
    assert "field-error" not in _page(client, "/admin/regions")
    created = client.post(
        "/admin/regions",
        data={
            "csrf_token": form_token,
            "name": "Gamma",
            "slug": "gamma",
            "template_id": "sample",
            "language": "en",
        },
    )
    assert created.status_code == 302
    assert "Gamma" in _page(client, "/admin/regions")
