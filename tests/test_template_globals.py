"""Templates do not query the database: what a page shows is worked out before it renders
(the header's part of the reader comes with the sign-in, belong/auth_session.py)."""

from __future__ import annotations

from contextlib import contextmanager

from flask import before_render_template, template_rendered

from belong.extensions import db
from belong.models import Role
from belong.services import activity
from belong.templating.registry import get_template
from tests.conftest import login
from tests.test_query_counts import counting


@contextmanager
def while_rendering(app):
    """The statements run while a template renders (between Flask's two signals)."""
    inside: list[str] = []
    rendering = {"from": None}

    with counting() as statements:

        def started(_app, **_extra):
            rendering["from"] = len(statements)

        def ended(_app, **_extra):
            inside.extend(statements[rendering["from"] :])

        before_render_template.connect(started, app)
        template_rendered.connect(ended, app)
        try:
            yield inside
        finally:
            before_render_template.disconnect(started, app)
            template_rendered.disconnect(ended, app)


def test_the_header_shows_the_unread_count_without_a_query_of_its_own(app, client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    activity.notify([coordinator], "mention", "You were mentioned.", region=region, link="/")
    db.session.commit()
    login(client, coordinator.email)
    with while_rendering(app) as statements:
        html = client.get("/account/password").get_data(as_text=True)
    assert statements == []
    assert coordinator.name in html
    assert '<span class="badge">1</span>' in html


def test_a_step_page_and_the_home_page_render_without_a_query(app, client, make):
    """Input, review threads, scores and the latest version are worked out by the view."""
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    steps = get_template(region.template_id).definition.steps
    for url in ["/r/alpha/", *(f"/r/alpha/steps/{step.id}" for step in steps)]:
        with while_rendering(app) as statements:
            assert client.get(url).status_code == 200
        assert statements == [], url


def test_record_lists_are_worked_out_before_the_page_renders(app, client, make):
    """The step pages and "check your answers" list a region's records without a query from
    the template."""
    from belong.services import records as record_service

    region = make.region("beta", template_id="intercultural-region")
    coordinator = make.user(Role.COORDINATOR, region)
    record_service.add_record(region, "priority", {"title": "Shared spaces"}, coordinator)
    record_service.add_record(region, "stakeholder", {"organisation": "Casa Aperta"}, coordinator)
    db.session.commit()
    login(client, coordinator.email)
    for url, shown in [
        ("/r/beta/steps/priorities", "Shared spaces"),
        ("/r/beta/steps/stakeholders", "Casa Aperta"),
        ("/r/beta/versions/check", "Casa Aperta"),
    ]:
        with while_rendering(app) as statements:
            html = client.get(url).get_data(as_text=True)
        assert shown in html, url
        assert statements == [], url
